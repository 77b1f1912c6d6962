using LieGG.Dsl;
using LieGG.Runtime.Experiments;
using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Training;

namespace LieGG.Dsl.Generators.Tests;

/// <summary>Generated code passes only the arguments a declaration sets, so attribute and spec defaults must agree.</summary>
public sealed class DefaultsAgreementTests
{
    [Fact]
    public void Dataset_defaults_agree()
    {
        var o5 = new O5RegressionAttribute();
        Assert.Equal(new O5DatasetSpec(), new O5DatasetSpec(o5.TrainCount, o5.ValidationCount, o5.TestCount, o5.Protocol));
        var mnist = new MnistAttribute();
        var rotated = new RotatedMnistAttribute();
        var spec = new MnistDatasetSpec(Rotate: true);
        // The spec leaves unset counts to its digit set: the attribute's defaults for the embedded digits, the protocol's for the classic one.
        Assert.Equal((mnist.TrainCount, mnist.ValidationCount, mnist.TestCount, mnist.Blur, mnist.Normalize), (spec.DeclaredSizes().Train, spec.DeclaredSizes().Validation, spec.DeclaredSizes().Test, spec.Blur, spec.Normalize));
        Assert.Equal(mnist.Digits, spec.Digits);
        Assert.Equal(MnistDatasetSpec.ClassicSizes, (spec with { Digits = DigitSet.ClassicRotation }).DeclaredSizes());
        var quadrant = new QuadrantMnistAttribute();
        var quadrantSpec = new QuadrantMnistDatasetSpec();
        Assert.Equal((quadrant.Labels, quadrant.Canvas, quadrant.DigitSize, quadrant.TrainCount, quadrant.ValidationCount, quadrant.TestCount),
            (quadrantSpec.Labels, quadrantSpec.Canvas, quadrantSpec.DigitSize, quadrantSpec.TrainCount, quadrantSpec.ValidationCount, quadrantSpec.TestCount));
        Assert.Equal((rotated.TrainCount, rotated.ValidationCount, rotated.TestCount, rotated.Blur, rotated.Normalize), (spec.DeclaredSizes().Train, spec.DeclaredSizes().Validation, spec.DeclaredSizes().Test, spec.Blur, spec.Normalize));
    }

    [Fact]
    public void Architecture_defaults_agree()
    {
        var mlp = new MlpAttribute();
        Assert.Equal(new MlpSpec(), new MlpSpec(mlp.Hidden, mlp.Width, mlp.Activation, mlp.Bias, mlp.TrainOnNormalizedLogits));
        var budget = new MlpBudgetAttribute();
        Assert.Equal(new MlpBudgetSpec(), new MlpBudgetSpec(budget.Parameters, budget.Hidden, budget.Activation, budget.Bias, budget.TrainOnNormalizedLogits));
        var relaxed = new RelaxedCnnAttribute();
        Assert.Equal(new RelaxedCnnSpec(), new RelaxedCnnSpec(relaxed.Width, relaxed.Pathways, relaxed.PriorPrecision, relaxed.FcInitScale, relaxed.ConvInitScale, relaxed.Combine));
    }

    [Fact]
    public void Training_prior_and_analysis_defaults_agree()
    {
        var train = new TrainAttribute();
        var options = new TrainingOptions();
        Assert.Equal((train.Epochs, train.BatchSize, train.LearningRate, train.WeightDecay, train.Loss, train.Seed, train.SelectBest),
            (options.Epochs, options.BatchSize, options.LearningRate, options.WeightDecay, options.Loss, options.Seed, options.SelectBest));
        Assert.Equal((train.Optimizer, train.Momentum, train.Schedule, train.FinalLearningRate, train.WarmupEpochs, train.SampleBudget), (options.Optimizer, options.Momentum, options.Schedule, options.FinalLearningRate, options.WarmupEpochs, options.SampleBudget));
        var laplace = new LaplaceAttribute();
        Assert.Equal(new LaplaceSpec(), new LaplaceSpec(laplace.BurnIn, laplace.Every, laplace.Steps, laplace.LearningRate, laplace.Fisher, laplace.NestedEvidence, laplace.ExactGgnCheck));
        var options2 = new LieGG.Runtime.Training.Laplace.LaplaceOptions();
        Assert.Equal((laplace.BurnIn, laplace.Every, laplace.Steps, laplace.LearningRate, laplace.Fisher), (options2.BurnIn, options2.Every, options2.Steps, options2.LearningRate, options2.Fisher));
        var spatial = new SpatialPriorAttribute();
        Assert.Equal(new SpatialPrior(), new SpatialPrior(spatial.Convention, spatial.Affine));
        Assert.Equal(new GenericPriorAttribute().Copies, new GenericPrior(1).Copies);
        var analysis = new AnalysisAttribute();
        var analysisSpec = new AnalysisSpec();
        Assert.Equal((analysis.Outputs, analysis.LayerWise, analysis.Samples, analysis.Bootstrap, analysis.Units), (analysisSpec.Outputs, analysisSpec.LayerWise, analysisSpec.Samples, analysisSpec.Bootstrap, analysisSpec.Units));
    }
}
