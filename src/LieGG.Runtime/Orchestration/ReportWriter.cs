using LieGG.Runtime.Plots;
using LieGG.Runtime.Reports;
using LieGG.Runtime.Results;

namespace LieGG.Runtime.Orchestration;

/// <summary>Writes a run's folder: result.json, report.md, report.html, CSVs and figures (PNG and SVG), each file atomically.</summary>
public static class ReportWriter
{
    /// <returns>The run folder, <c>&lt;output&gt;/&lt;experiment&gt;/&lt;run-id&gt;</c>.</returns>
    public static string Write(RunRecord record, string outputDirectory)
        => WriteInto(record, Path.Combine(outputDirectory, record.Result.Experiment, record.RunId));

    /// <summary>Writes the run's files into exactly <paramref name="folder"/> (e.g. a study's trial folder).</summary>
    public static string WriteInto(RunRecord record, string folder)
    {
        Directory.CreateDirectory(folder);
        var figures = ReportPlots.Render(record);
        foreach (var (name, bytes) in figures) AtomicFile.Write(Path.Combine(folder, name), temporary => File.WriteAllBytes(temporary, bytes));
        foreach (var (name, csv) in CsvExport.Tables(record)) AtomicFile.WriteAllText(Path.Combine(folder, name), csv);
        AtomicFile.WriteAllText(Path.Combine(folder, RunFiles.ReportMarkdown), MarkdownReport.Render(record, ReportFormat.Full, FigureFiles.Images(figures.Keys)));
        AtomicFile.WriteAllText(Path.Combine(folder, HtmlReport.RunPage), HtmlReport.Run(record, figures));
        // Last, so a folder with result.json is a complete run (a resumable study can rely on it).
        AtomicFile.WriteAllText(Path.Combine(folder, RunFiles.ResultJson), record.ToJson());
        return folder;
    }
}
