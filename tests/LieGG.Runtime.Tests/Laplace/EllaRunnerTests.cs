using LieGG.Dsl;
using LieGG.Runtime.Experiments;
using LieGG.Runtime.Models.Relaxed;
using LieGG.Runtime.Orchestration;
using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Training;

namespace LieGG.Runtime.Tests.Laplace;

/// <summary>Declarations the analyzers reject are also refused by the runtime, before any training, with the fix named.</summary>
public sealed class EllaRunnerTests
{
    private static ExperimentSpec Spec(ArchitectureSpec architecture) => new()
    {
        Name = "ella-check",
        Dataset = new QuadrantMnistDatasetSpec(TrainCount: 200, ValidationCount: 50, TestCount: 50),
        Architecture = architecture,
        Training = new TrainingOptions { Epochs = 1, BatchSize = 64, LearningRate = 0.1, Optimizer = Optimizer.Sgd },
        Prior = new SpatialPrior(Affine: true),
    };

    [Fact]
    public void A_network_with_all_three_pathways_learns_its_priors_end_to_end_and_reports_three_shares()
    {
        var spec = Spec(new RelaxedCnnSpec(Width: 1, Pathways: Pathways.FactoredFC | Pathways.Conv | Pathways.GroupConv)) with { Laplace = new LaplaceSpec(BurnIn: 1, Every: 1, Steps: 5) };
        var result = ExperimentRunner.Run(spec, new ExperimentRunOptions { Quick = true, Epochs = 1 });
        var laplace = Assert.IsType<LieGG.Runtime.Training.Laplace.LaplaceResult>(result.Laplace);
        Assert.True(laplace.HasGroupConv);
        Assert.Contains(laplace.Tensors, t => t.Pathway == PathwayKind.GroupConv && !t.IsBias && t.EffectiveParameters > 0);
        Assert.All(laplace.Layers, l =>
        {
            Assert.True(l.GroupConvShare > 0 && l.ConvShare > 0 && l.FcShare > 0, $"layer {l.Layer}: {l}");
            Assert.Equal(1.0, l.FcShare + l.ConvShare + l.GroupConvShare, 9);
        });
        Assert.True(double.IsFinite(laplace.Final));

        // Summed per pathway, every parameter of the network is counted once, and no pathway uses more than it has
        // (each curvature direction adds λ/(λ + δ) < 1 to γ).
        var uses = laplace.PathwayUses();
        Assert.Equal([PathwayKind.FactoredFC, PathwayKind.Conv, PathwayKind.GroupConv, PathwayKind.Head], uses.Select(u => u.Pathway));
        Assert.Equal(result.Parameters, uses.Sum(u => u.Parameters));
        Assert.Equal(laplace.Tensors.Sum(t => t.EffectiveParameters), uses.Sum(u => u.EffectiveParameters), 9);
        Assert.All(uses, u => Assert.InRange(u.Fraction, 1e-12, 1.0));
    }

    [Fact]
    public void Check_laplace_measures_kfac_against_the_exact_ggn_in_a_run_and_the_report_shows_it()
    {
        // An 8×8 canvas keeps the network (and its dense GGN) small.
        var spec = Spec(new RelaxedCnnSpec(Width: 1, Pathways: Pathways.Conv | Pathways.GroupConv)) with
        {
            Dataset = new QuadrantMnistDatasetSpec(Canvas: 8, DigitSize: 4, TrainCount: 200, ValidationCount: 50, TestCount: 50),
            Laplace = new LaplaceSpec(BurnIn: 1, Every: 1, Steps: 5),
        };
        var result = ExperimentRunner.Run(spec, new ExperimentRunOptions { Quick = true, Epochs = 1, CheckLaplace = true });
        var check = Assert.IsType<LieGG.Runtime.Training.Laplace.LaplaceCheck>(result.Laplace!.Check);
        Assert.Equal(result.Parameters, check.Parameters);
        Assert.True(double.IsFinite(check.Gap) && double.IsFinite(check.ExactObjective));
        var markdown = LieGG.Runtime.Reports.MarkdownReport.Render(LieGG.Runtime.Results.RunRecord.Create(spec, result, DateTimeOffset.UnixEpoch), LieGG.Runtime.Reports.ReportFormat.Snapshot);
        Assert.Contains("KFAC's gap in −log ML / N", markdown);
    }

    [Fact]
    public void Laplace_on_a_model_without_per_tensor_priors_is_refused()
    {
        var spec = Spec(new MlpSpec()) with { Laplace = new LaplaceSpec() };
        var error = Assert.Throws<ExperimentSetupException>(() => ExperimentRunner.Run(spec, new ExperimentRunOptions { Quick = true }));
        Assert.Contains("[Laplace]", error.Message);
        Assert.Contains("[RelaxedCnn]", error.Message);
    }

    [Fact]
    public void Pretraining_an_ella_network_is_refused()
    {
        var spec = Spec(new RelaxedCnnSpec(Width: 1)) with { Pretrain = new PretrainSpec() };
        var error = Assert.Throws<ExperimentSetupException>(() => ExperimentRunner.Run(spec, new ExperimentRunOptions { Quick = true }));
        Assert.Contains("remove [Pretrain]", error.Message);
    }

    [Fact]
    public void Relaxed_cnn_on_28_by_28_digits_is_refused_with_the_canvas_rule()
    {
        var spec = Spec(new RelaxedCnnSpec(Width: 1)) with { Dataset = new MnistDatasetSpec(Rotate: false, TrainCount: 200, ValidationCount: 50, TestCount: 50) };
        var error = Assert.Throws<ExperimentSetupException>(() => ExperimentRunner.Run(spec, new ExperimentRunOptions { Quick = true }));
        Assert.Contains("power of two", error.Message);
    }
}
