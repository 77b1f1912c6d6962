using LieGG.Runtime.Studies;
using ScottPlot;

namespace LieGG.Runtime.Plots;

/// <summary>Study figures: each declared plot (mean ± std over replicates) and a scatter per declared correlation.</summary>
public static class StudyPlots
{
    public static IReadOnlyDictionary<string, byte[]> Render(StudyResult study, IReadOnlyList<StudyPlot> plots)
    {
        ReportPlots.EnsureFont();
        var figures = new Dictionary<string, byte[]>();
        foreach (var declared in plots) figures[declared.FileName] = Declared(study, declared);
        foreach (var correlation in study.Correlations)
        {
            var scatter = new StudyPlot(correlation.X.ToString(), correlation.Y);
            figures[$"correlation-{correlation.X}-{correlation.Y}.png".ToLowerInvariant()] = Declared(study, scatter,
                $"{study.Study}: {correlation.Y} vs {correlation.X} (Spearman ρ = {ReportFormatting(correlation.Spearman.Coefficient)}, p = {ReportFormatting(correlation.Spearman.PValue)})");
        }
        return figures;
    }

    private static string ReportFormatting(double value) => Reports.ReportFormat.Snapshot.Number(value);

    private static byte[] Declared(StudyResult study, StudyPlot declared, string? title = null)
    {
        var plot = ReportPlots.NewPlot(title ?? $"{study.Study}: {declared.Y} vs {declared.X}");
        double Tx(double v) => declared.LogX ? Math.Log10(v) : v;
        double Ty(double v) => declared.LogY ? Math.Log10(v) : v;
        bool scatter = Enum.TryParse<LieGG.Dsl.Metric>(declared.X, out _);
        foreach (var (series, points) in declared.Points(study))
        {
            var usable = points.Where(p => (!declared.LogX || p.X > 0) && (!declared.LogY || p.Mean > 0)).ToList();
            if (usable.Count == 0) continue;
            var xs = usable.Select(p => Tx(p.X)).ToArray();
            var ys = usable.Select(p => Ty(p.Mean)).ToArray();
            var line = scatter ? plot.Add.ScatterPoints(xs, ys) : plot.Add.Scatter(xs, ys);
            line.LegendText = series;
            if (!scatter && usable.Any(p => p.Count > 1))
            {
                // Error bars of ±std, mapped through the axis transform (asymmetric on a log axis; drawn symmetric at the centre).
                var errors = usable.Select(p => declared.LogY ? (Math.Log10(p.Mean + p.Std) - Math.Log10(Math.Max(p.Mean - p.Std, p.Mean * 1e-3))) / 2 : p.Std).ToArray();
                var bars = plot.Add.ErrorBar(xs, ys, errors);
                bars.Color = line.LineColor;
            }
        }
        if (declared.LogX) plot.Axes.Bottom.TickGenerator = ReportPlots.LogTicks();
        if (declared.LogY) plot.Axes.Left.TickGenerator = ReportPlots.LogTicks();
        plot.XLabel(declared.X + (declared.LogX ? " (log scale)" : ""));
        plot.YLabel(declared.Y + (declared.LogY ? " (log scale)" : ""));
        if (declared.Series is not null) plot.ShowLegend();
        else plot.HideLegend();
        return plot.GetImageBytes(640, 420, ImageFormat.Png);
    }
}
