using LieGG.Dsl;
using LieGG.Runtime.Reports;
using LieGG.Runtime.Results;
using LieGG.Runtime.Studies;

namespace LieGG.Runtime.Tests.Studies;

/// <summary>Studies of equivariant tasks: the pair metrics as study metrics, columns of study.md and trials.csv.</summary>
public sealed class StudyPairColumnsTests
{
    private static TrialRow Row(int index, int trainCount, int seed, double mse, double pairVariance, double pairBias) => new(
        new TrialInfo("pairs", index, [new TrialParameter("TrainCount", trainCount.ToString(System.Globalization.CultureInfo.InvariantCulture), trainCount)], seed),
        TestMetricKind.Mse, mse, Variance: 0.5, MinBias: 0.9, RelativeVariance: 0.1, GapRatio: 1.1, Parameters: 100, WallSeconds: 1,
        PairVariance: pairVariance, PairMinBias: pairBias, PairGapRatio: 40);

    [Fact]
    public void Pair_metrics_are_study_metrics_with_their_own_columns()
    {
        var rows = new[] { Row(0, 500, 0, 0.3, 4e-6, 0.5), Row(1, 500, 1, 0.35, 5e-6, 0.4), Row(2, 5000, 0, 0.03, 4e-7, 0.02), Row(3, 5000, 1, 0.02, 3e-7, 0.03) };
        var study = new StudyResult("pairs", 4, rows, []);
        Assert.Equal(4e-6, rows[0].Value(Metric.PairVariance));
        Assert.Equal(0.5, rows[0].Value(Metric.PairMinBias));
        Assert.Equal(40, rows[0].Value(Metric.PairGapRatio));

        var markdown = StudyReport.Markdown(study, ReportFormat.Snapshot);
        Assert.Contains("| parameters | pair variance | min pair bias | pair gap |", markdown);
        Assert.Contains("| 0.45 ± 0.0707 | 40 ± 0 |", markdown);
        var csv = StudyReport.Csv(study).Split('\n');
        Assert.EndsWith(",pair_variance,pair_min_bias,pair_gap_ratio", csv[0]);
        Assert.EndsWith(",4E-06,0.5,40", csv[1]);

        var points = study.Series(new StudyPlot("TrainCount", Metric.PairMinBias, null, true, true)).Single().Points;
        Assert.Equal([500.0, 5000.0], points.Select(p => p.X));
        Assert.Equal(0.45, points[0].Mean, 12);
    }

    [Fact]
    public void A_study_without_pairs_has_no_pair_columns()
    {
        var row = new TrialRow(new TrialInfo("plain", 0, [], 0), TestMetricKind.Mse, 0.1, 0.5, 0.9, 0.1, 1.1, 100, 1);
        Assert.DoesNotContain("pair variance", StudyReport.Markdown(new StudyResult("plain", 1, [row], []), ReportFormat.Snapshot));
        Assert.True(double.IsNaN(row.Value(Metric.PairVariance)));
    }
}
