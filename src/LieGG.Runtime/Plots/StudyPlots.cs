using LieGG.Runtime.Results;
using LieGG.Runtime.Studies;
using LieGG.Runtime.Training.Laplace;
using ScottPlot;

namespace LieGG.Runtime.Plots;

/// <summary>Study figures: each declared plot (mean ± sample std over replicates, <see cref="ReplicateStatistics"/>) and a scatter per declared correlation.</summary>
public static class StudyPlots
{
    public static IReadOnlyDictionary<string, byte[]> Render(StudyResult study, IReadOnlyList<StudyPlot> plots, IReadOnlyList<RunRecord>? trials = null)
    {
        ReportPlots.EnsureFont();
        var figures = new Dictionary<string, byte[]>();
        foreach (var declared in plots) figures.AddFigure(declared.FileName, Declared(study, declared));
        foreach (var correlation in study.Correlations)
        {
            // Paper Fig. 4: one point per trial, coloured by the first swept parameter, log axes where a metric spans decades.
            var swept = study.Rows.FirstOrDefault()?.Trial.Parameters.FirstOrDefault()?.Name;
            var scatter = new StudyPlot(correlation.X.ToString(), correlation.Y, swept, SpansDecades(study, correlation.X), SpansDecades(study, correlation.Y));
            figures.AddFigure($"correlation-{correlation.X}-{correlation.Y}".ToLowerInvariant(), Declared(study, scatter,
                $"{study.Study}: {AxisName(study, correlation.Y.ToString())} vs {AxisName(study, correlation.X.ToString())}\nSpearman ρ = {ReportFormatting(correlation.Spearman.Coefficient)} (p = {ReportFormatting(correlation.Spearman.PValue)}), Pearson r = {ReportFormatting(correlation.Pearson.Coefficient)} (p = {ReportFormatting(correlation.Pearson.PValue)})"));
        }
        if (study.Rows.Any(r => r.LayerVariance is { Count: > 0 }))
        {
            figures.AddFigure("layers-variance", Layers(study, "symmetry variance after each layer (log scale)", r => r.LayerVariance!.Select(v => (double?)v).ToList(), log: true));
            if (study.Rows.Any(r => r.LayerMinBias?.Any(b => b is not null) == true))
                figures.AddFigure("layers-bias", Layers(study, "min symmetry bias after each layer", r => r.LayerMinBias!, log: false));
        }
        if (study.Rows.Any(r => r.LayerShares?.Any(Mixed) == true))
            figures.AddFigure("pathway-shares", PathwayShares(study));
        if (trials is { Count: > 0 } && trials.All(t => t.Result.Example is not null) && trials[0].Spec.Prior is Symmetry.SpatialPrior prior)
            figures.AddFigure("flows", Flows(study.Study, trials, prior));
        if (study.Rows.Any(r => r.LayerEquivariance is not null && r.LayerShares is not null))
        {
            figures.AddFigure("shares-vs-shift", SharesAgainstErrors(study, s => s.FcShare, "FC share of the block's effective parameters", l => l.Shift, "own error for shifts by the total stride"));
            figures.AddFigure("shares-vs-rot90", SharesAgainstErrors(study, s => s.GroupConvShare, "G-CONV share of the block's effective parameters", l => l.Rotation, "own error for a quarter turn"));
        }
        if (trials?.Where(t => t.Result.Equivariance?.Response is not null).ToList() is { Count: > 0 } responding)
        {
            figures.AddFigure("rotation-accuracy", Response(study.Study, responding, p => p.Accuracy, "test accuracy", log: false));
            figures.AddFigure("rotation-change", Response(study.Study, responding, p => Math.Log10(Math.Max(p.OutputChange, 1e-16)), "relative output change ‖F(gx) − F(x)‖² / ‖F(x)‖²", log: true));
        }
        return figures;
    }

    /// <summary>
    /// ELLA's judgement against the measurement: one point per (trial, block), a pathway's share of the block against the
    /// block's own equivariance error (log), one colour per trial group.
    /// </summary>
    private static Figure SharesAgainstErrors(StudyResult study, Func<LayerShare, double> share, string shareLabel, Func<LayerEquivarianceSummary, double?> error, string errorLabel)
    {
        var plot = ReportPlots.NewPlot($"{study.Study}: {errorLabel} against {shareLabel.Split(' ')[0]} share, per block");
        var groups = study.Rows.Where(r => r.LayerEquivariance is not null && r.LayerShares is not null)
            .GroupBy(r => string.Join(", ", r.Trial.Parameters.Select(p => p.Value))).ToList();
        var all = new List<double>();
        for (int g = 0; g < groups.Count; g++)
        {
            var points = groups[g].SelectMany(row => row.LayerEquivariance!
                .Where(l => l.Layer.StartsWith("block ", StringComparison.Ordinal) && error(l) is not null)
                .Select(l => (Layer: l, Share: row.LayerShares!.FirstOrDefault(s => $"block {s.Layer + 1}" == l.Layer)))
                .Where(p => p.Share is not null)
                .Select(p => (X: 100 * share(p.Share!), Y: Math.Log10(Math.Max(error(p.Layer)!.Value, 1e-16))))).ToList();
            if (points.Count == 0) continue;
            all.AddRange(points.Select(p => p.Y));
            var scatter = plot.Add.ScatterPoints(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
            scatter.LegendText = groups[g].Key;
            scatter.Color = CategoryPalette.GetColor(g);
            scatter.MarkerShape = SeriesMarkers[g % SeriesMarkers.Length];
            scatter.MarkerSize = 8;
        }
        plot.Axes.Left.TickGenerator = ReportPlots.LogTicks(all);
        plot.ShowLegend(Edge.Right);
        plot.XLabel(shareLabel + " (%)");
        plot.YLabel(errorLabel);
        return Figure.Of(plot, 900, 460);
    }

    /// <summary>
    /// The G-CNN figure over a study: a value at each input rotation angle, one line per trial group (its swept values or
    /// compared experiment), the mean over its seeds.
    /// </summary>
    private static Figure Response(string study, IReadOnlyList<RunRecord> trials, Func<Symmetry.Equivariance.ResponsePoint, double> value, string label, bool log)
    {
        var plot = ReportPlots.NewPlot($"{study}: {label.Split(' ')[0] switch { "test" => "test accuracy", _ => "output change" }} against the input's rotation (mean over seeds)");
        var groups = trials.GroupBy(t => t.Trial is { } info ? string.Join(", ", info.Parameters.Select(p => p.Value)) : t.Result.Experiment).ToList();
        var values = new List<double>();
        for (int g = 0; g < groups.Count; g++)
        {
            var responses = groups[g].Select(t => t.Result.Equivariance!.Response!.Rotations).ToList();
            var angles = responses[0].Select(p => p.Amount).ToArray();
            var means = angles.Select((_, i) => responses.Average(r => value(r[i]))).ToArray();
            values.AddRange(means);
            var line = plot.Add.Scatter(angles, means);
            line.LegendText = groups[g].Key;
            line.Color = CategoryPalette.GetColor(g);
            line.MarkerShape = SeriesMarkers[g % SeriesMarkers.Length];
            line.MarkerSize = 6;
        }
        if (log) plot.Axes.Left.TickGenerator = ReportPlots.LogTicks(values);
        else plot.Axes.SetLimitsY(0, 1.02);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(45);
        plot.ShowLegend(Edge.Right);
        plot.XLabel("rotation of the input (degrees)");
        plot.YLabel(label);
        return Figure.Of(plot, 900, 440);
    }

    /// <summary>A layer that more than one pathway holds.</summary>
    private static bool Mixed(LayerShare layer) => Math.Max(layer.FcShare, Math.Max(layer.ConvShare, layer.GroupConvShare)) < 1;

    /// <summary>
    /// ELLA: each pathway's share of each layer's effective parameters, stacked as in a single run's shares.png, one block of
    /// layers per relaxed trial group (mean over seeds), so which layers stayed equivariant — and to which group — stands out.
    /// </summary>
    private static Figure PathwayShares(StudyResult study)
    {
        var groups = study.Rows.Where(r => r.LayerShares?.Any(Mixed) == true)
            .GroupBy(r => string.Join(", ", r.Trial.Parameters.Select(p => p.Value))).ToList();
        // Compared experiments share a prefix ("ella-groups-"); the tick labels keep what tells them apart.
        int common = CommonPrefix(groups.Select(g => g.Key).ToList());
        bool hasGroupConv = groups.Any(g => g.Any(r => r.LayerShares!.Any(l => l.GroupConvShare > 0)));
        var plot = ReportPlots.NewPlot($"{study.Study}: each pathway's share of every layer (mean over seeds)");
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        double start = 1;
        foreach (var trialGroup in groups)
        {
            var rows = trialGroup.ToList();
            int layers = rows.Min(r => r.LayerShares!.Count);
            for (int l = 0; l < layers; l++)
            {
                double fc = rows.Average(r => r.LayerShares![l].FcShare), conv = rows.Average(r => r.LayerShares![l].ConvShare);
                double groupConv = rows.Average(r => r.LayerShares![l].GroupConvShare);
                double position = start + l;
                bars.Add(new Bar { Position = position, ValueBase = 0, Value = conv, FillColor = LaplacePlots.ConvColor, Size = 0.8 });
                bars.Add(new Bar { Position = position, ValueBase = conv, Value = conv + fc, FillColor = LaplacePlots.FcColor, Size = 0.8 });
                if (hasGroupConv) bars.Add(new Bar { Position = position, ValueBase = conv + fc, Value = conv + fc + groupConv, FillColor = LaplacePlots.GroupConvColor, Size = 0.8 });
            }
            ticks.Add(new Tick(start + (layers - 1) / 2.0, trialGroup.Key[common..], isMajor: true));
            start += layers + 1;
        }
        plot.Add.Bars(bars);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "FC (dense or factored)", FillColor = LaplacePlots.FcColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "CONV", FillColor = LaplacePlots.ConvColor });
        if (hasGroupConv) plot.Legend.ManualItems.Add(new LegendItem { LabelText = "G-CONV (p4)", FillColor = LaplacePlots.GroupConvColor });
        plot.ShowLegend(Edge.Right);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Axes.SetLimits(0.3, start - 1.3, 0, 1.05);
        plot.XLabel("layers of each trial group, input → output");
        plot.YLabel("share of γ (relative effective parameters)");
        return Figure.Of(plot, LegendWidth + 300, 460);
    }

    /// <summary>The length of the keys' common prefix up to its last '-' (0 for a single key).</summary>
    private static int CommonPrefix(IReadOnlyList<string> keys)
    {
        if (keys.Count < 2) return 0;
        int length = Enumerable.Range(0, keys.Min(k => k.Length)).TakeWhile(i => keys.All(k => k[i] == keys[0][i])).Count();
        return keys[0].LastIndexOf('-', Math.Max(0, length - 1)) + 1;
    }

    /// <summary>Paper Fig. 3b: each trial's example input moved along its own smallest-variance generator, one row per trial.</summary>
    private static Figure Flows(string studyName, IReadOnlyList<RunRecord> trials, Symmetry.SpatialPrior prior)
        => ReportPlots.FlowStrip(
            trials.Select(t => (t.Result.Example!, t.Result.Symmetry.Generators[0], (string?)(t.Trial?.Label ?? t.Result.Experiment))).ToList(),
            prior,
            $"{studyName}: each trial's input moved along its own H1\nt = {string.Join(", ", ReportPlots.FlowTimes)}");

    private static readonly MarkerShape[] SeriesMarkers = [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond, MarkerShape.OpenCircle, MarkerShape.OpenSquare];

    // Figures with a legend beside the data area are wider by the legend's room.
    private const int LegendWidth = 900;

    /// <summary>Paper Fig. 5: a per-layer metric, one line per trial.</summary>
    private static Figure Layers(StudyResult study, string title, Func<TrialRow, IReadOnlyList<double?>> values, bool log)
    {
        var plot = ReportPlots.NewPlot($"{study.Study}: {title}");
        int index = 0, count = study.Rows.Count(r => r.LayerVariance is { Count: > 0 });
        var plotted = new List<double>();
        foreach (var row in study.Rows.Where(r => r.LayerVariance is { Count: > 0 }))
        {
            var points = values(row).Select((v, i) => (X: i + 1.0, Y: v)).Where(p => p.Y is { } y && double.IsFinite(y) && (!log || y > 0)).ToList();
            if (points.Count == 0) continue;
            var ys = points.Select(p => log ? Math.Log10(p.Y!.Value) : p.Y!.Value).ToArray();
            plotted.AddRange(ys);
            // Each trial a little to the side of the layer, so series that coincide (frozen pre-trained layers) stay visible.
            double dodge = (index - (count - 1) / 2.0) * 0.06;
            var line = plot.Add.Scatter(points.Select(p => p.X + dodge).ToArray(), ys);
            line.LegendText = row.Trial.Label;
            // Regimes can share layers exactly (frozen pre-trained layers): alternate marker shapes and sizes so none hides
            // (not dash patterns, which SVG output cannot draw).
            line.MarkerShape = SeriesMarkers[index % SeriesMarkers.Length];
            line.MarkerSize = 9 - 2 * (index % 3);
            line.LineWidth = 3 - index % 2;
            index++;
        }
        if (log) plot.Axes.Left.TickGenerator = ReportPlots.LogTicks(plotted);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.XLabel("hidden layer");
        // Beside the data, never over it.
        plot.ShowLegend(Edge.Right);
        return Figure.Of(plot, LegendWidth, 420);
    }

    /// <summary>A metric or swept property as a reader says it ("test MSE", "min symmetry bias", "train count").</summary>
    internal static string AxisName(StudyResult study, string name) => name switch
    {
        nameof(LieGG.Dsl.Metric.TestMetric) => (study.Rows.FirstOrDefault()?.TestMetricKind ?? TestMetricKind.None).Label(),
        nameof(LieGG.Dsl.Metric.Variance) => "symmetry variance λ_min",
        nameof(LieGG.Dsl.Metric.MinBias) => "min symmetry bias",
        nameof(LieGG.Dsl.Metric.RelativeVariance) => "relative variance λ_min/λ_max",
        nameof(LieGG.Dsl.Metric.GapRatio) => "spectral gap λ_k+1/λ_k",
        nameof(LieGG.Dsl.Metric.WallSeconds) => "wall time (s)",
        nameof(LieGG.Dsl.Metric.FcShare) => "FC share (mean over layers)",
        nameof(LieGG.Dsl.Metric.ConvShare) => "CONV share (mean over layers)",
        nameof(LieGG.Dsl.Metric.GroupConvShare) => "G-CONV share (mean over layers)",
        nameof(LieGG.Dsl.Metric.PairVariance) => "pair variance λ_min (A, B)",
        nameof(LieGG.Dsl.Metric.PairMinBias) => "min pair bias",
        nameof(LieGG.Dsl.Metric.PairGapRatio) => "pair spectral gap λ_k+1/λ_k",
        "Hidden" => "hidden layers",
        _ => System.Text.RegularExpressions.Regex.Replace(name, "(?<=[a-z])(?=[A-Z])", " ").ToLowerInvariant(),
    };

    /// <summary>Categories (compared experiments): ten colours that differ in hue.</summary>
    private static readonly ScottPlot.Palettes.Category10 CategoryPalette = new();

    /// <summary>Values of a swept parameter in order, as a sequential colour scale (viridis, its pale yellow end left out).</summary>
    private static Color SweepColor(int index, int count) => new ScottPlot.Colormaps.Viridis().GetColor(0.85 * index / Math.Max(1, count - 1));

    /// <summary>A metric whose positive values span two decades or more reads better on a log axis.</summary>
    private static bool SpansDecades(StudyResult study, LieGG.Dsl.Metric metric)
    {
        var values = study.Rows.Select(r => r.Value(metric)).Where(v => double.IsFinite(v)).ToList();
        return values.Count > 1 && values.All(v => v > 0) && values.Max() / values.Min() >= 100;
    }

    private static string ReportFormatting(double value) => Reports.ReportFormat.Snapshot.Number(value);

    private static Figure Declared(StudyResult study, StudyPlot declared, string? title = null)
    {
        var plot = ReportPlots.NewPlot(title ?? $"{study.Study}: {AxisName(study, declared.Y.ToString())} vs {AxisName(study, declared.X)}");
        double Tx(double v) => declared.LogX ? Math.Log10(v) : v;
        double Ty(double v) => declared.LogY ? Math.Log10(v) : v;
        bool scatter = Enum.TryParse<LieGG.Dsl.Metric>(declared.X, out _);
        var plottedX = new List<double>();
        var plottedY = new List<double>();
        var allSeries = study.Series(declared);
        int seriesCount = allSeries.Count, seriesIndex = 0;
        // Compared experiments are categories, not an ordered sweep: distinct colours and marker shapes, not a colour scale.
        bool categorical = scatter && study.Rows.Any(r => r.Trial.Parameters.FirstOrDefault(p => p.Name == declared.Series)?.Value is { } value
            && !double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _));
        foreach (var (series, points) in allSeries)
        {
            var usable = points.Where(p => (!declared.LogX || p.X > 0) && (!declared.LogY || p.Mean > 0)).ToList();
            if (usable.Count == 0) continue;
            var xs = usable.Select(p => Tx(p.X)).ToArray();
            var ys = usable.Select(p => Ty(p.Mean)).ToArray();
            plottedX.AddRange(xs);
            plottedY.AddRange(ys);
            var line = scatter ? plot.Add.ScatterPoints(xs, ys) : plot.Add.Scatter(xs, ys);
            line.LegendText = series;
            if (categorical)
            {
                line.Color = CategoryPalette.GetColor(seriesIndex);
                line.MarkerShape = SeriesMarkers[seriesIndex % SeriesMarkers.Length];
                line.MarkerSize = 9;
            }
            else if (scatter && seriesCount > 1) line.Color = SweepColor(seriesIndex, seriesCount);
            seriesIndex++;
            if (!scatter && usable.Any(p => p.Count > 1))
            {
                // Bars from mean − std to mean + std, mapped through the axis transform (so asymmetric on a log axis); where
                // mean − std ≤ 0 a log axis cannot show it, and the bar runs to the bottom of the plot.
                double bottom = declared.LogY ? usable.Min(p => Math.Log10(p.Mean)) - 1 : 0;
                var bars = plot.Add.ErrorBar(xs, ys, usable.Select(p => declared.LogY ? Math.Log10(p.Mean + p.Std) - Math.Log10(p.Mean) : p.Std).ToArray());
                if (declared.LogY)
                    bars.YErrorNegative = usable.Select(p => Math.Log10(p.Mean) - (p.Mean - p.Std > 0 ? Math.Log10(p.Mean - p.Std) : bottom)).ToArray();
                bars.Color = line.LineColor;
            }
        }
        if (declared.LogX) plot.Axes.Bottom.TickGenerator = ReportPlots.LogTicks(plottedX);
        else if (plottedX.All(x => x == Math.Round(x))) plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        if (declared.LogY) plot.Axes.Left.TickGenerator = ReportPlots.LogTicks(plottedY);
        plot.XLabel(AxisName(study, declared.X) + (declared.LogX ? " (log scale)" : ""));
        plot.YLabel(AxisName(study, declared.Y.ToString()) + (declared.LogY ? " (log scale)" : "") + (scatter || allSeries.All(s => s.Points.All(p => p.Count == 1)) ? "" : ", mean ± std"));
        if (declared.Series is null)
        {
            plot.HideLegend();
            return Figure.Of(plot, 640, 420);
        }
        plot.ShowLegend(Edge.Right);
        return Figure.Of(plot, LegendWidth, 420);
    }
}
