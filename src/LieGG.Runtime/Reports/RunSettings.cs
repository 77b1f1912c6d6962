using System.Globalization;
using LieGG.Runtime.Results;

namespace LieGG.Runtime.Reports;

/// <summary>One row of a report's Settings table: the value the run used, and where it came from when not the declaration.</summary>
public sealed record SettingRow(string Setting, string Value, string Note);

/// <summary>
/// A run's Settings table, a view of its recorded spec (<see cref="SpecValues"/>): the values the run used — split sizes,
/// epochs and seed as it settled them, Auto choices resolved — each with a note where it is not simply the declaration's
/// (--set, --quick, a data directory's split or digits, a sample budget).
/// </summary>
public static class RunSettings
{
    public static IReadOnlyList<SettingRow> Rows(RunRecord record)
    {
        var result = record.Result;
        var overridden = result.Overrides.Select(o => o[..o.IndexOf('=')]).ToHashSet(StringComparer.Ordinal);
        var rows = new List<SettingRow>();
        foreach (var value in SpecValues.Of(record.Spec))
        {
            if (value.Property == "kind") continue;
            var (used, note) = Used(record, value);
            if (overridden.Contains(value.Target)) note = note.Length == 0 ? "--set" : $"--set; {note}";
            rows.Add(new SettingRow(value.Target, used, note));
        }
        return rows;
    }

    private static readonly string[] Counts = ["TrainCount", "ValidationCount", "TestCount"];

    /// <summary>The value as the run used it, and where it came from when not simply the declaration.</summary>
    private static (string Used, string Note) Used(RunRecord record, SpecValue value)
    {
        var result = record.Result;
        var training = record.Spec.Training;
        return (value.Group, value.Property) switch
        {
            ("dataset", "Digits") when result.DataDirectory is not null => ("the --data-dir files", $"{value.Value} declared; {result.DataDirectory}"),
            ("dataset", "Prerotated") when result.DataDirectory is not null && (result.Prerotated ? "true" : "false") != value.Value =>
                (result.Prerotated ? "true" : "false", "--prerotated, or rot-MNIST files"),
            ("dataset", var count) when Counts.Contains(count) && result.Quick => (value.Value, "--quick"),
            ("dataset", var count) when Counts.Contains(count) && result.DataDirectory is not null => (value.Value, result.PoolSplits ? "--pool-splits" : "the files' split; see Data"),
            ("training", "Epochs") when training.SampleBudget > 0 && result.AnalysisOf is null => (value.Value, $"SampleBudget {training.SampleBudget.ToString(CultureInfo.InvariantCulture)} over the training split"),
            ("training", "Epochs") when result.Quick => (value.Value, "--quick"),
            ("training", "Loss") when value.Value == nameof(LieGG.Dsl.Loss.Auto) => (training.ResolveLoss(result.Task).ToString(), "Auto: chosen by the task"),
            ("analysis", "Transform") when value.Value == "auto" && result.OutputSize > 0 =>
                (record.Spec.Analysis.ResolveTransform(result.Task, result.OutputSize).ToString(), "auto: chosen by the task"),
            _ => (value.Value, ""),
        };
    }
}
