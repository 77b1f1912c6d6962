using LieGG.Dsl;
using LieGG.Runtime.Training.Laplace;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Laplace;

/// <summary>The output factor summed over backward passes in batched products against one float64 Gram matrix of every row.</summary>
public sealed class OutputFactorSumTests
{
    [Theory]
    [InlineData(1L)]     // a product per pass
    [InlineData(7L)]     // products of two or three passes, a remainder at the end
    [InlineData(10L)]    // a pass at the threshold goes straight into its own product
    [InlineData(1000L)]  // everything in one product at the end
    public void Sum_over_passes_equals_the_gram_matrix_of_all_rows(long rowsPerProduct)
    {
        using var network = KfacTestNetworks.Network(Pathways.FC, canvas: 4, width: 1).to(ScalarType.Float64);
        var site = network.Sites[1];
        long e = site.Weight.shape[0];
        var generator = new torch.Generator(11);
        // Dense output gradients [N, e]: passes of 3, 4, 10, 2 and 5 samples.
        var passes = new long[] { 3, 4, 10, 2, 5 }.Select(n => randn(new[] { n, e }, ScalarType.Float64, generator: generator)).ToArray();
        using var sum = new OutputFactorSum(site, rowsPerProduct);
        foreach (var pass in passes) sum.Add(pass);
        var all = cat(passes, 0);
        TensorComparison.AssertClose(all.T.matmul(all), sum.TakeTotal(), 1e-12);
    }

    [Fact]
    public void Taking_the_total_twice_without_new_passes_is_an_error()
    {
        using var network = KfacTestNetworks.Network(Pathways.FC, canvas: 4, width: 1).to(ScalarType.Float64);
        using var sum = new OutputFactorSum(network.Sites[0]);
        sum.Add(randn(new[] { 2L, network.Sites[0].Weight.shape[0] }, ScalarType.Float64));
        sum.TakeTotal().Dispose();
        Assert.Throws<InvalidOperationException>(() => sum.TakeTotal());
    }
}
