using System.Text.Json;
using LieGG.Dsl;
using LieGG.Runtime.Studies;
using LieGG.Runtime.Training.Laplace;

namespace LieGG.Runtime.Results;

/// <summary>A layer's own relative equivariance error in a trial: for rot90 and for the stride shifts (the larger of the two axes).</summary>
public sealed record LayerEquivarianceSummary(string Layer, double? Rotation, double? Shift)
{
    public static IReadOnlyList<LayerEquivarianceSummary>? Of(Symmetry.Equivariance.EquivarianceResult? equivariance)
    {
        if (equivariance is null || equivariance.Elements.Count == 0) return null;
        var rotation = equivariance.Elements.FirstOrDefault(e => e.Element == new Symmetry.Equivariance.Rotation90(1).Name);
        var shifts = equivariance.Elements.Where(e => e.Element.StartsWith("shift", StringComparison.Ordinal)).ToList();
        return equivariance.Elements[0].Layers.Select((layer, l) => new LayerEquivarianceSummary(layer.Name, rotation?.Layers[l].OwnRelative,
            shifts.Count == 0 ? null : shifts.Max(e => e.Layers[l].OwnRelative))).ToList();
    }
}

/// <summary>One finished trial of a study.</summary>
public sealed record TrialRow(
    TrialInfo Trial,
    [property: System.Text.Json.Serialization.JsonPropertyName("testMetricName")] TestMetricKind TestMetricKind,
    double TestMetric,
    double Variance,
    double? MinBias,
    double RelativeVariance,
    double GapRatio,
    long Parameters,
    double WallSeconds,
    IReadOnlyList<double>? LayerVariance = null,
    IReadOnlyList<double?>? LayerMinBias = null,
    double? FcShare = null,
    double? NegativeLogMarginalLikelihood = null,
    IReadOnlyList<LayerShare>? LayerShares = null,
    double? ConvShare = null,
    double? GroupConvShare = null,
    double? TestNll = null,
    IReadOnlyList<LayerEquivarianceSummary>? LayerEquivariance = null,
    double? PairVariance = null,
    double? PairMinBias = null,
    double? PairGapRatio = null,
    IReadOnlyList<Training.Laplace.NestedModelResult>? Nested = null,
    Training.Laplace.LaplaceCheck? KfacCheck = null)
{
    public static TrialRow From(RunRecord record) => new(
        record.Trial ?? throw new ArgumentException($"Run {record.RunId} is not a study trial.", nameof(record)),
        record.Result.TestMetricKind,
        record.Result.TestMetric,
        record.Result.Symmetry.Variance,
        record.Result.Symmetry.MinBias,
        record.Result.Symmetry.RelativeVariance,
        record.Result.Symmetry.GapRatio,
        record.Result.Parameters,
        record.Result.Timings.TotalSeconds,
        record.Result.Layers?.Select(l => l.Symmetry.Variance).ToList(),
        record.Result.Layers?.Select(l => l.Symmetry.MinBias).ToList(),
        record.Result.Laplace?.MeanFcShare,
        record.Result.Laplace?.Final,
        record.Result.Laplace?.Layers,
        record.Result.Laplace?.MeanConvShare,
        record.Result.Laplace is { HasGroupConv: true } laplace ? laplace.MeanGroupConvShare : null,
        record.Result.TestNegativeLogLikelihood,
        LayerEquivarianceSummary.Of(record.Result.Equivariance),
        record.Result.Joint?.Variance,
        record.Result.Joint?.MinBias,
        record.Result.Joint?.GapRatio,
        record.Result.Laplace?.Nested,
        record.Result.Laplace?.Check);

    public double Value(Metric metric) => metric switch
    {
        Metric.TestMetric => TestMetric,
        Metric.Variance => Variance,
        Metric.MinBias => MinBias ?? double.NaN,
        Metric.RelativeVariance => RelativeVariance,
        Metric.GapRatio => GapRatio,
        Metric.Parameters => Parameters,
        Metric.WallSeconds => WallSeconds,
        Metric.FcShare => FcShare ?? double.NaN,
        Metric.ConvShare => ConvShare ?? double.NaN,
        Metric.GroupConvShare => GroupConvShare ?? double.NaN,
        Metric.PairVariance => PairVariance ?? double.NaN,
        Metric.PairMinBias => PairMinBias ?? double.NaN,
        Metric.PairGapRatio => PairGapRatio ?? double.NaN,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };
}

/// <summary>Correlation of two per-trial metrics across a study.</summary>
public sealed record CorrelationRow(Metric X, Metric Y, CorrelationResult Pearson, CorrelationResult Spearman);

/// <summary>A trial of the study with no result yet, and where it stands ("failed on node3: …", "running: held by …").</summary>
public sealed record MissingTrial(int Index, string Label, string State);

/// <summary>A finished trial that was taken over from an earlier holder that abandoned it, and why that holder was judged gone.</summary>
public sealed record TakenOverTrial(int Index, string Reason);

/// <summary>A study's table: every finished trial, the declared correlations, and how complete it is.</summary>
/// <param name="Quick">The trials were smoke-size runs (see ExperimentRunOptions.Quick): not results.</param>
/// <param name="Reference">Published figures to print beside the results.</param>
public sealed record StudyResult(string Study, int ExpectedTrials, IReadOnlyList<TrialRow> Rows, IReadOnlyList<CorrelationRow> Correlations, bool Quick = false, string? Reference = null)
{
    public bool IsComplete => Rows.Count == ExpectedTrials;

    /// <summary>The trials without a result at the merge, and why (failed, running, not started).</summary>
    public IReadOnlyList<MissingTrial> Missing { get; init; } = [];

    /// <summary>Finished trials whose training took over an abandoned claim.</summary>
    public IReadOnlyList<TakenOverTrial> TakenOver { get; init; } = [];

    public static StudyResult FromRecords(string study, int expectedTrials, IEnumerable<RunRecord> records, IEnumerable<(Metric X, Metric Y)> correlations, string? reference = null)
    {
        records = records.ToList();
        var quick = records.Where(r => r.Result.Quick).ToList();
        if (quick.Count > 0 && quick.Count < records.Count())
            throw new InvalidDataException(
                $"Study '{study}' mixes --quick and full-size trials ({quick.Count} quick: {string.Join(", ", quick.Take(5).Select(r => r.Trial?.Key ?? r.RunId))}{(quick.Count > 5 ? ", …" : "")}); " +
                "a table of both would mean nothing. Delete one kind of trial folder and run the missing trials again.");
        var rows = records.Select(TrialRow.From).OrderBy(r => r.Trial.Index).ToList();
        var table = correlations.Select(c => new CorrelationRow(c.X, c.Y,
            Correlation.Pearson(rows.Select(r => r.Value(c.X)).ToList(), rows.Select(r => r.Value(c.Y)).ToList()),
            Correlation.Spearman(rows.Select(r => r.Value(c.X)).ToList(), rows.Select(r => r.Value(c.Y)).ToList()))).ToList();
        return new StudyResult(study, expectedTrials, rows, table, records.Any(r => r.Result.Quick), reference)
        {
            TakenOver = records.Where(r => r.TookOver is not null && r.Trial is not null).OrderBy(r => r.Trial!.Index).Select(r => new TakenOverTrial(r.Trial!.Index, r.TookOver!)).ToList(),
        };
    }

    /// <summary>
    /// The points of a declared figure, per series (series label → points ordered by x): over a swept parameter, the
    /// mean and sample standard deviation (<see cref="ReplicateStatistics"/>) of Y over the trials at each x; over a
    /// metric, one point per trial. Non-finite values are left out.
    /// </summary>
    public IReadOnlyList<(string Series, IReadOnlyList<StudyPoint> Points)> Series(StudyPlot plot)
    {
        bool xIsMetric = Enum.TryParse<Metric>(plot.X, ignoreCase: false, out var xMetric);
        double? XOf(TrialRow row) => xIsMetric ? row.Value(xMetric) : row.Trial.Parameters.FirstOrDefault(p => p.Name == plot.X)?.Number;
        string SeriesOf(TrialRow row) => plot.Series is null ? plot.Y.ToString() : $"{plot.Series} = {row.Trial.Parameters.FirstOrDefault(p => p.Name == plot.Series)?.Value}";

        return Rows
            .Where(r => XOf(r) is { } x && double.IsFinite(x) && double.IsFinite(r.Value(plot.Y)))
            .GroupBy(SeriesOf)
            .OrderBy(g => g.Min(r => r.Trial.Index))
            .Select(series => (series.Key, (IReadOnlyList<StudyPoint>)(xIsMetric
                ? series.Select(r => new StudyPoint(XOf(r)!.Value, r.Value(plot.Y), 0, 1)).OrderBy(p => p.X).ToList()
                : series.GroupBy(r => XOf(r)!.Value).OrderBy(g => g.Key).Select(g =>
                {
                    var ys = g.Select(r => r.Value(plot.Y)).ToList();
                    var (mean, std) = ReplicateStatistics.MeanAndStd(ys);
                    return new StudyPoint(g.Key, mean, std, ys.Count);
                }).ToList())))
            .ToList();
    }

    public string ToJson() => JsonSerializer.Serialize(this, RunRecord.JsonOptions);

    public static StudyResult Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such study file.", path);
        try
        {
            return JsonSerializer.Deserialize<StudyResult>(File.ReadAllText(path), RunRecord.JsonOptions) ?? throw new JsonException("the file holds null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a LieGG study file ({e.Message}).", e);
        }
    }
}

/// <summary>One point of a study figure: the mean and sample standard deviation of Y over the <paramref name="Count"/> trials at <paramref name="X"/>.</summary>
public sealed record StudyPoint(double X, double Mean, double Std, int Count);
