using LieGG.Runtime.Symmetry.Equivariance;

namespace LieGG.Runtime.Tests.Experiments;

public sealed class EquivarianceSetupTests
{
    private static ExperimentSpec Spec(EquivarianceSpec? equivariance) => new()
    {
        Name = "p4",
        Dataset = new MnistDatasetSpec(Rotate: true),
        Architecture = new P4CnnSpec(),
        Training = new TrainingOptions(),
        Prior = new SpatialPrior(),
        Analysis = new AnalysisSpec(Equivariance: equivariance),
    };

    [Fact]
    public void The_declared_equivariance_analysis_is_recorded_and_a_change_to_it_is_a_difference()
    {
        var declared = Spec(new EquivarianceSpec(Exact: SymmetryElements.Rotations, Named: [new CyclicShift(0, 3)]));
        var columns = SpecValues.Of(declared).ToDictionary(v => v.Column, v => v.Value);
        Assert.Equal("Rotations", columns["analysis.Equivariance.Exact"]);
        Assert.Equal("Rotations|StrideShifts", columns["analysis.Equivariance.Elements"]);

        // The typed record keeps the single elements (polymorphic JSON) and reads them back equal.
        var record = RunRecord.Create(declared, Result(), DateTimeOffset.UnixEpoch);
        var loaded = RunRecord.FromJson(record.ToJson());
        Assert.Equal([new CyclicShift(0, 3)], loaded.Spec.Analysis.Equivariance!.Named!);
        Assert.Contains("\"kind\": \"CyclicShift\"", record.ToJson());

        var other = Spec(new EquivarianceSpec(Exact: SymmetryElements.None, Named: [new CyclicShift(0, 3)]));
        Assert.Contains("analysis.Equivariance.Exact", SpecValues.FirstDifference(declared, other));
        Assert.Contains("analysis.Equivariance", SpecValues.FirstDifference(declared, Spec(null)));
    }

    private static ExperimentResult Result() => new()
    {
        Experiment = "p4", Seed = 1, Quick = false, Task = TaskKind.Classification, TestMetricKind = TestMetricKind.Accuracy, TestMetric = 0.9,
        Data = new DatasetSizes(10, 2, 2), Parameters = 1, Epochs = 1, Training = TrainingResult.None,
        Symmetry = SymmetryAnalyzer.Analyze(new PolarizationMatrix(3, 1, 2, 2, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]), null), Timings = new RunTimings(0, 0, 0, 0),
    };
}
