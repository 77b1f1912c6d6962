using LieGG.Dsl;
using static TorchSharp.torch;

namespace LieGG.Runtime.Data;

/// <summary>Sizes and seed of the O(5) regression task.</summary>
public sealed record O5Options
{
    public int Seed { get; init; }

    public int TrainCount { get; init; } = 10_000;

    public int ValidationCount { get; init; } = 250;

    public int TestCount { get; init; } = 250;

    /// <summary>
    /// Compute the input scales and the target mean and std over every sample drawn (the LieGG authors' code, EMLP's
    /// <c>O5Synthetic.stats</c>) instead of over the training split alone.
    /// </summary>
    public bool StatisticsOverAllSamples { get; init; }
}

/// <summary>
/// The O(5)-invariant regression task of EMLP / LieGG §5.1: x₁, x₂ ~ N(0, I₅),
/// y = sin‖x₁‖ − ½‖x₂‖³ + x₁·x₂ / (‖x₁‖‖x₂‖). The splits hold inputs and targets in the task's units; the
/// dataset's <see cref="TensorDataset.Standardization"/> carries one RMS scale per 5-vector (no per-coordinate
/// centring, so O(5) acts on the scaled inputs exactly as on the raw ones) and the targets' mean and standard
/// deviation, over the training split or, as the LieGG authors computed them, over every sample drawn.
/// </summary>
public static class O5Synthetic
{
    public const int VectorDimension = 5;
    public const int Vectors = 2;
    public const int InputSize = VectorDimension * Vectors;

    /// <summary>The exact O(5)-invariant function on raw inputs (x₁ = x[0..5], x₂ = x[5..10]).</summary>
    public static double Target(ReadOnlySpan<double> x)
    {
        double n1 = 0, n2 = 0, dot = 0;
        for (int k = 0; k < VectorDimension; k++)
        {
            n1 += x[k] * x[k];
            n2 += x[VectorDimension + k] * x[VectorDimension + k];
            dot += x[k] * x[VectorDimension + k];
        }
        n1 = Math.Sqrt(n1);
        n2 = Math.Sqrt(n2);
        return Math.Sin(n1) - 0.5 * n2 * n2 * n2 + dot / (n1 * n2);
    }

    /// <summary>The same function on a batch of raw inputs [B, 10] as a differentiable tensor expression.</summary>
    public static Tensor Target(Tensor x)
    {
        var x1 = x[.., ..VectorDimension];
        var x2 = x[.., VectorDimension..];
        var n1 = x1.norm(1, keepdim: true);
        var n2 = x2.norm(1, keepdim: true);
        return n1.sin() - 0.5 * n2.pow(3) + (x1 * x2).sum(1, keepdim: true) / (n1 * n2);
    }

    public static O5Dataset Create(O5Options options)
    {
        if (options.TrainCount <= 0 || options.ValidationCount < 0 || options.TestCount <= 0)
            throw new ArgumentException($"O(5) split sizes must be positive (train {options.TrainCount}, validation {options.ValidationCount}, test {options.TestCount}).");
        int total = options.TrainCount + options.ValidationCount + options.TestCount;
        var random = new SeededRandom(options.Seed, stream: 3);
        var raw = new double[total * InputSize];
        var y = new double[total];
        for (int i = 0; i < total; i++)
        {
            var x = raw.AsSpan(i * InputSize, InputSize);
            for (int k = 0; k < InputSize; k++) x[k] = random.NextGaussian();
            y[i] = Target(x);
        }

        int statisticsCount = options.StatisticsOverAllSamples ? total : options.TrainCount;
        var scales = new double[Vectors];
        for (int v = 0; v < Vectors; v++)
        {
            double sumSquares = 0;
            for (int i = 0; i < statisticsCount; i++)
            for (int k = 0; k < VectorDimension; k++)
            {
                double value = raw[i * InputSize + v * VectorDimension + k];
                sumSquares += value * value;
            }
            scales[v] = Math.Sqrt(sumSquares / (statisticsCount * VectorDimension));
        }
        double mean = y.Take(statisticsCount).Average();
        double std = Math.Sqrt(y.Take(statisticsCount).Select(v => (v - mean) * (v - mean)).Sum() / statisticsCount);

        var inputs = raw.Select(v => (float)v).ToArray();
        var targets = y.Select(v => (float)v).ToArray();

        DataSplit Take(int start, int count) => new(
            tensor(inputs.AsSpan(start * InputSize, count * InputSize).ToArray(), new long[] { count, InputSize }),
            tensor(targets.AsSpan(start, count).ToArray(), new long[] { count, 1 }));

        var standardization = new Standardization(
            Enumerable.Range(0, InputSize).Select(k => scales[k / VectorDimension]).ToArray(), [mean], [std],
            options.StatisticsOverAllSamples ? $"all {total} samples drawn" : "training split");
        var dataset = new TensorDataset("o5-synthetic", TaskKind.Regression, new[] { InputSize }, 1,
            Take(0, options.TrainCount), Take(options.TrainCount, options.ValidationCount), Take(options.TrainCount + options.ValidationCount, options.TestCount),
            $"O(5) synthetic, seed {options.Seed}, N = {options.TrainCount}/{options.ValidationCount}/{options.TestCount}")
        {
            Standardization = standardization,
        };
        return new O5Dataset(dataset, scales, mean, std);
    }
}

/// <summary>The O(5) dataset (task units) with the statistics of its <see cref="TensorDataset.Standardization"/>: one input scale per 5-vector, the target mean and std.</summary>
public sealed record O5Dataset(TensorDataset Data, IReadOnlyList<double> InputScales, double TargetMean, double TargetStd) : IDisposable
{
    public void Dispose() => Data.Dispose();
}
