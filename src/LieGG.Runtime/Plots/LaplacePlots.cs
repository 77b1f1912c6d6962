using LieGG.Runtime.Training.Laplace;
using ScottPlot;

namespace LieGG.Runtime.Plots;

/// <summary>ELLA's figures: the marginal likelihood over training, and which layers became convolutional.</summary>
public static class LaplacePlots
{
    internal static readonly Color FcColor = Color.FromHex("#D55E00");
    internal static readonly Color ConvColor = Color.FromHex("#0072B2");
    internal static readonly Color GroupConvColor = Color.FromHex("#009E73");

    public static IReadOnlyDictionary<string, byte[]> Render(LaplaceResult laplace, string experiment)
    {
        ReportPlots.EnsureFont();
        var images = new Dictionary<string, byte[]>();
        if (laplace.Layers.Count > 0) images.AddFigure("shares", Shares(laplace.Layers, experiment));
        if (laplace.History.Count > 0) images.AddFigure("marglik", MarginalLikelihood(laplace.History, experiment));
        return images;
    }

    /// <summary>Stacked bars per layer: the FC, CONV (and G-CONV) pathways' shares of the layer's effective number of parameters.</summary>
    public static Figure Shares(IReadOnlyList<LayerShare> layers, string title)
    {
        var plot = ReportPlots.NewPlot($"{title}: share of each layer's effective parameters");
        var bars = new List<Bar>();
        foreach (var layer in layers)
        {
            double position = layer.Layer + 1;
            bars.Add(new Bar { Position = position, ValueBase = 0, Value = layer.ConvShare, FillColor = ConvColor, Size = 0.7 });
            bars.Add(new Bar { Position = position, ValueBase = layer.ConvShare, Value = layer.ConvShare + layer.FcShare, FillColor = FcColor, Size = 0.7 });
            if (layer.GroupConvShare > 0)
                bars.Add(new Bar { Position = position, ValueBase = layer.ConvShare + layer.FcShare, Value = layer.ConvShare + layer.FcShare + layer.GroupConvShare, FillColor = GroupConvColor, Size = 0.7 });
        }
        plot.Add.Bars(bars);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "FC (dense or factored)", FillColor = FcColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "CONV", FillColor = ConvColor });
        if (layers.Any(l => l.GroupConvShare > 0)) plot.Legend.ManualItems.Add(new LegendItem { LabelText = "G-CONV (p4)", FillColor = GroupConvColor });
        plot.ShowLegend(Edge.Right);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.SetLimits(0.4, layers.Count + 0.6, 0, 1.05);
        plot.XLabel("layer (input → output)");
        plot.YLabel("share of γ (relative effective parameters)");
        return Figure.Of(plot, 760, 400);
    }

    /// <summary>M per sample after each hyperparameter step, with the training NLL per sample it contains.</summary>
    public static Figure MarginalLikelihood(IReadOnlyList<MarginalLikelihoodStep> history, string title)
    {
        var plot = ReportPlots.NewPlot($"{title}: Laplace marginal likelihood");
        var epochs = history.Select(h => (double)h.Epoch).ToArray();
        var evidence = plot.Add.Scatter(epochs, history.Select(h => h.NegativeLogMarginalLikelihood).ToArray());
        evidence.LegendText = "−log marginal likelihood / N";
        evidence.MarkerSize = 7;
        var nll = plot.Add.Scatter(epochs, history.Select(h => h.NegativeLogLikelihood).ToArray());
        nll.LegendText = "training NLL / N";
        nll.MarkerSize = 7;
        nll.MarkerShape = MarkerShape.OpenSquare;
        plot.ShowLegend(Edge.Right);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.XLabel("epoch of the hyperparameter step");
        plot.YLabel("nats per training sample");
        return Figure.Of(plot, 800, 400);
    }
}
