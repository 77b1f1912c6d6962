using LieGG.Dsl;
using LieGG.Experiments;
using LieGG.Runtime.Experiments;
using LieGG.Runtime.Orchestration;
using LieGG.Runtime.Results;

namespace LieGG.Experiments.Tests;

/// <summary>The declared paper experiments, run through their generated entry points.</summary>
[Collection(TestHostCollection.Name)]
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
        // The authors' protocol: 9 500 / 250 / 250 declared (a tenth, and at most 200, when quick), the polarization over all
        // inputs, everything in the task's units with the statistics of all samples.
        Assert.Equal(new DatasetSizes(950, 200, 200), result.Raw.Data);
        Assert.Equal(SplitName.All, result.Raw.AnalysedSplit);
        Assert.Equal(RegressionUnits.Task, result.Raw.Units);
        Assert.Equal("all 1350 samples drawn", result.Raw.Standardization!.Source);
        Assert.Equal(1376, result.Raw.Parameters);
        Assert.Equal(25, result.Symmetry.Spectrum.Length);
        Assert.Equal([RunStage.Data, RunStage.Training, RunStage.Training, RunStage.Training, RunStage.Analysis, RunStage.Done], progress.Select(p => p.Stage));
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
        // The authors' schedule: 900 000 samples over 100 training samples, capped as every quick run is.
        Assert.Equal(QuickRun.Epochs(9_000), result.Epochs);
        Assert.Equal(18, O5TrainSize.Trials.Count);
        Assert.Equal(Enumerable.Range(0, 18), O5TrainSize.Trials.Select(t => t.Index));
    }

    [Fact]
    public void Catalog_lists_the_paper_experiments()
    {
        Assert.Equal(["ella-digit-laplace-conv", "ella-digit-laplace-fc", "ella-digit-learned", "ella-digit-map-conv", "ella-digit-map-fc",
            "ella-groups-mnist-learned", "ella-groups-mnist-map", "ella-groups-rotated-conv-gconv-map", "ella-groups-rotated-gconv-learned", "ella-groups-rotated-gconv-map", "ella-groups-rotated-learned", "ella-groups-rotated-map", "ella-groups-translated-learned", "ella-groups-translated-map",
            "ella-kfac-digit", "ella-kfac-quadrant",
            "ella-quadrant-laplace-conv", "ella-quadrant-laplace-fc", "ella-quadrant-learned", "ella-quadrant-map-conv", "ella-quadrant-map-fc",
            "inertia", "inertia-control", "o5-equivariant", "o5-equivariant-control", "o5-invariant", "o5-regression", "rotmnist-deep", "rotmnist-deep-unblurred", "rotmnist-p4cnn", "rotmnist-p4cnn-rotpool", "rotmnist-planted-fault", "rotmnist-shallow", "rotmnist-z2cnn"],
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

[Collection(TestHostCollection.Name)]
public sealed class EllaExperimentTests
{
    [Fact]
    public void Quick_learned_ella_run_carries_typed_priors_shares_and_marginal_likelihood_history()
    {
        var result = EllaQuadrantLearned.Run(new ExperimentRunOptions { Quick = true });

        Assert.Equal(6, result.LayerShares.Count);
        Assert.All(result.LayerShares, l =>
        {
            Assert.InRange(l.FcShare, 0, 1);
            Assert.Equal(1, l.FcShare + l.ConvShare, 12);
        });
        // Six blocks of F-FC (U, V) + CONV and a two-layer head; a weight and a bias each.
        Assert.Equal(2 * (6 * 3 + 2), result.Priors.Count);
        Assert.All(result.Priors, p =>
        {
            Assert.True(p.Precision > 0 && double.IsFinite(p.Precision), $"{p.Name}: δ = {p.Precision}");
            Assert.InRange(p.EffectiveParameters, 0, p.Parameters);
        });
        Assert.Equal([1, 2], result.MarginalLikelihoodHistory.Select(h => h.Epoch));
        Assert.All(result.MarginalLikelihoodHistory, h => Assert.True(h.NegativeLogMarginalLikelihood <= h.Before, $"epoch {h.Epoch}: {h.Before} → {h.NegativeLogMarginalLikelihood}"));
        Assert.True(double.IsFinite(result.NegativeLogMarginalLikelihood));
        Assert.Equal(2, result.Raw.Epochs);
        Assert.True(result.Priors.Any(p => Math.Abs(Math.Log(p.Precision)) > 1e-3), "the hyperparameter steps moved the precisions");
    }

    [Fact]
    public void Quick_map_ella_run_keeps_its_precisions_and_has_no_history()
    {
        var result = EllaDigitMapConv.Run(new ExperimentRunOptions { Quick = true });
        Assert.All(result.Priors, p => Assert.Equal(1.0, p.Precision));
        Assert.All(result.LayerShares, l => Assert.Equal((0.0, 1.0), (l.FcShare, l.ConvShare)));
        Assert.Empty(result.Raw.Laplace!.History);
    }

    [Fact]
    public void Ella_table1_compares_both_tasks_on_the_same_digits_and_canvas()
    {
        Assert.Equal(20, EllaTable1.Trials.Count);
        var datasets = EllaTable1.Trials.Select(t => (LieGG.Runtime.Experiments.QuadrantMnistDatasetSpec)t.Spec.Dataset).ToList();
        Assert.Equal(2, datasets.Distinct().Count());
        Assert.Single(datasets.Select(d => d with { Labels = QuadrantTask.Digit }).Distinct());
    }
}

internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
