using LieGG.Runtime.Models.Relaxed;
using LieGG.Runtime.Symmetry.Equivariance;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Models;

/// <summary>
/// The CONV pathway's circular convolution, whose input gradient is a forward convolution, against libtorch's autograd
/// through the padded convolution and against the adjoint identity ⟨A x, g⟩ = ⟨x, Aᵀ g⟩, in float64.
/// </summary>
public sealed class CircularConvolutionTests
{
    private static Tensor Reference(Tensor input, Tensor weight, Tensor bias, int stride)
        => nn.functional.conv2d(CircularConvolution.Pad(input), weight, bias, strides: new long[] { stride, stride });

    [Theory]
    [InlineData(1, 4, 6, 1)]
    [InlineData(3, 2, 5, 1)]
    [InlineData(4, 8, 8, 2)]
    [InlineData(3, 5, 6, 2)]
    [InlineData(2, 3, 2, 2)]
    public void Values_and_every_gradient_equal_libtorchs_padded_convolution(int inChannels, int outChannels, int size, int stride)
    {
        var generator = new torch.Generator((ulong)(11 + inChannels * size));
        var input = randn(new long[] { 3, inChannels, size, size }, ScalarType.Float64, generator: generator).requires_grad_();
        var weight = randn(new long[] { outChannels, inChannels, 3, 3 }, ScalarType.Float64, generator: generator).requires_grad_();
        var bias = randn(new long[] { outChannels }, ScalarType.Float64, generator: generator).requires_grad_();
        var expected = Reference(input, weight, bias, stride);
        var outputGradient = randn(expected.shape, ScalarType.Float64, generator: generator);
        var expectedGradients = torch.autograd.grad([expected], [input, weight, bias], [outputGradient]);

        var actual = CircularConvolution.Apply(input, weight, bias, stride);
        var actualGradients = torch.autograd.grad([actual], [input, weight, bias], [outputGradient]);
        var inputOnly = torch.autograd.grad([CircularConvolution.Apply(input, weight, bias, stride)], [input], [outputGradient])[0];

        Assert.True(TensorComparison.SameValues(expected, actual));
        for (int i = 0; i < 3; i++) TensorComparison.AssertClose(expectedGradients[i], actualGradients[i], 1e-13);
        TensorComparison.AssertClose(expectedGradients[0], inputOnly, 1e-13);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void The_input_gradient_is_the_adjoint_of_the_linear_map(int stride)
    {
        var generator = new torch.Generator((ulong)(3 + stride));
        var weight = randn(new long[] { 4, 3, 3, 3 }, ScalarType.Float64, generator: generator);
        var input = randn(new long[] { 2, 3, 8, 8 }, ScalarType.Float64, generator: generator);
        var outputGradient = randn(new long[] { 2, 4, 8 / stride, 8 / stride }, ScalarType.Float64, generator: generator);
        double forward = (Reference(input, weight, null!, stride) * outputGradient).sum().item<double>();
        double adjoint = (input * CircularConvolution.InputGradientOf(outputGradient, weight, stride)).sum().item<double>();
        Assert.Equal(forward, adjoint, 1e-10 * Math.Abs(forward) + 1e-12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void The_double_backward_gives_the_maps_directional_derivative(int stride)
    {
        // J·v of the affine map is its linear part applied to v: the route the equivariance measures take for layers
        // without forward-mode tangents.
        var generator = new torch.Generator((ulong)(7 + stride));
        var weight = randn(new long[] { 5, 2, 3, 3 }, ScalarType.Float64, generator: generator).requires_grad_();
        var bias = randn(new long[] { 5 }, ScalarType.Float64, generator: generator).requires_grad_();
        var input = randn(new long[] { 3, 2, 6, 6 }, ScalarType.Float64, generator: generator);
        var tangents = randn(new long[] { 3, 4, 2, 6, 6 }, ScalarType.Float64, generator: generator);
        var jvp = EquivarianceAnalysis.Jvp(x => CircularConvolution.Apply(x, weight, bias, stride), input, tangents);
        var expected = Reference(tangents.flatten(0, 1), weight.detach(), null!, stride).view(jvp.shape);
        TensorComparison.AssertClose(expected, jvp, 1e-13);
    }

    [Fact]
    public void An_input_without_gradient_takes_the_plain_convolution_and_still_gives_the_weights_gradient()
    {
        var generator = new torch.Generator(5);
        var input = randn(new long[] { 2, 3, 4, 4 }, ScalarType.Float64, generator: generator);
        var weight = randn(new long[] { 2, 3, 3, 3 }, ScalarType.Float64, generator: generator).requires_grad_();
        var actual = CircularConvolution.Apply(input, weight, null, 2);
        var expected = Reference(input, weight, null!, 2);
        Assert.True(TensorComparison.SameValues(expected, actual));
        TensorComparison.AssertClose(torch.autograd.grad([expected.sum()], [weight])[0], torch.autograd.grad([actual.sum()], [weight])[0], 1e-14);
    }

    [Fact]
    public void Filters_other_than_3x3_are_refused()
    {
        var input = zeros(1, 1, 4, 4).requires_grad_();
        var error = Assert.Throws<ArgumentException>(() => CircularConvolution.Apply(input, zeros(1, 1, 5, 5), null, 1));
        Assert.Contains("3×3", error.Message);
    }
}
