using LieGG.Runtime.Models.Relaxed;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Laplace;

public sealed class CircularPatchGramTests
{
    // Maps too small for a patch to stay inside them (1×1, 2×2: offsets of ±2 wrap onto themselves), and non-square ones.
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 2, 2)]
    [InlineData(3, 3, 5)]
    [InlineData(1, 4, 4)]
    [InlineData(4, 6, 3)]
    public void Equals_the_gram_of_the_unfolded_circular_patches(int channels, int height, int width)
    {
        var generator = new torch.Generator(11);
        var maps = randn(new long[] { 3, channels, height, width }, ScalarType.Float64, generator: generator);
        var padded = CircularConvolution.Pad(maps);
        var rows = nn.functional.unfold(padded, 3).transpose(1, 2).reshape(-1, channels * 9);
        TensorComparison.AssertClose(rows.T.matmul(rows), CircularPatchGram.Of(maps), 1e-12);
    }
}
