using MathNet.Numerics.Distributions;

namespace LieGG.Runtime.Results;

/// <summary>A correlation coefficient with its two-sided p-value for the null hypothesis of no correlation.</summary>
/// <param name="N">Pairs used (pairs with a non-finite value are dropped).</param>
public sealed record CorrelationResult(double Coefficient, double PValue, int N);

/// <summary>Pearson and Spearman correlation with two-sided p-values from the t distribution with n − 2 degrees of freedom.</summary>
public static class Correlation
{
    public static CorrelationResult Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var (a, b) = FinitePairs(x, y);
        return WithPValue(PearsonCoefficient(a, b), a.Length);
    }

    /// <summary>Spearman's ρ: Pearson's r of the ranks, ties given their average rank.</summary>
    public static CorrelationResult Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var (a, b) = FinitePairs(x, y);
        return WithPValue(PearsonCoefficient(Ranks(a), Ranks(b)), a.Length);
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
