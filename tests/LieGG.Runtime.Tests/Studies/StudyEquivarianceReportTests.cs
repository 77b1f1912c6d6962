using LieGG.Runtime.Reports;
using LieGG.Runtime.Results;
using LieGG.Runtime.Studies;
using LieGG.Runtime.Training.Laplace;

namespace LieGG.Runtime.Tests.Studies;

public sealed class StudyEquivarianceReportTests
{
    private static TrialRow Trial(int index, double[] fcShares, double[] shiftErrors)
        => new(new TrialInfo("s", index, [new TrialParameter("Experiment", $"e{index}", null)], 1), TestMetricKind.Accuracy, 0.9, 0.01, 0.1, 0.1, 2, 100, 1,
            LayerShares: fcShares.Select((fc, l) => new LayerShare(l, fc, 1 - fc, 10)).ToList(),
            LayerEquivariance: shiftErrors.Select((e, l) => new LayerEquivarianceSummary($"block {l + 1}", 0.5, e)).Append(new LayerEquivarianceSummary("head", 0, 0)).ToList());

    [Fact]
    public void Each_block_shows_its_errors_beside_its_shares_and_the_correlation_across_blocks()
    {
        // The FC share grows with the shift error in every block of both trials: a perfect rank correlation.
        var study = new StudyResult("s", 2, [Trial(0, [0.1, 0.3], [1e-12, 1e-6]), Trial(1, [0.2, 0.4], [1e-9, 1e-3])], []);
        var markdown = StudyReport.Markdown(study, ReportFormat.Snapshot);

        Assert.Contains("## Equivariance by layer", markdown);
        Assert.Contains("| e0 | block 2 | 30 | 70 | 0 | 0.5 | 1E-06 |", markdown);
        Assert.DoesNotContain("| head |", markdown);
        var row = markdown.Split('\n').Single(l => l.StartsWith("| FC | shift own |", StringComparison.Ordinal));
        var cells = row.Split('|', StringSplitOptions.TrimEntries);
        Assert.Equal("1", cells[6]);
        Assert.Equal(1.0, double.Parse(cells[3], System.Globalization.CultureInfo.InvariantCulture), 6);
    }
}
