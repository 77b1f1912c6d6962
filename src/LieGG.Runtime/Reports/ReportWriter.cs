using LieGG.Runtime.Plots;
using LieGG.Runtime.Symmetry;

namespace LieGG.Runtime.Reports;

/// <summary>Writes a run's folder: result.json, report.md, CSVs and PNG figures, each file atomically.</summary>
public static class ReportWriter
{
    /// <returns>The run folder, <c>&lt;output&gt;/&lt;experiment&gt;/&lt;run-id&gt;</c>.</returns>
    public static string Write(RunRecord record, string outputDirectory, SpatialPrior? prior = null)
        => WriteInto(record, Path.Combine(outputDirectory, record.Result.Experiment, record.RunId), prior);

    /// <summary>Writes the run's files into exactly <paramref name="folder"/> (e.g. a study's trial folder).</summary>
    public static string WriteInto(RunRecord record, string folder, SpatialPrior? prior = null)
    {
        Directory.CreateDirectory(folder);
        var figures = ReportPlots.Render(record, prior);
        foreach (var (name, bytes) in figures) AtomicFile.Write(Path.Combine(folder, name), temporary => File.WriteAllBytes(temporary, bytes));
        foreach (var (name, csv) in CsvExport.Tables(record)) AtomicFile.WriteAllText(Path.Combine(folder, name), csv);
        AtomicFile.WriteAllText(Path.Combine(folder, "report.md"), MarkdownReport.Render(record, ReportFormat.Full, figures.Keys.ToList()));
        // Last, so a folder with result.json is a complete run (a resumable study can rely on it).
        AtomicFile.WriteAllText(Path.Combine(folder, "result.json"), record.ToJson());
        return folder;
    }

    /// <summary>The spatial prior a record was analysed with, recovered from its settings (for figures of re-rendered runs).</summary>
    public static SpatialPrior? SpatialPriorOf(RunRecord record)
    {
        var description = record.Settings.Prior;
        if (!description.StartsWith("spatial prior", StringComparison.Ordinal)) return null;
        var convention = description.Contains(nameof(LieGG.Dsl.SpatialConvention.Reference), StringComparison.Ordinal)
            ? LieGG.Dsl.SpatialConvention.Reference
            : LieGG.Dsl.SpatialConvention.Centered;
        return new SpatialPrior(convention, description.Contains("affine", StringComparison.Ordinal));
    }
}
