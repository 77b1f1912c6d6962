using LieGG.Dsl;
using LieGG.Runtime.Models;
using LieGG.Runtime.Symmetry;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Symmetry;

public sealed class LayerwiseTests
{
    [Fact]
    public void Each_layer_is_analysed_with_its_own_normalised_output()
    {
        using var mlp = Mlp.Create(new MlpOptions(10, 1, 3, 12), seed: 2);
        var inputs = randn(64, 10, generator: new TorchSharp.torch.Generator(1));
        var options = new SymmetryOptions { BootstrapResamples = 0 };
        var layers = LayerwiseAnalysis.Analyze(mlp, inputs, new GenericPrior(5, 2), LieAlgebra.SpecialOrthogonal(5), symmetry: options);

        Assert.Equal([0, 1, 2], layers.Select(l => l.Layer));
        for (int layer = 0; layer < 3; layer++)
        {
            int current = layer;
            var direct = Polarization.Compute(x => nn.functional.normalize(mlp.ForwardHidden(x, current), p: 2, dim: 1), inputs, new GenericPrior(5, 2));
            var expected = SymmetryAnalyzer.Analyze(direct, LieAlgebra.SpecialOrthogonal(5), options);
            // float32 network: frozen and unfrozen weights take different autograd paths, hence rounding-level differences.
            for (int i = 0; i < expected.Spectrum.Length; i++)
                Assert.Equal(expected.Spectrum[i], layers[layer].Symmetry.Spectrum[i], 1e-5 * expected.Spectrum[^1]);
        }
        Assert.NotEqual(layers[0].Symmetry.Variance, layers[2].Symmetry.Variance);
        Assert.All(mlp.parameters(), p => Assert.True(p.requires_grad));
    }
}
