using LieGG.Dsl;
using LieGG.Runtime.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Data;

public sealed class O5SyntheticTests
{
    [Fact]
    public void Target_is_invariant_under_a_random_orthogonal_map_applied_to_both_vectors()
    {
        var random = new SeededRandom(11);
        var q = RandomOrthogonal(5, random);
        for (int trial = 0; trial < 20; trial++)
        {
            var x = Enumerable.Range(0, 10).Select(_ => random.NextGaussian()).ToArray();
            var rotated = new double[10];
            for (int v = 0; v < 2; v++)
            for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++)
                rotated[v * 5 + i] += q[i, j] * x[v * 5 + j];
            Assert.Equal(O5Synthetic.Target(x), O5Synthetic.Target(rotated), 10);
        }
    }

    [Fact]
    public void Tensor_and_scalar_targets_agree()
    {
        var random = new SeededRandom(12);
        var x = Enumerable.Range(0, 40).Select(_ => random.NextGaussian()).ToArray();
        var batch = tensor(x, new long[] { 4, 10 });
        var values = O5Synthetic.Target(batch).data<double>().ToArray();
        for (int i = 0; i < 4; i++) Assert.Equal(O5Synthetic.Target(x.AsSpan(i * 10, 10)), values[i], 12);
    }

    [Fact]
    public void Dataset_has_the_paper_sizes_standardised_targets_and_one_scale_per_vector()
    {
        using var o5 = O5Synthetic.Create(new O5Options { Seed = 1 });
        var data = o5.Data;
        Assert.Equal(TaskKind.Regression, data.Task);
        Assert.Equal((10_000, 250, 250), (data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.Equal([10_000L, 10], data.Train.Inputs.shape);
        Assert.Equal(0, data.Train.Targets.mean().item<float>(), 4);
        Assert.Equal(1, data.Train.Targets.std(unbiased: false).item<float>(), 4);
        Assert.Equal(2, o5.InputScales.Count);
        Assert.All(o5.InputScales, s => Assert.InRange(s, 0.97, 1.03));

        // Scaling is one factor per 5-vector: the model-space target is the raw target of the rescaled inputs.
        var x = data.Test.Inputs.to_type(ScalarType.Float64)[..5];
        var raw = torch.cat(new[] { x[.., ..5] * o5.InputScales[0], x[.., 5..] * o5.InputScales[1] }, 1);
        var expected = (O5Synthetic.Target(raw) - o5.TargetMean) / o5.TargetStd;
        Assert.True(expected.to_type(ScalarType.Float32).allclose(data.Test.Targets[..5], rtol: 1e-4, atol: 1e-4));
    }

    internal static double[,] RandomOrthogonal(int n, SeededRandom random)
    {
        var q = new double[n, n];
        for (int j = 0; j < n; j++)
        {
            var v = Enumerable.Range(0, n).Select(_ => random.NextGaussian()).ToArray();
            for (int k = 0; k < j; k++)
            {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += q[i, k] * v[i];
                for (int i = 0; i < n; i++) v[i] -= dot * q[i, k];
            }
            double norm = Math.Sqrt(v.Sum(a => a * a));
            for (int i = 0; i < n; i++) q[i, j] = v[i] / norm;
        }
        return q;
    }
}
