namespace LieGG.Runtime.Results;

/// <summary>
/// The one rule for "mean ± std" over a study's replicates, in its tables and its figures alike: the sample standard
/// deviation (n − 1 in the denominator); 0 for a single value.
/// </summary>
public static class ReplicateStatistics
{
    public static (double Mean, double Std) MeanAndStd(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("No values to summarise.", nameof(values));
        double mean = values.Average();
        return (mean, values.Count == 1 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)));
    }
}
