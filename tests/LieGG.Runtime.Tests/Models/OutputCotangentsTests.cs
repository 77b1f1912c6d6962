using LieGG.Runtime.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Models;

/// <summary>The written-out cotangent of Σ normalize(z) against autograd through <c>nn.functional.normalize</c>.</summary>
public sealed class OutputCotangentsTests
{
    private static Tensor Autograd(Tensor z)
    {
        var leaf = z.detach().requires_grad_(true);
        return torch.autograd.grad(new[] { nn.functional.normalize(leaf, p: 2, dim: 1).sum() }, new[] { leaf })[0];
    }

    [Fact]
    public void Float64_cotangent_equals_autograd_including_rows_under_the_norm_floor()
    {
        var z = randn(new long[] { 40, 10 }, ScalarType.Float64, generator: new torch.Generator(17));
        z[3] = zeros(10, ScalarType.Float64);   // the clamp holds: 1/ε everywhere
        z[4] = full(10, 1e-14, ScalarType.Float64);
        z[5] = z[5] * 1e6;

        Assert.True(OutputCotangents.TrySumOfL2Normalized(z, out var cotangent));

        var expected = Autograd(z);
        Assert.Equal(ScalarType.Float64, cotangent.dtype);
        Assert.Equal(1e12, cotangent[3, 0].item<double>());
        var difference = ((cotangent - expected).abs() / expected.abs().clamp_min(1e-300)).max().item<double>();
        Assert.True(difference < 1e-12, $"largest relative difference {difference:E2}");
    }

    [Fact]
    public void Float32_cotangent_is_autograd_within_float32_roundoff()
    {
        var z = randn(new long[] { 64, 7 }, generator: new torch.Generator(19));
        Assert.True(OutputCotangents.TrySumOfL2Normalized(z, out var cotangent));
        Assert.Equal(ScalarType.Float32, cotangent.dtype);
        // Against the float64 truth: one rounding of a float64 evaluation.
        var truth = Autograd(z.to_type(ScalarType.Float64));
        var relative = ((cotangent.to_type(ScalarType.Float64) - truth).abs() / truth.abs().max()).max().item<double>();
        Assert.True(relative < 2e-7, $"largest difference {relative:E2} of the largest value");
    }

    [Fact]
    public void Outputs_off_the_supported_types_are_left_to_autograd()
    {
        Assert.False(OutputCotangents.TrySumOfL2Normalized(ones(new long[] { 3, 4 }, ScalarType.Int32), out _));
        Assert.False(OutputCotangents.TrySumOfL2Normalized(ones(new long[] { 3, 4, 2 }), out _));
    }
}
