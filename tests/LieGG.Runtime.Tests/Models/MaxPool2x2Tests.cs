using LieGG.Runtime.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Models;

/// <summary>The two-maxima pooling against libtorch's max_pool2d, bit for bit, ties included.</summary>
public sealed class MaxPool2x2Tests
{
    private static Tensor ChannelsLast(Tensor maps) => maps.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Values_and_gradients_equal_libtorchs_max_pool_with_ties_resolved_as_it_resolves_them(bool channelsLast)
    {
        // Small integers: most windows hold ties, in every arrangement of the four positions.
        var generator = new torch.Generator(4);
        var values = randint(0, 3, new long[] { 3, 5, 6, 8 }, dtype: ScalarType.Float64, generator: generator);
        var outputGradient = randn(new long[] { 3, 5, 3, 4 }, ScalarType.Float64, generator: generator);
        var maps = channelsLast ? ChannelsLast(values) : values;

        var referenceInput = maps.detach().requires_grad_(true);
        var expected = nn.functional.max_pool2d(referenceInput, 2, 2);
        var expectedGradient = torch.autograd.grad([expected], [referenceInput], [outputGradient])[0];
        var input = maps.detach().requires_grad_(true);
        var actual = MaxPool2x2.Forward(input);
        var actualGradient = torch.autograd.grad([actual], [input], [outputGradient])[0];

        Assert.True(TensorComparison.SameValues(expected, actual));
        Assert.True(TensorComparison.SameValues(expectedGradient, actualGradient));
        Assert.Equal(channelsLast, actualGradient.permute(0, 2, 3, 1).is_contiguous());
    }

    [Fact]
    public void Odd_sizes_take_libtorchs_kernel()
    {
        var maps = randn(new long[] { 2, 3, 5, 7 }, ScalarType.Float64, generator: new torch.Generator(1));
        Assert.True(TensorComparison.SameValues(nn.functional.max_pool2d(maps, 2, 2), MaxPool2x2.Forward(maps)));
    }
}
