using System.Text;

namespace LieGG.Runtime.Reports;

/// <summary>Writes a <see cref="ReportDocument"/> as GitHub-flavoured Markdown: each block followed by a blank line.</summary>
public static class MarkdownWriter
{
    /// <param name="images">The figure files that exist; a figure without one is left out.</param>
    public static string Write(ReportDocument document, IReadOnlyCollection<string>? images = null)
    {
        images ??= [];
        var md = new StringBuilder();
        foreach (var block in document.Blocks)
        {
            switch (block)
            {
                case ReportHeading heading:
                    md.Append('#', heading.Level).Append(' ').Append(heading.Text).Append('\n');
                    break;
                case ReportParagraph paragraph:
                    if (paragraph.OnlyWithFigures && images.Count == 0) continue;
                    md.Append(paragraph.Text).Append('\n');
                    break;
                case ReportBullets bullets:
                    foreach (var item in bullets.Items) md.Append("- ").Append(item).Append('\n');
                    break;
                case ReportProperties properties:
                    md.Append("| | |\n|---|---|\n");
                    foreach (var (name, value) in properties.Rows) Row(md, [name, Escape(value)]);
                    break;
                case ReportTable table:
                    Row(md, table.Header);
                    md.Append('|').Append(string.Concat(Enumerable.Repeat("---|", table.Header.Count))).Append('\n');
                    foreach (var row in table.Rows) Row(md, row.Select(Escape).ToList());
                    break;
                case ReportFigure figure:
                    if (!images.Contains(figure.File)) continue;
                    md.Append("![").Append(figure.Caption).Append("](").Append(figure.File).Append(")\n");
                    break;
                case ReportCode code:
                    md.Append("```\n").Append(code.Text).Append("```\n");
                    break;
                case ReportChart:
                    // Markdown shows the chart's figure file, which the document lists beside it.
                    continue;
            }
            md.Append('\n');
        }
        return md.ToString();
    }

    private static void Row(StringBuilder md, IReadOnlyList<string> cells)
    {
        md.Append('|');
        foreach (var cell in cells) md.Append(cell.Length == 0 ? " |" : $" {cell} |");
        md.Append('\n');
    }

    private static string Escape(string cell) => cell.Replace("|", "\\|");
}
