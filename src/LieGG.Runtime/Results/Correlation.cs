using LieGG.Runtime.Data;
using LieGG.Runtime.Symmetry;
using MathNet.Numerics.Distributions;

namespace LieGG.Runtime.Results;

/// <summary>A correlation coefficient with its two-sided p-value for the null hypothesis of no correlation.</summary>
/// <param name="N">Pairs used (pairs with a non-finite value are dropped).</param>
public sealed record CorrelationResult(double Coefficient, double PValue, int N)
{
    /// <summary>95 % BCa bootstrap interval of the coefficient (pairs resampled); null below 4 pairs and in results written before it.</summary>
    public ConfidenceInterval? Interval { get; init; }
}

/// <summary>
/// Pearson and Spearman correlation with two-sided p-values from the t distribution with n − 2 degrees of freedom and
/// BCa bootstrap intervals: a coefficient is a smooth function of means, where BCa is second-order accurate, and its
/// replicates stay inside [−1, 1].
/// </summary>
public static class Correlation
{
    /// <summary>Resamples of the pairs behind each interval (cheap: a study has tens of trials).</summary>
    public const int Resamples = 2000;

    public static CorrelationResult Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y, int seed = 0)
    {
        var (a, b) = FinitePairs(x, y);
        return WithInterval(WithPValue(PearsonCoefficient(a, b), a.Length), a, b, PearsonCoefficient, seed);
    }

    /// <summary>Spearman's ρ: Pearson's r of the ranks, ties given their average rank.</summary>
    public static CorrelationResult Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y, int seed = 0)
    {
        var (a, b) = FinitePairs(x, y);
        static double Rho(double[] u, double[] v) => PearsonCoefficient(Ranks(u), Ranks(v));
        return WithInterval(WithPValue(Rho(a, b), a.Length), a, b, Rho, seed);
    }

    /// <summary>The coefficient's BCa interval from <see cref="Resamples"/> resamples of the pairs and a leave-one-out jackknife.</summary>
    private static CorrelationResult WithInterval(CorrelationResult result, double[] x, double[] y, Func<double[], double[], double> coefficient, int seed)
    {
        int n = x.Length;
        if (n < 4 || !double.IsFinite(result.Coefficient)) return result;
        var random = new SeededRandom(seed, stream: 11);
        var replicates = new double[Resamples];
        var (rx, ry) = (new double[n], new double[n]);
        for (int r = 0; r < Resamples; r++)
        {
            for (int i = 0; i < n; i++)
            {
                int k = random.NextInt(n);
                (rx[i], ry[i]) = (x[k], y[k]);
            }
            replicates[r] = coefficient(rx, ry);
        }
        var jackknife = new double[n];
        for (int left = 0; left < n; left++)
            jackknife[left] = coefficient(x.Where((_, i) => i != left).ToArray(), y.Where((_, i) => i != left).ToArray());
        return result with { Interval = BootstrapInterval.Of(BootstrapIntervalMethod.BiasCorrectedAccelerated, result.Coefficient, replicates, jackknife, 0.95) };
    }

    /// <summary>1-based ranks; tied values share the average of their ranks.</summary>
    public static double[] Ranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            double average = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++) ranks[order[k]] = average;
            start = end + 1;
        }
        return ranks;
    }

    private static (double[] X, double[] Y) FinitePairs(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException($"Correlation needs pairs: {x.Count} x values but {y.Count} y values.");
        var keep = Enumerable.Range(0, x.Count).Where(i => double.IsFinite(x[i]) && double.IsFinite(y[i])).ToArray();
        return (keep.Select(i => x[i]).ToArray(), keep.Select(i => y[i]).ToArray());
    }

    private static double PearsonCoefficient(double[] x, double[] y)
    {
        if (x.Length < 2) return double.NaN;
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? double.NaN : Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1);
    }

    private static CorrelationResult WithPValue(double r, int n)
    {
        if (double.IsNaN(r) || n < 3) return new CorrelationResult(r, double.NaN, n);
        if (Math.Abs(r) == 1) return new CorrelationResult(r, 0, n);
        double t = r * Math.Sqrt((n - 2) / (1 - r * r));
        double p = 2 * StudentT.CDF(0, 1, n - 2, -Math.Abs(t));
        return new CorrelationResult(r, p, n);
    }
}
