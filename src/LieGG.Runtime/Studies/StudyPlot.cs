using LieGG.Dsl;

namespace LieGG.Runtime.Studies;

/// <summary>A declared study figure (see PlotAttribute).</summary>
public sealed record StudyPlot(string X, Metric Y, string? Series = null, bool LogX = false, bool LogY = false)
{
    public string FileName => $"plot-{Y}-vs-{X}{(Series is null ? "" : $"-by-{Series}")}.png".ToLowerInvariant();

    /// <summary>One plotted point: the mean and (population) standard deviation of Y over the trials at this x.</summary>
    public sealed record Point(double X, double Mean, double Std, int Count);

    /// <summary>Points per series (series label → points ordered by x). Non-finite values are left out.</summary>
    public IReadOnlyList<(string Series, IReadOnlyList<Point> Points)> Points(StudyResult study)
    {
        bool xIsMetric = Enum.TryParse<Metric>(X, ignoreCase: false, out var xMetric);
        double? XOf(TrialRow row) => xIsMetric ? row.Value(xMetric) : row.Trial.Parameters.FirstOrDefault(p => p.Name == X)?.Number;
        string SeriesOf(TrialRow row) => Series is null ? Y.ToString() : $"{Series} = {row.Trial.Parameters.FirstOrDefault(p => p.Name == Series)?.Value}";

        return study.Rows
            .Where(r => XOf(r) is { } x && double.IsFinite(x) && double.IsFinite(r.Value(Y)))
            .GroupBy(SeriesOf)
            .OrderBy(g => g.Min(r => r.Trial.Index))
            .Select(series => (series.Key, (IReadOnlyList<Point>)(xIsMetric
                ? series.Select(r => new Point(XOf(r)!.Value, r.Value(Y), 0, 1)).OrderBy(p => p.X).ToList()
                : series.GroupBy(r => XOf(r)!.Value).OrderBy(g => g.Key).Select(g =>
                {
                    var ys = g.Select(r => r.Value(Y)).ToList();
                    var (mean, std) = ReplicateStatistics.MeanAndStd(ys);
                    return new Point(g.Key, mean, std, ys.Count);
                }).ToList())))
            .ToList();
    }
}
