using LieGG.Runtime.Results;

namespace LieGG.Runtime.Reports;

/// <summary>The HTML pages: a run's report.html, a study's study.html and a comparison's compare.html, each from the same document as its Markdown.</summary>
public static class HtmlReport
{
    /// <summary>A run's (or a trial's) page in its folder.</summary>
    public const string RunPage = "report.html";

    /// <summary>A study's page in its folder.</summary>
    public const string StudyPage = "study.html";

    /// <summary>A comparison's page.</summary>
    public const string ComparisonPage = "compare.html";

    /// <param name="figures">The run's figure files by name (PNG and SVG, as the plot renderer gives them); the SVGs go inline.</param>
    public static string Run(RunRecord record, IReadOnlyDictionary<string, byte[]> figures, ReportFormat? format = null)
        => HtmlWriter.Write(RunReport.Document(record, format), $"{record.Result.Experiment} — {record.RunId}", Svgs(figures));

    public static string Study(StudyResult study, IReadOnlyDictionary<string, byte[]> figures, ReportFormat? format = null)
        => HtmlWriter.Write(StudyReport.Document(study, format ?? ReportFormat.Full, figures.Keys.Where(f => f.EndsWith(".png", StringComparison.Ordinal)).ToList()), $"Study {study.Study}", Svgs(figures));

    public static string Comparison(IReadOnlyList<RunRecord> records, ReportFormat? format = null)
        => HtmlWriter.Write(RunReport.Comparison(records, format), $"Comparison of {records.Count} runs");

    /// <summary>Each figure's SVG text under its PNG name, the name documents refer to.</summary>
    private static Dictionary<string, string> Svgs(IReadOnlyDictionary<string, byte[]> figures)
        => figures.Where(f => f.Key.EndsWith(".svg", StringComparison.Ordinal))
            .ToDictionary(f => Path.ChangeExtension(f.Key, ".png"), f => System.Text.Encoding.UTF8.GetString(f.Value));
}
