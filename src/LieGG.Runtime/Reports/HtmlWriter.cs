using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace LieGG.Runtime.Reports;

/// <summary>
/// Writes a <see cref="ReportDocument"/> as one self-contained HTML page: figures inline as SVG, the stylesheet and the
/// script (sorting and filtering trial tables, toggling chart series, a value readout) inside the file, nothing fetched.
/// </summary>
public static partial class HtmlWriter
{
    private static readonly Lazy<string> Style = new(() => Resource("report.css"));
    private static readonly Lazy<string> Script = new(() => Resource("report.js"));

    /// <param name="figures">SVG text by the figure's file name as the document names it (<c>spectrum.png</c>); a figure without one is left out.</param>
    public static string Write(ReportDocument document, string title, IReadOnlyDictionary<string, string>? figures = null)
    {
        figures ??= new Dictionary<string, string>();
        var charted = document.Blocks.OfType<ReportChart>().Where(c => c.ReplacesFigure is not null && c.Series.Any(s => s.Y.Any(double.IsFinite))).Select(c => c.ReplacesFigure!).ToHashSet();
        var html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<meta name=\"generator\" content=\"LieGG.Dsl\">\n<title>").Append(Encode(title)).Append("</title>\n<style>\n").Append(Style.Value).Append("</style>\n</head>\n<body>\n<main>\n");
        int figureNumber = 0;
        foreach (var block in document.Blocks)
        {
            switch (block)
            {
                case ReportHeading heading:
                    html.Append($"<h{heading.Level} id=\"{Slug(heading.Text)}\">").Append(Inline(heading.Text)).Append($"</h{heading.Level}>\n");
                    break;
                case ReportParagraph paragraph:
                    if (paragraph.OnlyWithFigures && figures.Count == 0) break;
                    html.Append("<p>").Append(Inline(paragraph.Text)).Append("</p>\n");
                    break;
                case ReportBullets bullets:
                    html.Append("<ul>\n");
                    foreach (var item in bullets.Items) html.Append("<li>").Append(Inline(item)).Append("</li>\n");
                    html.Append("</ul>\n");
                    break;
                case ReportProperties properties:
                    html.Append("<div class=\"table-wrap\"><table class=\"properties\">\n<tbody>\n");
                    foreach (var (name, value) in properties.Rows)
                        html.Append("<tr><th scope=\"row\">").Append(Inline(name)).Append("</th><td>").Append(Inline(value)).Append("</td></tr>\n");
                    html.Append("</tbody>\n</table></div>\n");
                    break;
                case ReportTable table:
                    Table(html, table);
                    break;
                case ReportFigure figure:
                    if (charted.Contains(figure.File) || !figures.TryGetValue(figure.File, out var svg)) break;
                    figureNumber++;
                    html.Append("<figure class=\"figure\" data-file=\"").Append(Encode(figure.File)).Append("\">\n").Append(Inlined(svg, $"f{figureNumber}-"))
                        .Append("\n<figcaption>").Append(Encode(figure.Caption)).Append(" (<code>").Append(Encode(Path.ChangeExtension(figure.File, ".svg"))).Append("</code>)</figcaption>\n</figure>\n");
                    break;
                case ReportCode code:
                    html.Append("<pre><code>").Append(Encode(code.Text)).Append("</code></pre>\n");
                    break;
                case ReportChart chart:
                    if (chart.Series.Any(s => s.Y.Any(double.IsFinite))) SvgChart.Write(html, chart);
                    break;
            }
        }
        html.Append("</main>\n<script>\n").Append(Script.Value).Append("</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Table(StringBuilder html, ReportTable table)
    {
        bool trials = table.Kind == ReportTableKind.Trials;
        if (trials)
            html.Append("<section class=\"trial-table\">\n<div class=\"filter\"><input type=\"search\" placeholder=\"Filter rows (every word must match)\" aria-label=\"Filter rows\"><output></output></div>\n");
        html.Append("<div class=\"table-wrap\"><table").Append(trials ? " class=\"trials\"" : " class=\"data\"").Append(">\n<thead><tr>");
        foreach (var header in table.Header)
            html.Append(trials ? "<th scope=\"col\"><button type=\"button\" class=\"sort\">" : "<th scope=\"col\">").Append(Inline(header)).Append(trials ? "</button></th>" : "</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        for (int r = 0; r < table.Rows.Count; r++)
        {
            html.Append("<tr>");
            var row = table.Rows[r];
            for (int c = 0; c < row.Count; c++)
            {
                html.Append("<td>");
                if (c == 0 && table.Links is { } links && links[r] is { } link)
                    html.Append("<a href=\"").Append(Encode(link)).Append("\">").Append(Inline(row[c])).Append("</a>");
                else
                    html.Append(Inline(row[c]));
                html.Append("</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table></div>\n");
        if (trials) html.Append("</section>\n");
    }

    /// <summary>The document's inline marks as HTML: <c>`code`</c>, <c>**strong**</c>, <c>*emphasis*</c>, <c>&lt;br&gt;</c> and line breaks.</summary>
    internal static string Inline(string text)
    {
        var parts = text.Split('`');
        var html = new StringBuilder();
        for (int i = 0; i < parts.Length; i++)
        {
            // Odd parts sat between backticks; an unmatched last backtick stays a backtick.
            if (i % 2 == 1 && i < parts.Length - 1) html.Append("<code>").Append(Encode(parts[i])).Append("</code>");
            else
            {
                if (i % 2 == 1) html.Append('`');
                var encoded = Encode(parts[i]).Replace("&lt;br&gt;", "<br>").Replace("\n", "<br>\n");
                encoded = Strong().Replace(encoded, "<strong>$1</strong>");
                html.Append(Emphasis().Replace(encoded, "<em>$1</em>"));
            }
        }
        return html.ToString();
    }

    internal static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Slug(string text)
    {
        var slug = NonWord().Replace(text.ToLowerInvariant(), "-").Trim('-');
        return slug.Length == 0 ? "section" : slug;
    }

    /// <summary>An SVG file as an element of the page: no XML declaration, and its ids prefixed so figures on one page never share one.</summary>
    private static string Inlined(string svg, string prefix)
    {
        int start = svg.IndexOf("<svg", StringComparison.Ordinal);
        var element = start >= 0 ? svg[start..] : svg;
        // Without a viewBox a narrowed SVG crops its drawing instead of scaling it.
        var size = SvgSize().Match(element);
        if (size.Success && !element.Contains("viewBox", StringComparison.Ordinal))
            element = "<svg viewBox=\"0 0 " + size.Groups[1].Value + " " + size.Groups[2].Value + "\"" + element[4..];
        element = SvgId().Replace(element, m => $"id=\"{prefix}{m.Groups[1].Value}\"");
        element = element.Replace("url(#", "url(#" + prefix, StringComparison.Ordinal).Replace("href=\"#", "href=\"#" + prefix, StringComparison.Ordinal);
        return element.TrimEnd();
    }

    private static string Resource(string name)
    {
        using var stream = typeof(HtmlWriter).Assembly.GetManifestResourceStream("LieGG.Runtime.Reports." + name)
            ?? throw new InvalidOperationException($"The report resource '{name}' is missing from LieGG.Runtime.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial Regex Strong();

    [GeneratedRegex(@"(?<![\w*])\*(?!\s)([^*\n]+?)\*(?![\w*])")]
    private static partial Regex Emphasis();

    [GeneratedRegex(@"[^\p{L}\p{N}]+")]
    private static partial Regex NonWord();

    [GeneratedRegex(@"^<svg[^>]*?\swidth=""([\d.]+)""[^>]*?\sheight=""([\d.]+)""")]
    private static partial Regex SvgSize();

    [GeneratedRegex(@"\bid=""([^""]+)""")]
    private static partial Regex SvgId();
}
