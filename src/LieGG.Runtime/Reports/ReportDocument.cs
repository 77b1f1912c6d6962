namespace LieGG.Runtime.Reports;

/// <summary>
/// A report as structure — headings, paragraphs, tables, figures, code — built once from a result and written by each
/// renderer (<see cref="MarkdownWriter"/>, <see cref="HtmlWriter"/>), so every format shows the same numbers.
/// Text may carry three inline marks both renderers understand: <c>**strong**</c>, <c>`code`</c> and <c>&lt;br&gt;</c>.
/// </summary>
public sealed class ReportDocument
{
    private readonly List<ReportBlock> blocks = [];

    public IReadOnlyList<ReportBlock> Blocks => blocks;

    public ReportDocument Heading(int level, string text) => Add(new ReportHeading(level, text));

    /// <param name="onlyWithFigures">A sentence about the figures, left out where the renderer has none.</param>
    public ReportDocument Paragraph(string text, bool onlyWithFigures = false) => Add(new ReportParagraph(text, onlyWithFigures));

    public ReportDocument Bullets(IEnumerable<string> items) => Add(new ReportBullets(items.ToList()));

    /// <summary>A two-column table of named values (Markdown's <c>| | |</c> table).</summary>
    public ReportDocument Properties(IEnumerable<(string Name, string Value)> rows) => Add(new ReportProperties(rows.ToList()));

    /// <param name="links">Per row, a page its first cell links to in HTML (a trial's own report), or null.</param>
    public ReportDocument Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, ReportTableKind kind = ReportTableKind.Plain, IReadOnlyList<string?>? links = null)
        => Add(new ReportTable(header, rows.ToList(), kind, links));

    /// <summary>A figure, shown only when the renderer has its file.</summary>
    public ReportDocument FigureFile(string file, string caption) => Add(new ReportFigure(file, caption));

    public ReportDocument Code(string text) => Add(new ReportCode(text));

    /// <summary>A chart HTML draws interactively from the numbers (Markdown shows the figure file instead).</summary>
    public ReportDocument Chart(ReportChart chart) => Add(chart);

    private ReportDocument Add(ReportBlock block)
    {
        blocks.Add(block);
        return this;
    }
}

public abstract record ReportBlock;

public sealed record ReportHeading(int Level, string Text) : ReportBlock;

public sealed record ReportParagraph(string Text, bool OnlyWithFigures) : ReportBlock;

public sealed record ReportBullets(IReadOnlyList<string> Items) : ReportBlock;

public sealed record ReportProperties(IReadOnlyList<(string Name, string Value)> Rows) : ReportBlock;

/// <summary>A table; <see cref="ReportTableKind.Trials"/> marks the one HTML makes sortable and filterable.</summary>
public sealed record ReportTable(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows, ReportTableKind Kind, IReadOnlyList<string?>? Links) : ReportBlock;

public enum ReportTableKind
{
    Plain,
    /// <summary>One row per run or trial: HTML sorts it by any column and filters its rows.</summary>
    Trials,
}

public sealed record ReportFigure(string File, string Caption) : ReportBlock;

public sealed record ReportCode(string Text) : ReportBlock;

/// <summary>Line series over x; <see cref="LogY"/> for quantities spanning orders of magnitude (a spectrum).</summary>
public sealed record ReportChart(string Id, string Title, string XLabel, string YLabel, bool LogY, IReadOnlyList<ReportSeries> Series, string? ReplacesFigure) : ReportBlock;

public sealed record ReportSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);
