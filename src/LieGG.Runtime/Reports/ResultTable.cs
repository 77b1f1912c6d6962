using System.Globalization;
using System.Text;
using LieGG.Runtime.Results;

namespace LieGG.Runtime.Reports;

/// <summary>
/// Many runs as one flat table: a row per run, a column per setting (<see cref="SpecValues"/>: <c>dataset.TrainCount</c>,
/// <c>architecture.Hidden</c>, …, the values the run used; <c>effective.*</c>, how it ran: quick, polarization rows, analysed
/// split, data directory, threads) and per metric — what pandas or a spreadsheet reads.
/// </summary>
public static class ResultTable
{
    private static readonly string[] Leading = ["file", "run_id", "experiment", "study", "trial", "seed", "quick", "test_metric_name", "test_metric", "test_nll",
        "variance", "min_bias", "relative_variance", "gap_ratio", "algebra", "parameters", "epochs", "train_count", "validation_count", "test_count", "analysis_of"];

    /// <summary>The result.json files under each path (a file, a run folder or a study folder), in order, each once.</summary>
    public static IReadOnlyList<string> Find(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path)) files.Add(Path.GetFullPath(path));
            else if (Directory.Exists(path)) files.AddRange(Directory.EnumerateFiles(path, RunFiles.ResultJson, SearchOption.AllDirectories).Select(Path.GetFullPath).Order(StringComparer.Ordinal));
            else throw new FileNotFoundException($"{path}: no such result file or folder.", path);
        }
        return files.Distinct(StringComparer.Ordinal).ToList();
    }

    public static string Csv(IReadOnlyList<(string File, RunRecord Record)> runs)
    {
        var rows = runs.Select(r => Row(r.File, r.Record)).ToList();
        var settingColumns = rows.SelectMany(r => r.Keys).Where(k => !Leading.Contains(k)).Distinct().Order(StringComparer.Ordinal).ToList();
        var columns = Leading.Concat(settingColumns).ToList();
        var csv = new StringBuilder();
        csv.AppendJoin(',', columns.Select(Quote)).Append('\n');
        foreach (var row in rows)
            csv.AppendJoin(',', columns.Select(c => row.TryGetValue(c, out var value) ? Quote(value) : "")).Append('\n');
        return csv.ToString();
    }

    private static Dictionary<string, string> Row(string file, RunRecord record)
    {
        var result = record.Result;
        var symmetry = result.Symmetry;
        var row = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["file"] = file,
            ["run_id"] = record.RunId,
            ["experiment"] = result.Experiment,
            ["study"] = record.Trial?.Study ?? "",
            ["trial"] = record.Trial is { } trial ? trial.Index.ToString(CultureInfo.InvariantCulture) : "",
            ["seed"] = result.Seed.ToString(CultureInfo.InvariantCulture),
            ["quick"] = result.Quick ? "true" : "false",
            ["test_metric_name"] = result.TestMetricKind.Tag(),
            ["test_metric"] = Number(result.TestMetric),
            ["test_nll"] = result.TestNegativeLogLikelihood is { } testNll ? Number(testNll) : "",
            ["variance"] = Number(symmetry.Variance),
            ["min_bias"] = symmetry.MinBias is { } bias ? Number(bias) : "",
            ["relative_variance"] = Number(symmetry.RelativeVariance),
            ["gap_ratio"] = Number(symmetry.GapRatio),
            ["algebra"] = symmetry.Algebra ?? "",
            ["parameters"] = result.Parameters.ToString(CultureInfo.InvariantCulture),
            ["epochs"] = result.Epochs.ToString(CultureInfo.InvariantCulture),
            ["train_count"] = result.Data.Train.ToString(CultureInfo.InvariantCulture),
            ["validation_count"] = result.Data.Validation.ToString(CultureInfo.InvariantCulture),
            ["test_count"] = result.Data.Test.ToString(CultureInfo.InvariantCulture),
            ["analysis_of"] = result.AnalysisOf ?? "",
        };
        foreach (var value in SpecValues.Of(record.Spec)) row[value.Column] = value.Value;
        // How the run ran beyond its spec (whose sizes, epochs and seed are the ones it used).
        row["effective.Quick"] = result.Quick ? "true" : "false";
        row["effective.PolarizationRows"] = symmetry.Rows.ToString(CultureInfo.InvariantCulture);
        row["effective.AnalysedSplit"] = result.AnalysedSplit.ToString();
        row["effective.DataDirectory"] = result.DataDirectory ?? "";
        row["effective.Threads"] = result.Threads.ToString(CultureInfo.InvariantCulture);
        row["overrides"] = string.Join(" ", result.Overrides);
        foreach (var parameter in record.Trial?.Parameters ?? []) row[$"trial.{parameter.Name}"] = parameter.Value;
        return row;
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string value)
        => value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
