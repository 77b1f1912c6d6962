using LieGG.Runtime.Results;
using LieGG.Runtime.Studies;

namespace LieGG.Runtime.Tests.Studies;

public sealed class CorrelationTests
{
    private static readonly double[] X = [1, 2, 3, 4, 5];
    private static readonly double[] Y = [2, 4, 5, 4, 5];

    [Fact]
    public void Pearson_matches_the_hand_computed_value()
    {
        // dx = (−2, −1, 0, 1, 2), dy = (−2, 0, 1, 0, 1): Σdxdy = 6, Σdx² = 10, Σdy² = 6 ⇒ r = 6/√60.
        var result = Correlation.Pearson(X, Y);
        Assert.Equal(6 / Math.Sqrt(60), result.Coefficient, 12);
        Assert.Equal(5, result.N);
    }

    [Fact]
    public void Spearman_gives_ties_their_average_rank()
    {
        Assert.Equal([1, 2.5, 4.5, 2.5, 4.5], Correlation.Ranks(Y));
        // Ranks of y: dy = (−2, −0.5, 1.5, −0.5, 1.5): Σdxdy = 7, Σdy² = 9 ⇒ ρ = 7/√90.
        Assert.Equal(7 / Math.Sqrt(90), Correlation.Spearman(X, Y).Coefficient, 12);
    }

    [Fact]
    public void Spearman_is_one_for_any_monotonic_relation()
    {
        double[] x = [0.1, 0.5, 2, 7, 30];
        Assert.Equal(1, Correlation.Spearman(x, x.Select(v => Math.Exp(v / 10)).ToArray()).Coefficient, 12);
        Assert.Equal(-1, Correlation.Spearman(x, x.Select(v => -v * v).ToArray()).Coefficient, 12);
    }

    [Fact]
    public void P_value_equals_the_t_distribution_tail_integrated_numerically()
    {
        var result = Correlation.Pearson(X, Y);
        int df = 3;
        double t = result.Coefficient * Math.Sqrt(df / (1 - result.Coefficient * result.Coefficient));
        // Two-sided tail 2∫_t^∞ f(s) ds of the Student-t density, by Simpson's rule on s = t + u/(1 − u).
        double Density(double s) => Math.Exp(MathNet.Numerics.SpecialFunctions.GammaLn((df + 1) / 2.0) - MathNet.Numerics.SpecialFunctions.GammaLn(df / 2.0))
            / Math.Sqrt(df * Math.PI) * Math.Pow(1 + s * s / df, -(df + 1) / 2.0);
        const int steps = 200_000;
        double h = 1.0 / steps, integral = 0;
        for (int i = 0; i <= steps; i++)
        {
            double u = Math.Min(i * h, 1 - 1e-12);
            double value = Density(t + u / (1 - u)) / ((1 - u) * (1 - u));
            integral += value * (i == 0 || i == steps ? 1 : i % 2 == 1 ? 4 : 2);
        }
        integral *= h / 3;
        Assert.Equal(2 * integral, result.PValue, 6);
        Assert.InRange(result.PValue, 0.12, 0.13);
    }

    [Fact]
    public void Non_finite_pairs_are_dropped_and_degenerate_input_gives_nan()
    {
        Assert.Equal(4, Correlation.Pearson([1, 2, double.NaN, 4, 5], [1, 3, 2, 4, 6]).N);
        Assert.True(double.IsNaN(Correlation.Pearson([1, 1, 1], [1, 2, 3]).Coefficient));
        Assert.True(double.IsNaN(Correlation.Spearman([1, 2], [2, 1]).PValue));
    }

    /// <summary>
    /// Coverage by simulation: 200 samples of 30 pairs from a bivariate Gaussian with correlation ρ = 0.6 (seeds 0 … 199);
    /// the 95 % BCa interval of Pearson's r covers 0.6 in 90–99 % of them (with probability > 0.99 for a correct interval).
    /// </summary>
    [Fact]
    public void The_bca_interval_of_pearsons_r_covers_the_true_correlation()
    {
        const double rho = 0.6;
        const int pairs = 30, repetitions = 200;
        int covered = 0;
        for (int repetition = 0; repetition < repetitions; repetition++)
        {
            var random = new LieGG.Runtime.Data.SeededRandom(repetition, stream: 3);
            var x = new double[pairs];
            var y = new double[pairs];
            for (int i = 0; i < pairs; i++)
            {
                double u = random.NextGaussian(), v = random.NextGaussian();
                (x[i], y[i]) = (u, rho * u + Math.Sqrt(1 - rho * rho) * v);
            }
            var interval = Correlation.Pearson(x, y, seed: repetition).Interval!;
            Assert.Equal(LieGG.Runtime.Symmetry.BootstrapIntervalMethod.BiasCorrectedAccelerated, interval.Method);
            if (interval.Lower <= rho && rho <= interval.Upper) covered++;
        }
        Assert.InRange((double)covered / repetitions, 0.90, 0.99);
    }

    [Fact]
    public void Intervals_are_reproducible_and_absent_below_four_pairs()
    {
        Assert.Equal(Correlation.Spearman(X, Y).Interval, Correlation.Spearman(X, Y).Interval);
        Assert.NotEqual(Correlation.Pearson(X, Y, seed: 1).Interval, Correlation.Pearson(X, Y, seed: 2).Interval);
        Assert.Null(Correlation.Pearson([1.0, 2, 3], [1.0, 3, 2]).Interval);
    }
}
