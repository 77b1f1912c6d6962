using LieGG.Runtime.Results;

namespace LieGG.Runtime.Reports;

/// <summary>
/// A run as Markdown (report.md) and several runs side by side: <see cref="RunReport"/>'s documents written by
/// <see cref="MarkdownWriter"/>. <see cref="ReportFormat.Snapshot"/> gives the form users snapshot-test.
/// </summary>
public static class MarkdownReport
{
    /// <param name="images">The figure files beside the report (PNG), shown where the report refers to them.</param>
    public static string Render(RunRecord record, ReportFormat? format = null, IReadOnlyCollection<string>? images = null)
        => MarkdownWriter.Write(RunReport.Document(record, format), images);

    public static string Compare(IReadOnlyList<RunRecord> records, ReportFormat? format = null)
        => MarkdownWriter.Write(RunReport.Comparison(records, format));
}
