using LieGG.Dsl;

namespace LieGG.Experiments;

/// <summary>
/// LieGG §5.1, Fig. 2 (right): the O(5) MLP trained on more and more data learns the symmetry better —
/// symmetry variance and bias against so(5) as functions of the training-set size, three seeds each.
/// </summary>
[Study("o5-train-size", Description = "LieGG §5.1 Fig. 2 right: variance and bias vs training-set size")]
[O5Regression]
[Mlp(Hidden = 2, Width = 32, Activation = Activation.Swish, Bias = false)]
[Train(Epochs = 90, BatchSize = 500, LearningRate = 3e-3, WeightDecay = 1e-4, Seed = 0)]
[GenericPrior(Dimension = 5, Copies = 2)]
[GroundTruth(Group.SO)]
[Sweep("O5Regression.TrainCount", 500, 1000, 2000, 5000, 10_000, 20_000)]
[Replicates(3)]
[Correlate(Metric.Variance, Metric.TestMetric)]
[Correlate(Metric.MinBias, Metric.TestMetric)]
public partial class O5TrainSize;
