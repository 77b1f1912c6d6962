using static TorchSharp.torch;

namespace LieGG.Runtime.Tests;

internal static class TensorComparison
{
    /// <summary>Same shape and bit-identical values.</summary>
    public static bool SameValues(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    /// <summary>Same shape, and the largest difference at most <paramref name="tolerance"/> times the largest |expected| (float64 tensors).</summary>
    public static void AssertClose(Tensor expected, Tensor actual, double tolerance = 1e-9)
    {
        Xunit.Assert.Equal(expected.shape, actual.shape);
        double scale = Math.Max(1e-12, expected.abs().max().item<double>());
        double difference = (expected - actual).abs().max().item<double>();
        Xunit.Assert.True(difference <= tolerance * scale, $"max difference {difference:E3} against scale {scale:E3}");
    }
}
