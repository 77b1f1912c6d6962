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
    public void Dataset_is_in_task_units_with_the_training_statistics_and_one_scale_per_vector()
    {
        using var o5 = O5Synthetic.Create(new O5Options { Seed = 1 });
        var data = o5.Data;
        Assert.Equal(TaskKind.Regression, data.Task);
        Assert.Equal((10_000, 250, 250), (data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.Equal([10_000L, 10], data.Train.Inputs.shape);

        // Targets are the task's own function of the inputs, untouched.
        var x = data.Test.Inputs.to_type(ScalarType.Float64)[..5];
        Assert.True(O5Synthetic.Target(x).to_type(ScalarType.Float32).allclose(data.Test.Targets[..5], rtol: 1e-5, atol: 1e-5));

        // The statistics are the training split's, computed independently here (population std, RMS per 5-vector).
        var y = data.Train.Targets.to_type(ScalarType.Float64);
        var s = data.Standardization!;
        Assert.Equal(y.mean().item<double>(), s.TargetMean[0], 4);
        Assert.Equal(y.std(unbiased: false).item<double>(), s.TargetStd[0], 4);
        Assert.Equal((o5.TargetMean, o5.TargetStd), (s.TargetMean[0], s.TargetStd[0]));
        var inputs = data.Train.Inputs.to_type(ScalarType.Float64);
        for (int v = 0; v < 2; v++)
        {
            double rms = inputs[.., (v * 5)..(v * 5 + 5)].pow(2).mean().sqrt().item<double>();
            Assert.All(s.InputScale.Skip(5 * v).Take(5), scale => Assert.Equal(rms, scale, 5));
            Assert.Equal(rms, o5.InputScales[v], 5);
        }
        Assert.All(o5.InputScales, scale => Assert.InRange(scale, 0.97, 1.03));
        Assert.Equal("training split", s.Source);

        // The standardised view: training targets of mean 0 and std 1, inputs divided by their vector's scale.
        using var view = s.StandardizedView(data);
        Assert.Equal(0, view.Train.Targets.mean().item<float>(), 4);
        Assert.Equal(1, view.Train.Targets.std(unbiased: false).item<float>(), 4);
        Assert.True((view.Test.Inputs[.., 5..] * o5.InputScales[1]).allclose(data.Test.Inputs[.., 5..], rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void The_authors_statistics_are_over_every_sample_drawn()
    {
        var options = new O5Options { Seed = 4, TrainCount = 950, ValidationCount = 25, TestCount = 25 };
        using var own = O5Synthetic.Create(options);
        using var authors = O5Synthetic.Create(options with { StatisticsOverAllSamples = true });
        // Same draw: the splits are identical, only the statistics differ.
        Assert.True(own.Data.Test.Targets.allclose(authors.Data.Test.Targets, rtol: 0, atol: 0));
        using var all = torch.cat(new[] { authors.Data.Train.Targets, authors.Data.Validation.Targets, authors.Data.Test.Targets }, 0).to_type(ScalarType.Float64);
        Assert.Equal(all.mean().item<double>(), authors.TargetMean, 4);
        Assert.Equal(all.std(unbiased: false).item<double>(), authors.TargetStd, 4);
        Assert.NotEqual(own.TargetMean, authors.TargetMean);
        Assert.Equal("all 1000 samples drawn", authors.Data.Standardization!.Source);
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
