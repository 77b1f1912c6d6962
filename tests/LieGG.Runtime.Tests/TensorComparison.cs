using static TorchSharp.torch;

namespace LieGG.Runtime.Tests;

internal static class TensorComparison
{
    /// <summary>Same shape and bit-identical values.</summary>
    public static bool SameValues(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
