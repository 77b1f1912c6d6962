using LieGG.Runtime.Models;
using LieGG.Runtime.Symmetry.Equivariance;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Symmetry.Equivariance;

public sealed class TransformationResponseTests
{
    [Fact]
    public void A_p4cnn_answers_quarter_turns_with_no_change_and_other_angles_with_some()
    {
        torch.manual_seed(21);
        using var p4 = new P4Cnn(channels: 3);
        // Digits on a constant, non-zero background (as normalised MNIST has): the uncovered corners must stay background.
        var images = (randn(new long[] { 6, 28, 28 }, generator: new torch.Generator(22)) * 0.3f) - 0.42f;
        var labels = torch.tensor(new long[] { 0, 1, 2, 3, 4, 5 });
        var response = TransformationResponse.Measure(p4, images, labels, [0, 90, -90, 180, 45], [0, 3]);

        Assert.Equal(6, response.Samples);
        Assert.All(response.Rotations.Where(p => p.Amount % 90 == 0), p => Assert.True(p.OutputChange < 1e-9, $"{p.Amount}°: {p.OutputChange:E2}"));
        Assert.True(response.Rotations.Single(p => p.Amount == 45).OutputChange > 1e-4);
        Assert.Equal(0, response.Shifts.Single(p => p.Amount == 0).OutputChange);
        Assert.True(response.Shifts.Single(p => p.Amount == 3).OutputChange > 1e-4);
        p4.eval();
        using (no_grad())
        {
            double accuracy = p4.forward(images).argmax(1).eq(labels).to_type(ScalarType.Float64).mean().item<double>();
            Assert.Equal(accuracy, response.Rotations.Single(p => p.Amount == 0).Accuracy);
            Assert.All(response.Rotations.Where(p => p.Amount % 90 == 0), p => Assert.Equal(accuracy, p.Accuracy));
        }
    }
}
