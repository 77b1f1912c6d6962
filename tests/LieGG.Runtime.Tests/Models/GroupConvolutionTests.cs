using LieGG.Runtime.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Models;

/// <summary>p4 layers are exactly equivariant: rotating the input by 90° rotates the output maps and shifts the rotation axis by one.</summary>
public sealed class GroupConvolutionTests
{
    private static Tensor RotatePlanar(Tensor x) => x.rot90(1, (x.dim() - 2, x.dim() - 1));

    /// <summary>The p4 action on feature maps [B, C, 4, H, W]: rotate every map and shift the rotation axis by one.</summary>
    private static Tensor RotateP4(Tensor x) => RotatePlanar(x.roll(1, 2));

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        double difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference < 1e-5 * Math.Max(1, expected.abs().max().item<float>()), $"max difference {difference:E3}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Lifting_convolution_is_equivariant(int padding)
    {
        using var layer = new P4LiftingConv2d(3, 5, 3, padding);
        var x = randn(new long[] { 2, 3, 11, 11 }, generator: new torch.Generator(1));
        AssertClose(RotateP4(layer.forward(x)), layer.forward(RotatePlanar(x)));
    }

    [Fact]
    public void Group_convolution_is_equivariant()
    {
        using var layer = new P4GroupConv2d(3, 4, 3, padding: 1);
        var f = randn(new long[] { 2, 3, 4, 9, 9 }, generator: new torch.Generator(2));
        AssertClose(RotateP4(layer.forward(f)), layer.forward(RotateP4(f)));
    }

    [Fact]
    public void Stacked_layers_with_norm_pool_and_nonlinearity_stay_equivariant_and_pool_to_invariance()
    {
        using var lifting = new P4LiftingConv2d(1, 6, 3);
        using var norm = new P4BatchNorm(6);
        using var group = new P4GroupConv2d(6, 6, 3);
        using var pool = new P4SpatialMaxPool();
        // 16 → 14 → 12 → pool 6 → 1: the last layer covers the whole map, so pooling over rotations gives invariants.
        using var last = new P4GroupConv2d(6, 7, 6);
        norm.eval();
        Tensor Features(Tensor x) => last.forward(pool.forward(group.forward(norm.forward(lifting.forward(x)).relu()).relu()));

        var x = randn(new long[] { 3, 1, 16, 16 }, generator: new torch.Generator(3));
        AssertClose(RotateP4(Features(x)), Features(RotatePlanar(x)));
        using var rotationPool = new P4RotationPool();
        AssertClose(rotationPool.forward(Features(x)).flatten(1), rotationPool.forward(Features(RotatePlanar(x))).flatten(1));
    }

    [Fact]
    public void Plain_convolution_is_not_equivariant_so_the_test_can_fail()
    {
        using var conv = nn.Conv2d(1, 4, 3);
        var x = randn(new long[] { 2, 1, 11, 11 }, generator: new torch.Generator(4));
        double difference = (RotatePlanar(conv.forward(x)) - conv.forward(RotatePlanar(x))).abs().max().item<float>();
        Assert.True(difference > 1e-2, $"a generic 3×3 filter should not commute with rotation (difference {difference:E3})");
    }

    [Fact]
    public void Parameter_counts_match_the_formulas()
    {
        using var lifting = new P4LiftingConv2d(3, 5, 3);
        using var group = new P4GroupConv2d(5, 7, 4);
        Assert.Equal(P4LiftingConv2d.ParameterCount(3, 5, 3), lifting.parameters().Sum(p => p.numel()));
        Assert.Equal(P4GroupConv2d.ParameterCount(5, 7, 4), group.parameters().Sum(p => p.numel()));
        Assert.Equal(5 * 4 * 7 * 16, P4GroupConv2d.ParameterCount(5, 7, 4));
    }
}
