using LieGG.Dsl;

namespace LieGG.Experiments;

/// <summary>
/// LieGG §5.1, Fig. 2 (right): the O(5) MLP trained on more and more data learns the symmetry better —
/// symmetry variance and bias against so(5) as functions of the training-set size, three seeds each. The authors'
/// protocol as in <see cref="O5Regression"/>, with their schedule over sizes: 900 000 samples seen whatever the size
/// (their code divides by all N drawn, 500 more than the training split; here by the training split).
/// </summary>
[Study("o5-train-size", Description = "LieGG §5.1 Fig. 2 right: variance and bias vs training-set size, the authors' protocol")]
[O5Regression(Protocol = O5Protocol.LieGGAuthors)]
[Mlp(Hidden = 2, Width = 32, Activation = Activation.Swish, Bias = false)]
[Train(SampleBudget = 900_000, BatchSize = 500, LearningRate = 3e-3, WeightDecay = 1e-4, Seed = 0, SelectBest = false)]
[GenericPrior(Dimension = 5, Copies = 2)]
[GroundTruth(Group.SO)]
[Sweep("O5Regression.TrainCount", 500, 1000, 2000, 5000, 10_000, 20_000)]
[Replicates(3)]
[Correlate(Metric.Variance, Metric.TestMetric)]
[Correlate(Metric.MinBias, Metric.TestMetric)]
[Plot(X = "TrainCount", Y = Metric.Variance, LogX = true, LogY = true)]
[Plot(X = "TrainCount", Y = Metric.MinBias, LogX = true, LogY = true)]
[Plot(X = "TrainCount", Y = Metric.TestMetric, LogX = true, LogY = true)]
public partial class O5TrainSize;

/// <summary>
/// LieGG §5.3, Fig. 4: MLPs on rotated MNIST with parameter budgets 40 000 … 200 000 (step 20 000) and 1 … 5 hidden
/// layers (width solved from the budget). The paper reports that lower symmetry variance and bias go with higher
/// accuracy (ρ_var = −0.49, ρ_bias = −0.31, p &lt; 1e−4 over its networks). Trained like rotmnist-deep (200 epochs):
/// at 30 epochs the networks are still far from converged and the bias correlation does not show.
/// </summary>
[Study("width-depth", Description = "LieGG §5.3 Fig. 4: accuracy vs variance and bias over budget × depth")]
[RotatedMnist(Digits = DigitSet.ClassicRotation, Blur = 1.5)]
[MlpBudget(Parameters = 40_000, Hidden = 1)]
[Train(Epochs = 200, BatchSize = 512, LearningRate = 1e-3, Seed = 2022)]
[SpatialPrior(Convention = SpatialConvention.Reference)]
[GroundTruth(Group.SO)]
[Sweep("MlpBudget.Parameters", 40_000L, 60_000L, 80_000L, 100_000L, 120_000L, 140_000L, 160_000L, 180_000L, 200_000L)]
[Sweep("MlpBudget.Hidden", 1, 2, 3, 4, 5)]
[Correlate(Metric.Variance, Metric.TestMetric)]
[Correlate(Metric.MinBias, Metric.TestMetric)]
[Correlate(Metric.RelativeVariance, Metric.TestMetric)]
[Plot(X = "Parameters", Y = Metric.TestMetric, Series = "Hidden")]
[Plot(X = "Hidden", Y = Metric.Variance, Series = "Parameters", LogY = true)]
public partial class WidthDepth;

/// <summary>
/// LieGG §5.4, Fig. 5: a 7-layer MLP (6 hidden) trained end to end, its first 3 layers pre-trained with their own head
/// (the sub MLP-3), and those layers re-injected and then fine-tuned jointly (F) or frozen while the rest trains (L).
/// The report plots the symmetry variance and bias after each layer for all four.
/// </summary>
[Study("training-regimes", Description = "LieGG §5.4 Fig. 5: layer-wise symmetry under four training regimes")]
[RotatedMnist(Digits = DigitSet.ClassicRotation, Blur = 1.5)]
[Mlp(Hidden = 6, Width = 128)]
[Train(Epochs = 30, BatchSize = 512, LearningRate = 1e-3, Seed = 2022)]
[Pretrain(Layers = 3)]
[SpatialPrior(Convention = SpatialConvention.Reference)]
[GroundTruth(Group.SO)]
[Analysis(LayerWise = true)]
[Sweep("Pretrain.Regime", Regime.EndToEnd, Regime.PretrainedPart, Regime.FineTune, Regime.LayerWise)]
public partial class TrainingRegimes;

/// <summary>
/// LieGG §5.2 as a small study: a shallow (1 hidden layer) and a deep (5 hidden layers) MLP on rotated MNIST at the same
/// parameter budget, three seeds each. The report's flow strip (paper Fig. 3b) moves one input along each model's
/// smallest-variance generator. (The paper compares a 2-layer with a 6-layer network of ~4× the parameters:
/// `rotmnist-shallow` and `rotmnist-deep`; here depth alone varies.)
/// </summary>
[Study("shallow-vs-deep", Description = "LieGG §5.2: learned generators of a shallow and a deep MLP at equal budget (Fig. 3b strip)")]
[RotatedMnist(Digits = DigitSet.ClassicRotation, Blur = 1.5)]
[MlpBudget(Parameters = 100_000, Hidden = 1)]
[Train(Epochs = 30, BatchSize = 512, LearningRate = 1e-3, Seed = 2022)]
[SpatialPrior(Convention = SpatialConvention.Reference)]
[GroundTruth(Group.SO)]
[Sweep("MlpBudget.Hidden", 1, 5)]
[Replicates(3)]
[Plot(X = "Hidden", Y = Metric.Variance, LogY = true)]
[Plot(X = "Hidden", Y = Metric.MinBias)]
public partial class ShallowVsDeep;

/// <summary>LieGG §5.1 over three seeds: the O(5) MLP's test MSE, symmetry variance and so(5) bias beside the paper's.</summary>
[Study("o5-seeds", Description = "LieGG §5.1: the O(5) MLP over three seeds",
    Reference = "LieGG (Moskalev et al., 2022), §5.1: test MSE 0.222, symmetry variance 0.0633, symmetry bias 0.0093")]
[Compare(typeof(O5Regression))]
[Replicates(3)]
public partial class O5Seeds;

/// <summary>
/// LieGG §5.2 over three seeds: the paper's 2-layer and 6-layer MLPs on the classic rotated-MNIST protocol, trained and
/// analysed as the authors did (raw logits, their coordinate units, edge-repeating blur).
/// </summary>
[Study("rotmnist-paper", Description = "LieGG §5.2: the shallow and the deep MLP of the paper, three seeds",
    Reference = "LieGG (Moskalev et al., 2022), §5.2, deep MLP on rotated MNIST: validation accuracy 0.844, symmetry variance 8.05e-4, symmetry bias 0.0214")]
[Compare(typeof(RotMnistShallow), typeof(RotMnistDeep))]
[Replicates(3)]
public partial class RotMnistPaper;
