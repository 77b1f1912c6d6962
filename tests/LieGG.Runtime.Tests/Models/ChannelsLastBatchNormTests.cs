using LieGG.Runtime.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Models;

/// <summary>The column-sum batch norm for channels-last maps against libtorch's own batch norm (float64).</summary>
public sealed class ChannelsLastBatchNormTests
{
    private static Tensor ChannelsLast(Tensor maps) => maps.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    private static (BatchNorm2d Reference, BatchNorm2d Tested) Pair(int channels, double momentum = 0.1)
    {
        var reference = nn.BatchNorm2d(channels, momentum: momentum, dtype: ScalarType.Float64);
        using (no_grad())
        {
            reference.weight!.uniform_(0.5, 1.5);
            reference.bias!.uniform_(-0.5, 0.5);
        }
        var tested = nn.BatchNorm2d(channels, momentum: momentum, dtype: ScalarType.Float64);
        tested.load_state_dict(reference.state_dict());
        return (reference, tested);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.0)]
    public void Training_steps_give_libtorchs_outputs_gradients_and_running_statistics(double momentum)
    {
        var generator = new torch.Generator(5);
        var (reference, tested) = Pair(7, momentum);
        for (int step = 0; step < 3; step++)
        {
            // Channels far from zero mean, as conv outputs are: the variance must not come from E[x²] − mean².
            var offsets = torch.linspace(-40, 40, 7, dtype: ScalarType.Float64).view(1, 7, 1, 1);
            var maps = ChannelsLast(torch.randn(new long[] { 5, 7, 6, 4 }, dtype: ScalarType.Float64, generator: generator) * (step + 1) + offsets);
            var outputGradient = ChannelsLast(torch.randn(new long[] { 5, 7, 6, 4 }, dtype: ScalarType.Float64, generator: generator));

            var referenceInput = maps.detach().requires_grad_(true);
            var expected = reference.forward(referenceInput).relu();
            var expectedGradients = torch.autograd.grad([expected], [referenceInput, reference.weight!, reference.bias!], [outputGradient]);

            var testedInput = maps.detach().requires_grad_(true);
            var actual = ChannelsLastBatchNorm.Forward(tested, testedInput).relu();
            var actualGradients = torch.autograd.grad([actual], [testedInput, tested.weight!, tested.bias!], [outputGradient]);

            TensorComparison.AssertClose(expected, actual, 1e-12);
            for (int i = 0; i < 3; i++) TensorComparison.AssertClose(expectedGradients[i], actualGradients[i], 1e-11);
            TensorComparison.AssertClose(reference.running_mean!, tested.running_mean!, 1e-12);
            TensorComparison.AssertClose(reference.running_var!, tested.running_var!, 1e-12);
            Assert.True(TensorComparison.SameValues(reference.num_batches_tracked!, tested.num_batches_tracked!));
            Assert.True(actual.permute(0, 2, 3, 1).is_contiguous(), "the output keeps the channels-last layout");
        }
    }

    [Fact]
    public void Input_gradient_matches_finite_differences()
    {
        var (_, tested) = Pair(3);
        var maps = ChannelsLast(torch.randn(new long[] { 2, 3, 3, 3 }, dtype: ScalarType.Float64, generator: new torch.Generator(9)) + 2);
        var weights = torch.randn(new long[] { 2, 3, 3, 3 }, dtype: ScalarType.Float64, generator: new torch.Generator(10));
        double Loss(Tensor x) => (ChannelsLastBatchNorm.Forward(tested, x) * weights).sum().item<double>();
        var input = maps.detach().requires_grad_(true);
        var gradient = torch.autograd.grad([(ChannelsLastBatchNorm.Forward(tested, input) * weights).sum()], [input])[0];
        const double h = 1e-6;
        var flat = maps.contiguous().flatten();
        for (int i = 0; i < flat.shape[0]; i += 5)
        {
            var plus = flat.clone();
            plus[i] += h;
            var minus = flat.clone();
            minus[i] -= h;
            double numeric = (Loss(ChannelsLast(plus.view(2, 3, 3, 3))) - Loss(ChannelsLast(minus.view(2, 3, 3, 3)))) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient.contiguous().flatten()[i].item<double>()) < 1e-7, $"element {i}: finite difference {numeric}");
        }
    }

    [Fact]
    public void Evaluation_mode_and_default_layout_maps_take_libtorchs_route()
    {
        var (reference, tested) = Pair(4);
        var maps = torch.randn(new long[] { 3, 4, 5, 5 }, dtype: ScalarType.Float64, generator: new torch.Generator(2));
        // NCHW maps in training mode: libtorch's kernel, bit for bit.
        Assert.True(TensorComparison.SameValues(reference.forward(maps), ChannelsLastBatchNorm.Forward(tested, maps)));
        reference.eval();
        tested.eval();
        Assert.True(TensorComparison.SameValues(reference.forward(ChannelsLast(maps)), ChannelsLastBatchNorm.Forward(tested, ChannelsLast(maps))));
        Assert.Equal(1.0, tested.num_batches_tracked!.to_type(ScalarType.Float64).item<double>());
    }
}
