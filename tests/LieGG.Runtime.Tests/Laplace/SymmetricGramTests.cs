using LieGG.Runtime.Models.Relaxed;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Laplace;

public sealed class SymmetricGramTests
{
    [Theory]
    [InlineData(7, 5)]
    [InlineData(40, 128)]
    [InlineData(40, 129)]
    [InlineData(30, 300)]
    [InlineData(64, 1000)]
    public void Equals_the_full_product(int count, int columns)
    {
        var rows = randn(new long[] { count, columns }, ScalarType.Float64, generator: new torch.Generator((ulong)columns));
        var gram = SymmetricGram.Of(rows);
        TensorComparison.AssertClose(rows.T.matmul(rows), gram, 1e-13);
    }
}
