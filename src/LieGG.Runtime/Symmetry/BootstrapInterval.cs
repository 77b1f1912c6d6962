using MathNet.Numerics.Distributions;

namespace LieGG.Runtime.Symmetry;

/// <summary>How a bootstrap confidence interval is read off the replicates.</summary>
public enum BootstrapIntervalMethod
{
    /// <summary>
    /// Efron's bias-corrected and accelerated interval (BCa): the percentiles shifted by the replicates' median bias
    /// against the estimate (z₀) and by the skewness of the estimate's influence (the acceleration a, from a jackknife).
    /// Second-order accurate for smooth statistics (a correlation coefficient); when the bias is of the order of the
    /// spread, as for λ_min of a Gram with many eigenvalues above it, z₀ reads the replicates' far tail and it under-covers.
    /// </summary>
    BiasCorrectedAccelerated,

    /// <summary>The replicates' α/2 and 1 − α/2 quantiles: first-order only, and off by twice the bias for a biased statistic.</summary>
    Percentile,

    /// <summary>
    /// The basic (pivotal) interval [2θ̂ − q₁₋α/₂, 2θ̂ − qα/₂]: reads θ̂ − θ as distributed like θ* − θ̂, so a bias the
    /// resamples reproduce is removed, however large against the spread.
    /// </summary>
    Basic,
}

/// <summary>Bootstrap confidence intervals from replicates (and, for BCa, jackknife values).</summary>
public static class BootstrapInterval
{
    /// <summary>Jackknife groups for the acceleration: enough for a stable skewness, few enough to cost a tenth of 200 resamples.</summary>
    public const int JackknifeGroups = 20;

    /// <param name="estimate">The statistic on the full data.</param>
    /// <param name="replicates">The statistic on each bootstrap resample (not modified).</param>
    /// <param name="jackknife">The statistic with each observation (or each of equal groups of them) left out; BCa only.</param>
    public static ConfidenceInterval Of(BootstrapIntervalMethod method, double estimate, IReadOnlyList<double> replicates, IReadOnlyList<double>? jackknife, double level)
    {
        if (level is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(level), level, "The confidence level must lie strictly between 0 and 1.");
        var sorted = replicates.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0) return new ConfidenceInterval(double.NaN, double.NaN, level, replicates.Count);
        double alpha = (1 - level) / 2;
        if (method == BootstrapIntervalMethod.Percentile || !double.IsFinite(estimate))
            return new ConfidenceInterval(Quantile(sorted, alpha), Quantile(sorted, 1 - alpha), level, replicates.Count, BootstrapIntervalMethod.Percentile);
        if (method == BootstrapIntervalMethod.Basic)
            return new ConfidenceInterval(2 * estimate - Quantile(sorted, 1 - alpha), 2 * estimate - Quantile(sorted, alpha), level, replicates.Count, method);
        if (jackknife is null || jackknife.Count == 0) throw new ArgumentNullException(nameof(jackknife), "A BCa interval needs the jackknife values for its acceleration.");
        var (lower, upper) = BcaLevels(estimate, sorted, jackknife, alpha);
        return new ConfidenceInterval(Quantile(sorted, lower), Quantile(sorted, upper), level, replicates.Count, method);
    }

    /// <summary>The quantile levels BCa reads the sorted replicates at, in place of α/2 and 1 − α/2.</summary>
    internal static (double Lower, double Upper) BcaLevels(double estimate, double[] sorted, IReadOnlyList<double> jackknife, double alpha)
    {
        int below = sorted.Count(v => v < estimate), equal = sorted.Count(v => v == estimate);
        // Kept inside (0, 1) so a statistic whose replicates all fall on one side still gives a finite z₀.
        double share = Math.Clamp((below + 0.5 * equal) / sorted.Length, 0.5 / sorted.Length, 1 - 0.5 / sorted.Length);
        double z0 = Normal.InvCDF(0, 1, share);
        double a = Acceleration(jackknife);
        double Level(double z)
        {
            double shifted = z0 + (z0 + z) / (1 - a * (z0 + z));
            return double.IsFinite(shifted) ? Normal.CDF(0, 1, shifted) : z > 0 ? 1 : 0;
        }
        return (Level(Normal.InvCDF(0, 1, alpha)), Level(Normal.InvCDF(0, 1, 1 - alpha)));
    }

    /// <summary>a = Σ(θ̄ − θ₍ᵢ₎)³ / (6 [Σ(θ̄ − θ₍ᵢ₎)²]^{3/2}); 0 when the jackknife values do not vary.</summary>
    public static double Acceleration(IReadOnlyList<double> jackknife)
    {
        var values = jackknife.Where(double.IsFinite).ToArray();
        if (values.Length < 3) return 0;
        double mean = values.Average(), squares = 0, cubes = 0;
        foreach (var v in values)
        {
            double d = mean - v;
            squares += d * d;
            cubes += d * d * d;
        }
        return squares > 0 ? cubes / (6 * Math.Pow(squares, 1.5)) : 0;
    }

    /// <summary>Linear-interpolation quantile of sorted values (type 7, as numpy's default).</summary>
    public static double Quantile(double[] sorted, double q)
    {
        double position = Math.Clamp(q, 0, 1) * (sorted.Length - 1);
        int low = (int)Math.Floor(position);
        int high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }

    /// <summary>Which of <paramref name="groups"/> jackknife groups observation <paramref name="index"/> belongs to (interleaved, so an ordered data set spreads over all).</summary>
    public static int GroupOf(int index, int groups) => index % groups;
}
