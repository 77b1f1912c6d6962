using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Models;
using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Training;
using Xunit.Abstractions;

namespace LieGG.Runtime.Tests.Symmetry;

/// <summary>LieGG paper §5.1 in full: an MLP trained on the O(5) task learns so(5).</summary>
public sealed class PaperO5Tests(ITestOutputHelper output)
{
    [Fact]
    public void Trained_mlp_learns_so5()
    {
        using var o5 = O5Synthetic.Create(new O5Options { Seed = 0 });
        using var model = Mlp.Create(new MlpOptions(10, 1, Hidden: 2, Width: 32, Activation.Swish, Bias: false), seed: 0);
        var training = Trainer.Fit(model, o5.Data, new TrainingOptions
        {
            Epochs = 90, BatchSize = 500, LearningRate = 3e-3, WeightDecay = 1e-4, Seed = 0,
        });
        double testMse = Evaluation.MeanSquaredError(model, o5.Data.Test);

        var matrix = Polarization.Compute(model, o5.Data.Train.Inputs, new GenericPrior(5, 2), new PolarizationOptions { Transform = OutputTransform.None });
        var symmetry = SymmetryAnalyzer.Analyze(matrix, LieAlgebra.SpecialOrthogonal(5), new SymmetryOptions { BootstrapResamples = 0 });

        output.WriteLine($"best epoch {training.BestEpoch}, test MSE {testMse:F4}, λ11/λ10 {symmetry.GapRatio:F1}, max bias of 10 {symmetry.Bias!.Take(10).Max():F4}, variance {symmetry.Variance:E3}");
        Assert.True(testMse <= 0.35, $"test MSE {testMse:F4}");
        Assert.All(symmetry.Bias!.Take(10), b => Assert.True(b < 0.1, $"bias {b:F4}"));
        Assert.Equal(10, symmetry.SubspaceDimension);
        Assert.True(symmetry.GapRatio > 20, $"λ11/λ10 = {symmetry.GapRatio:F2}");
    }
}
