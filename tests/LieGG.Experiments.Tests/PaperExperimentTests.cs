using LieGG.Dsl;
using LieGG.Experiments;
using LieGG.Runtime.Experiments;

namespace LieGG.Experiments.Tests;

/// <summary>The declared paper experiments, run through their generated entry points.</summary>
public sealed class PaperExperimentTests
{
    [Fact]
    public void Exactly_invariant_control_has_zero_variance_and_recovers_so5()
    {
        var result = O5Invariant.Run(new ExperimentRunOptions { Quick = true });

        Assert.True(result.Symmetry.Variance < 1e-8, $"variance {result.Symmetry.Variance:E3}");
        Assert.All(result.Symmetry.Bias!.Take(10), b => Assert.True(b < 1e-6, $"bias {b:E3}"));
        Assert.Equal(10, result.Symmetry.NullDimension);
        Assert.True(result.Symmetry.Spectrum[10] > 1e6 * result.Symmetry.Spectrum[9], "the other 15 directions are not symmetries");
        Assert.True(double.IsFinite(result.TestMse));
    }

    [Fact]
    public void Quick_o5_regression_runs_with_the_declared_settings()
    {
        var progress = new List<ExperimentProgress>();
        var result = O5Regression.Run(new ExperimentRunOptions { Quick = true }, new SynchronousProgress<ExperimentProgress>(progress.Add));

        Assert.Equal("o5-regression", result.Raw.Experiment);
        Assert.Equal(2, result.Raw.Epochs);
        Assert.Equal(new DatasetSizes(1000, 200, 200), result.Raw.Data);
        Assert.Equal(1376, result.Raw.Parameters);
        Assert.Equal(25, result.Symmetry.Spectrum.Length);
        Assert.Equal(["data", "training", "training", "training", "analysis", "done"], progress.Select(p => p.Stage));
        Assert.Equal(TaskKind.Regression, result.Raw.Task);
    }

    [Fact]
    public async Task A_single_study_trial_runs_with_its_own_values_and_seed()
    {
        var trial = O5TrainSize.Trials[4];
        Assert.Equal((1000, 1), (trial.TrainCount, trial.Seed));
        var result = await O5TrainSize.RunTrialAsync(trial, new ExperimentRunOptions { Quick = true });
        Assert.Equal(1, result.Seed);
        Assert.Equal(100, result.Data.Train);
        Assert.Equal(18, O5TrainSize.Trials.Count);
        Assert.Equal(Enumerable.Range(0, 18), O5TrainSize.Trials.Select(t => t.Index));
    }

    [Fact]
    public void Catalog_lists_the_paper_experiments()
    {
        Assert.Equal(["o5-invariant", "o5-regression", "rotmnist-deep", "rotmnist-deep-unblurred", "rotmnist-p4cnn", "rotmnist-p4cnn-rotpool", "rotmnist-shallow", "rotmnist-z2cnn"],
            LieGG.Generated.ExperimentCatalog.All.Select(e => e.Name));
        Assert.Same(RotMnistDeep.Spec, LieGG.Generated.ExperimentCatalog.All.Single(e => e.Name == "rotmnist-deep").Spec);
    }

    [Fact]
    public void Gcnn_table_networks_all_see_the_same_images()
    {
        var datasets = GroupCnnTable.Trials.Select(t => t.Spec.Dataset).Distinct().ToList();
        Assert.Single(datasets);
        Assert.Equal(RotMnistZ2Cnn.Spec.Dataset, RotMnistDeepUnblurred.Spec.Dataset);
        Assert.NotEqual(RotMnistDeep.Spec.Dataset, RotMnistDeepUnblurred.Spec.Dataset);
        Assert.Equal(RotMnistDeep.Spec.Architecture, RotMnistDeepUnblurred.Spec.Architecture);
    }

    [Fact]
    public void Deep_rotmnist_has_four_times_the_parameters_of_the_shallow_one()
    {
        using var data = RotMnistDeep.LoadData(new ExperimentRunOptions { Quick = true });
        using var deep = RotMnistDeep.CreateModel(data);
        using var shallow = RotMnistShallow.CreateModel(data);
        long deepCount = deep.parameters().Sum(p => p.numel()), shallowCount = shallow.parameters().Sum(p => p.numel());
        Assert.Equal(784 * 53 + 53 * 10, shallowCount);
        Assert.Equal(784 * 128 + 4 * 128 * 128 + 128 * 10, deepCount);
        Assert.InRange((double)deepCount / shallowCount, 3.8, 4.2);
    }
}

internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
