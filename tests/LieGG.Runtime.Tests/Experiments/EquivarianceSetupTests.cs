using LieGG.Dsl;
using LieGG.Runtime.Experiments;
using LieGG.Runtime.Results;
using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Symmetry.Equivariance;
using LieGG.Runtime.Training;

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
        var result = new ExperimentResult
        {
            Experiment = "p4", Seed = 1, Quick = false, Task = TaskKind.Classification, TestMetricName = "accuracy", TestMetric = 0.9,
            Data = new DatasetSizes(10, 2, 2), Parameters = 1, Prior = "spatial prior", Epochs = 1, Training = TrainingResult.None,
            Symmetry = SymmetryAnalyzer.Analyze(new PolarizationMatrix(3, 1, 2, 2, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]), null), Timings = new RunTimings(0, 0, 0, 0),
        };
        var declared = RunSetup.Of(Spec(new EquivarianceSpec(Exact: SymmetryElements.Rotations, Named: [new CyclicShift(0, 3)])), result);
        var columns = RunSetup.Flatten(declared);
        Assert.Equal("Rotations", columns["analysis.Equivariance.Exact"]!.GetValue<string>());
        Assert.Equal("Rotations, StrideShifts", columns["analysis.Equivariance.Elements"]!.GetValue<string>());
        Assert.Equal("shift(0,3)", columns["analysis.Equivariance.Named"]![0]!.GetValue<string>());

        var other = RunSetup.Of(Spec(new EquivarianceSpec(Exact: SymmetryElements.None, Named: [new CyclicShift(0, 3)])), result);
        Assert.Contains("analysis.Equivariance.Exact", RunSetup.FirstDifference(declared, other));
        Assert.Contains("analysis.Equivariance", RunSetup.FirstDifference(declared, RunSetup.Of(Spec(null), result)));
    }
}
