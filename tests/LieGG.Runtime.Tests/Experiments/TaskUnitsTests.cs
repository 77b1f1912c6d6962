using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Experiments;
using LieGG.Runtime.Models;
using LieGG.Runtime.Orchestration;
using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Training;

namespace LieGG.Runtime.Tests.Experiments;

/// <summary>The O(5) task's numbers in the units they claim, and records that say what the run did.</summary>
public sealed class TaskUnitsTests
{
    private static ExperimentSpec Spec(O5Protocol protocol, RegressionUnits units = RegressionUnits.Task) => new()
    {
        Name = "units",
        Dataset = new O5DatasetSpec(TrainCount: 600, ValidationCount: 50, TestCount: 50, Protocol: protocol),
        Architecture = new MlpSpec(Hidden: 2, Width: 16, Activation: Activation.Swish, Bias: false),
        Training = new TrainingOptions { Epochs = 8, BatchSize = 100, LearningRate = 3e-3, Seed = 5 },
        Prior = new GenericPrior(5, 2),
        GroundTruth = new BuiltInGroundTruth(Group.SO),
        Analysis = new AnalysisSpec(Bootstrap: 0, Units: units),
    };

    [Fact]
    public void Task_units_are_the_standardised_ones_times_the_target_variance_and_the_record_says_which()
    {
        var task = ExperimentRunner.Run(Spec(O5Protocol.Standard));
        var standardized = ExperimentRunner.Run(Spec(O5Protocol.Standard, RegressionUnits.Standardized));
        using var data = ExperimentRunner.LoadData(Spec(O5Protocol.Standard));
        var expected = ((TensorDataset)data).Standardization!;

        // The same seed trains the same network; only the units of what is measured differ, by σ² exactly.
        double variance = expected.TargetStd[0] * expected.TargetStd[0];
        Assert.Equal(task.Training.History[^1].TrainLoss, standardized.Training.History[^1].TrainLoss);
        Assert.Equal(task.TestMetric, standardized.TestMetric * variance, task.TestMetric * 1e-5);
        Assert.Equal(task.Symmetry.Variance, standardized.Symmetry.Variance * variance, task.Symmetry.Variance * 1e-5);
        Assert.Equal(task.Symmetry.MinBias!.Value, standardized.Symmetry.MinBias!.Value, 1e-6);

        // Recorded: the statistics the data source computed, the units, the analysed split.
        foreach (var result in new[] { task, standardized })
        {
            Assert.Equal(expected.TargetMean, result.Standardization!.TargetMean);
            Assert.Equal(expected.TargetStd, result.Standardization.TargetStd);
            Assert.Equal(expected.InputScale, result.Standardization.InputScale);
            Assert.Equal("training split", result.Standardization.Source);
            Assert.Equal(SplitName.Train, result.AnalysedSplit);
            Assert.Equal(600, result.Symmetry.Rows);
        }
        Assert.Equal((RegressionUnits?)RegressionUnits.Task, task.Units);
        Assert.Equal((RegressionUnits?)RegressionUnits.Standardized, standardized.Units);
        Assert.Contains("task's units", task.Outputs!.Trained);
        Assert.Contains("task's units", task.Outputs.Analysed);
        Assert.Contains("standardised outputs", standardized.Outputs!.Analysed);
    }

    [Fact]
    public void The_authors_protocol_standardises_over_all_samples_and_analyses_all_inputs()
    {
        var result = ExperimentRunner.Run(Spec(O5Protocol.LieGGAuthors));
        Assert.Equal(SplitName.All, result.AnalysedSplit);
        Assert.Equal(700, result.Symmetry.Rows);
        Assert.Equal("all 700 samples drawn", result.Standardization!.Source);

        // An explicit split still wins over the protocol's.
        var train = ExperimentRunner.Run(Spec(O5Protocol.LieGGAuthors), new ExperimentRunOptions { AnalysisSplit = SplitName.Train });
        Assert.Equal(SplitName.Train, train.AnalysedSplit);
        Assert.Equal(600, train.Symmetry.Rows);
    }

    [Fact]
    public void A_sample_budget_sets_the_epochs_from_the_training_split()
    {
        var budget = new TrainingOptions { SampleBudget = 900_000 };
        Assert.Equal((1_800, 90, 45, 1), (budget.EpochsFor(500), budget.EpochsFor(10_000), budget.EpochsFor(20_000), budget.EpochsFor(2_000_000)));
        Assert.Equal(7, new TrainingOptions { Epochs = 7 }.EpochsFor(500));

        var spec = Spec(O5Protocol.Standard) with { Training = Spec(O5Protocol.Standard).Training with { SampleBudget = 3_000 } };
        var result = ExperimentRunner.Run(spec);
        Assert.Equal(5, result.Epochs);
        Assert.Equal(5, result.Training.History.Count);
        Assert.Equal(2, ExperimentRunner.Run(spec, new ExperimentRunOptions { Epochs = 2 }).Training.History.Count);
    }

    [Fact]
    public void Tasks_without_a_standardization_record_no_units_and_refuse_standardised_ones_for_classifiers()
    {
        var spec = Spec(O5Protocol.Standard) with { Dataset = new O5EquivariantDatasetSpec(300, 20, 20), GroundTruth = null, Architecture = new MlpSpec(Hidden: 1, Width: 8) };
        var result = ExperimentRunner.Run(spec with { Training = spec.Training with { Epochs = 1 } });
        Assert.Null(result.Standardization);
        Assert.Null(result.Units);
        Assert.Equal("mean squared error on raw outputs", result.Outputs!.Trained);

        var classifier = spec with { Dataset = new MnistDatasetSpec(Rotate: false, TrainCount: 100, ValidationCount: 10, TestCount: 10), Prior = new SpatialPrior() };
        var error = Assert.Throws<ExperimentSetupException>(() => new ExperimentRunOptions { Units = RegressionUnits.Standardized }.ApplyTo(classifier));
        Assert.Contains("--units", error.Message);
    }
}
