using LieGG.Runtime.Symmetry;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Symmetry;

/// <summary>A network whose output does not depend on its input is not "perfectly invariant": the analysis says it is degenerate.</summary>
public sealed class DegenerateNetworkTests
{
    [Fact]
    public void A_constant_output_gives_a_degenerate_result_and_the_report_says_so()
    {
        var images = randn(new long[] { 40, 8, 8 }, generator: new torch.Generator(1));
        var matrix = Polarization.Compute(x => x.sum(new long[] { 1, 2 }, keepdim: false).unsqueeze(1) * 0 + 3, images, new SpatialPrior(),
            new PolarizationOptions { Transform = LieGG.Dsl.OutputTransform.None });
        var result = SymmetryAnalyzer.Analyze(matrix, LieAlgebra.SpecialOrthogonal(2), new SymmetryOptions { BootstrapResamples = 0 });
        Assert.True(result.Degenerate);
        Assert.Equal(0, result.NumericalRank);
    }

    [Fact]
    public void A_network_that_depends_on_its_input_is_not_degenerate()
    {
        var images = randn(new long[] { 40, 8, 8 }, generator: new torch.Generator(2));
        var matrix = Polarization.Compute(x => x.square().sum(new long[] { 1, 2 }).unsqueeze(1), images, new SpatialPrior(),
            new PolarizationOptions { Transform = LieGG.Dsl.OutputTransform.None });
        Assert.False(SymmetryAnalyzer.Analyze(matrix, null, new SymmetryOptions { BootstrapResamples = 0 }).Degenerate);
    }
}
