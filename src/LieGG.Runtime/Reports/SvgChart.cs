using System.Globalization;
using System.Text;

namespace LieGG.Runtime.Reports;

/// <summary>
/// A <see cref="ReportChart"/> as an inline SVG line chart: every point carries its values (a native tooltip and data
/// attributes the page's script reads out on hover), every series a legend button that hides or shows it.
/// </summary>
internal static class SvgChart
{
    private const double Width = 720, Height = 320, Left = 72, Right = 16, Top = 14, Bottom = 40;
    private static readonly string[] Palette = ["#0969da", "#cf222e", "#1a7f37", "#8250df", "#bf8700", "#1b7c83"];

    public static void Write(StringBuilder html, ReportChart chart)
    {
        var full = ReportFormat.Full;
        var ticks = ReportFormat.Snapshot;
        // On a log axis only positive values have a place; the table beside the chart keeps the rest.
        bool Plotted(double y) => double.IsFinite(y) && (!chart.LogY || y > 0);
        double Transform(double y) => chart.LogY ? Math.Log10(y) : y;
        var points = chart.Series.SelectMany(s => s.X.Zip(s.Y)).Where(p => double.IsFinite(p.First) && Plotted(p.Second)).ToList();
        double xMin = points.Min(p => p.First), xMax = points.Max(p => p.First);
        double yMin = points.Min(p => Transform(p.Second)), yMax = points.Max(p => Transform(p.Second));
        if (xMax == xMin) { xMin -= 0.5; xMax += 0.5; }
        if (yMax == yMin) { yMin -= 0.5; yMax += 0.5; }
        if (chart.LogY) { yMin = Math.Floor(yMin); yMax = Math.Ceiling(yMax); }
        else { double pad = 0.05 * (yMax - yMin); yMin -= pad; yMax += pad; }
        double X(double x) => Left + (x - xMin) / (xMax - xMin) * (Width - Left - Right);
        double Y(double y) => Top + (yMax - Transform(y)) / (yMax - yMin) * (Height - Top - Bottom);
        string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

        html.Append("<figure class=\"chart\" id=\"chart-").Append(chart.Id).Append("\" data-xlabel=\"").Append(HtmlWriter.Encode(chart.XLabel)).Append("\">\n");
        html.Append("<div class=\"legend\">");
        for (int s = 0; s < chart.Series.Count; s++)
            html.Append("<button type=\"button\" aria-pressed=\"true\" data-series=\"").Append(s).Append("\"><span class=\"swatch\" style=\"background:")
                .Append(Palette[s % Palette.Length]).Append("\"></span>").Append(HtmlWriter.Encode(chart.Series[s].Name)).Append("</button>");
        html.Append("</div>\n");
        html.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {F(Width)} {F(Height)}\" width=\"{F(Width)}\" height=\"{F(Height)}\" role=\"img\" aria-label=\"{HtmlWriter.Encode(chart.Title)}\">\n");
        // Axes, grid and tick labels.
        html.Append($"<line class=\"axis\" x1=\"{F(Left)}\" y1=\"{F(Height - Bottom)}\" x2=\"{F(Width - Right)}\" y2=\"{F(Height - Bottom)}\"/>");
        html.Append($"<line class=\"axis\" x1=\"{F(Left)}\" y1=\"{F(Top)}\" x2=\"{F(Left)}\" y2=\"{F(Height - Bottom)}\"/>\n");
        foreach (double tick in YTicks(yMin, yMax, chart.LogY))
        {
            double y = Top + (yMax - tick) / (yMax - yMin) * (Height - Top - Bottom);
            html.Append($"<line class=\"grid\" x1=\"{F(Left)}\" y1=\"{F(y)}\" x2=\"{F(Width - Right)}\" y2=\"{F(y)}\"/>");
            html.Append($"<text x=\"{F(Left - 6)}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{HtmlWriter.Encode(chart.LogY ? "1e" + tick.ToString(CultureInfo.InvariantCulture) : ticks.Number(tick))}</text>\n");
        }
        foreach (double tick in XTicks(xMin, xMax))
            html.Append($"<text x=\"{F(X(tick))}\" y=\"{F(Height - Bottom + 16)}\" text-anchor=\"middle\">{HtmlWriter.Encode(ticks.Number(tick))}</text>");
        html.Append($"\n<text x=\"{F((Left + Width - Right) / 2)}\" y=\"{F(Height - 6)}\" text-anchor=\"middle\">{HtmlWriter.Encode(chart.XLabel)}</text>");
        if (chart.YLabel.Length > 0)
            html.Append($"<text transform=\"translate(14 {F((Top + Height - Bottom) / 2)}) rotate(-90)\" text-anchor=\"middle\">{HtmlWriter.Encode(chart.YLabel)}</text>");
        html.Append('\n');
        for (int s = 0; s < chart.Series.Count; s++)
        {
            var series = chart.Series[s];
            string color = Palette[s % Palette.Length];
            var kept = series.X.Zip(series.Y).Where(p => double.IsFinite(p.First) && Plotted(p.Second)).ToList();
            html.Append("<g class=\"series\" data-series=\"").Append(s).Append("\" data-name=\"").Append(HtmlWriter.Encode(series.Name)).Append("\">");
            html.Append($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.8\" points=\"{string.Join(' ', kept.Select(p => $"{F(X(p.First))},{F(Y(p.Second))}"))}\"/>\n");
            foreach (var (x, y) in kept)
                html.Append($"<circle cx=\"{F(X(x))}\" cy=\"{F(Y(y))}\" r=\"3\" fill=\"{color}\" data-x=\"{full.Number(x)}\" data-y=\"{full.Number(y)}\"><title>{HtmlWriter.Encode(series.Name)}: {HtmlWriter.Encode(chart.XLabel)} = {full.Number(x)}, {full.Number(y)}</title></circle>");
            html.Append("</g>\n");
        }
        html.Append("</svg>\n<div class=\"readout\" aria-live=\"polite\">Point at a value to read it.</div>\n<figcaption>").Append(HtmlWriter.Encode(chart.Title)).Append("</figcaption>\n</figure>\n");
    }

    private static IEnumerable<double> YTicks(double min, double max, bool log)
    {
        if (log)
        {
            int step = Math.Max(1, (int)Math.Ceiling((max - min) / 8));
            for (double t = min; t <= max + 1e-9; t += step) yield return t;
            yield break;
        }
        foreach (var t in Nice(min, max, 5)) yield return t;
    }

    private static IEnumerable<double> XTicks(double min, double max) => Nice(min, max, 8);

    /// <summary>Round tick values (1, 2 or 5 × 10^k apart) inside [min, max].</summary>
    private static IEnumerable<double> Nice(double min, double max, int count)
    {
        double raw = (max - min) / count;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1.0, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        for (double t = Math.Ceiling(min / step) * step; t <= max + step * 1e-9; t += step) yield return Math.Round(t / step) * step;
    }
}
