using LieGG.Runtime.Symmetry.Equivariance;
using ScottPlot;

namespace LieGG.Runtime.Plots;

/// <summary>Equivariance figures: each layer's own error and its share of the output's, and the response to rotating and shifting the input.</summary>
public static class EquivariancePlots
{
    private static readonly ScottPlot.Palettes.Category10 Palette = new();

    /// <summary>Errors below this are drawn at it (exact layers measure 0 or round-off).</summary>
    private const double Floor = 1e-16;

    public static IReadOnlyDictionary<string, byte[]> Render(EquivarianceResult equivariance, string experiment)
    {
        ReportPlots.EnsureFont();
        var images = new Dictionary<string, byte[]>();
        var probes = Probes(equivariance);
        if (probes.Count > 0)
        {
            images.AddFigure("equivariance", OwnErrors(probes, equivariance.Tolerance, experiment));
            var shared = probes.Where(p => p.Shares).ToList();
            if (shared.Count > 0) images.AddFigure("equivariance-shares", Shares(shared, experiment));
        }
        if (equivariance.Response is { } response)
        {
            images.AddFigure("rotation-response", Response(response.Rotations, $"{experiment}: test inputs rotated", "rotation of the input (degrees)", 45));
            images.AddFigure("shift-response", Response(response.Shifts, $"{experiment}: test inputs shifted cyclically", "shift of the input along the columns (pixels)", 1));
        }
        return images;
    }

    private sealed record Probe(string Name, IReadOnlyList<LayerEquivariance> Layers, bool Shares);

    // Shares of an error at round-off are round-off: a probe's shares are drawn only where the network's error is above the tolerance.
    private static List<Probe> Probes(EquivarianceResult equivariance)
        => equivariance.Elements.Select(e => new Probe(e.Element, e.Layers, e.EndToEndRelative > equivariance.Tolerance))
            .Concat(equivariance.Generators.Select(g => new Probe(g.Probe, g.Layers, g.Analysed > 0))).ToList();

    /// <summary>Own relative error per layer (log scale), one line per element or generator, with the exactness tolerance.</summary>
    private static Figure OwnErrors(IReadOnlyList<Probe> probes, double tolerance, string title)
    {
        var plot = ReportPlots.NewPlot($"{title}: each layer's own equivariance error");
        var layers = probes[0].Layers;
        double[] positions = Enumerable.Range(1, layers.Count).Select(i => (double)i).ToArray();
        var logs = new List<double>();
        for (int p = 0; p < probes.Count; p++)
        {
            var values = probes[p].Layers.Select(l => Math.Log10(Math.Max(l.OwnRelative, Floor))).ToArray();
            logs.AddRange(values);
            var line = plot.Add.Scatter(positions, values);
            line.LegendText = probes[p].Name;
            line.Color = Palette.GetColor(p);
            line.MarkerSize = 7;
            line.MarkerShape = (MarkerShape)(1 + p % 8);
        }
        var limit = plot.Add.HorizontalLine(Math.Log10(tolerance));
        limit.Color = Colors.Gray;
        limit.LinePattern = LinePattern.Dashed;
        limit.LegendText = "exact below (round-off × depth)";
        logs.Add(Math.Log10(tolerance));
        plot.Axes.Left.TickGenerator = ReportPlots.LogTicks(logs);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, layers.Select(l => l.Name).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 40;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 90;
        plot.ShowLegend(Edge.Right);
        plot.YLabel("own relative error (0 drawn at 1e-16)");
        return Figure.Of(plot, 900, 460);
    }

    /// <summary>Per element or generator, each layer's share of the output's error stacked (negative shares below zero).</summary>
    private static Figure Shares(IReadOnlyList<Probe> probes, string title)
    {
        var plot = ReportPlots.NewPlot($"{title}: where the output's equivariance error comes from");
        var layers = probes[0].Layers;
        var bars = new List<Bar>();
        for (int p = 0; p < probes.Count; p++)
        {
            double up = 0, down = 0;
            for (int l = 0; l < layers.Count; l++)
            {
                double share = probes[p].Layers[l].Share ?? 0;
                if (share == 0) continue;
                double from = share > 0 ? up : down;
                bars.Add(new Bar { Position = p + 1, ValueBase = from, Value = from + share, FillColor = Palette.GetColor(l), Size = 0.7 });
                if (share > 0) up += share; else down += share;
            }
        }
        plot.Add.Bars(bars);
        for (int l = 0; l < layers.Count; l++)
            if (probes.Any(p => (p.Layers[l].Share ?? 0) != 0))
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = layers[l].Name, FillColor = Palette.GetColor(l) });
        plot.ShowLegend(Edge.Right);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(Enumerable.Range(1, probes.Count).Select(i => (double)i).ToArray(), probes.Select(p => p.Name).ToArray());
        plot.YLabel("share of the output's error (sums to 1)");
        return Figure.Of(plot, 860, 420);
    }

    /// <summary>Test accuracy (left axis) and relative output change (right axis, log) against the transformation.</summary>
    public static Figure Response(IReadOnlyList<ResponsePoint> points, string title, string xLabel, double tickStep)
    {
        var plot = ReportPlots.NewPlot(title);
        var x = points.Select(p => p.Amount).ToArray();
        var accuracy = plot.Add.Scatter(x, points.Select(p => p.Accuracy).ToArray());
        accuracy.LegendText = "test accuracy (left)";
        accuracy.Color = Palette.GetColor(0);
        accuracy.MarkerSize = 6;
        var changes = points.Select(p => Math.Log10(Math.Max(p.OutputChange, Floor))).ToArray();
        var change = plot.Add.Scatter(x, changes);
        change.LegendText = "output change ‖F(gx) − F(x)‖² / ‖F(x)‖² (right)";
        change.Color = Palette.GetColor(1);
        change.MarkerShape = MarkerShape.OpenSquare;
        change.MarkerSize = 6;
        change.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Right.TickGenerator = ReportPlots.LogTicks(changes);
        plot.Axes.Right.Label.Text = "relative output change";
        plot.Axes.SetLimitsY(0, 1.02, plot.Axes.Left);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(tickStep);
        plot.ShowLegend(Edge.Bottom);
        plot.XLabel(xLabel);
        plot.YLabel("test accuracy");
        return Figure.Of(plot, 820, 460);
    }
}
