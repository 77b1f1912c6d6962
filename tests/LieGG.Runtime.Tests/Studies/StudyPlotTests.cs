using LieGG.Dsl;
using LieGG.Runtime.Plots;
using LieGG.Runtime.Results;
using LieGG.Runtime.Studies;

namespace LieGG.Runtime.Tests.Studies;

public sealed class StudyPlotTests
{
    private static TrialRow Row(int index, int size, string depth, double variance, double accuracy) => new(
        new TrialInfo("s", index, [new TrialParameter("Size", size.ToString(), size), new TrialParameter("Depth", depth, null)], index),
        TestMetricKind.Accuracy, accuracy, variance, 0.1, 0.01, 2, 100, 1);

    private static readonly StudyResult Study = new("s", 6,
    [
        Row(0, 10, "a", 1, 0.5), Row(1, 10, "a", 3, 0.6),
        Row(2, 20, "a", 2, 0.7), Row(3, 10, "b", 5, 0.8),
        Row(4, 20, "b", 6, 0.9), Row(5, 20, "b", 8, 0.95),
    ], []);

    [Fact]
    public void Points_are_means_and_sample_stds_per_series_and_x_as_in_the_table()
    {
        var series = Study.Series(new StudyPlot("Size", Metric.Variance, Series: "Depth"));

        Assert.Equal(["Depth = a", "Depth = b"], series.Select(s => s.Series));
        // {1, 3} and {6, 8}: sample variance ((−1)² + 1²) / (2 − 1) = 2.
        Assert.Equal([new StudyPoint(10, 2, Math.Sqrt(2), 2), new StudyPoint(20, 2, 0, 1)], series[0].Points);
        Assert.Equal([new StudyPoint(10, 5, 0, 1), new StudyPoint(20, 7, Math.Sqrt(2), 2)], series[1].Points);
    }

    [Fact]
    public void A_metric_on_x_gives_a_scatter_of_every_trial()
    {
        var points = Assert.Single(Study.Series(new StudyPlot("Variance", Metric.TestMetric))).Points;
        Assert.Equal(6, points.Count);
        Assert.Equal(Study.Rows.Select(r => r.Variance).Order(), points.Select(p => p.X));
    }

    [Fact]
    public void Figures_render_for_declared_plots_and_correlations()
    {
        var study = Study with { Correlations = [new CorrelationRow(Metric.Variance, Metric.TestMetric, Correlation.Pearson([1.0, 2, 3], [1.0, 2, 4]), Correlation.Spearman([1.0, 2, 3], [1.0, 2, 4]))] };
        var figures = StudyPlots.Render(study, [new StudyPlot("Size", Metric.Variance, "Depth", LogX: true, LogY: true)]);
        Assert.Equal(["correlation-variance-testmetric.png", "correlation-variance-testmetric.svg", "plot-variance-vs-size-by-depth.png", "plot-variance-vs-size-by-depth.svg"], figures.Keys.Order());
        Assert.All(figures.Where(f => f.Key.EndsWith(".png", StringComparison.Ordinal)).Select(f => f.Value), bytes => Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes.Take(4)));
        Assert.All(figures.Where(f => f.Key.EndsWith(".svg", StringComparison.Ordinal)).Select(f => f.Value), bytes => Assert.Equal("svg", System.Xml.Linq.XDocument.Parse(System.Text.Encoding.UTF8.GetString(bytes)).Root!.Name.LocalName));
    }

    [Fact]
    public void Log_axes_label_decades_over_wide_spans_and_values_over_narrow_ones()
    {
        var wide = ReportPlots.LogTicks([-3.2, -0.5]);
        var narrow = ReportPlots.LogTicks([Math.Log10(0.2), Math.Log10(0.9)]);

        Assert.True(wide.IntegerTicksOnly);
        Assert.Equal("1e-2", wide.LabelFormatter(-2));
        Assert.False(narrow.IntegerTicksOnly);
        Assert.Equal("0.25", narrow.LabelFormatter(Math.Log10(0.25)));
    }
}
