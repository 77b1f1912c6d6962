using LieGG.Dsl;

namespace LieGG.Experiments;

/// <summary>
/// LieGG §5.1: an MLP trained on the O(5)-invariant regression task learns so(5). The authors' protocol
/// (o5_regression.ipynb): 10 000 points drawn once and split 9 500 / 250 / 250, the network wrapped in EMLP's
/// standardization with statistics over all 10 000, trained on MSE in the task's units for 90 epochs of batches of 500
/// (Adam 3e−3, weight decay 1e−4) and kept as it ends, the polarization matrix over all 10 000 inputs.
/// </summary>
[Experiment("o5-regression", Description = "LieGG §5.1: MLP 10→32→32→1 (Swish, no bias) on the O(5) task, the authors' protocol")]
[O5Regression(TrainCount = 9_500, Protocol = O5Protocol.LieGGAuthors)]
[Mlp(Hidden = 2, Width = 32, Activation = Activation.Swish, Bias = false)]
[Train(Epochs = 90, BatchSize = 500, LearningRate = 3e-3, WeightDecay = 1e-4, Seed = 0, SelectBest = false)]
[GenericPrior(Dimension = 5, Copies = 2)]
[GroundTruth(Group.SO)]
public partial class O5Regression;

/// <summary>Control: a model that computes the true O(5)-invariant function, so its symmetry variance must be ~0.</summary>
[Experiment("o5-invariant", Description = "Control: an exactly O(5)-invariant model; variance must come out ~0")]
[O5Regression(TrainCount = 9_500, Protocol = O5Protocol.LieGGAuthors)]
[Model(typeof(InvariantO5Model))]
[Train(Epochs = 40, BatchSize = 500, LearningRate = 1e-2, Seed = 0)]
[GenericPrior(Dimension = 5, Copies = 2)]
[GroundTruth(Group.SO)]
public partial class O5Invariant;

/// <summary>
/// LieGG §5.2: a shallow (2-layer: one hidden layer) MLP on rotated MNIST with about a quarter of the deep
/// model's parameters: 784·53 + 53·10 = 42 082 against 167 168. The authors' protocol, as for <see cref="RotMnistDeep"/>.
/// </summary>
[Experiment("rotmnist-shallow", Description = "LieGG §5.2: 2-layer MLP (one hidden layer of 53) on rotated MNIST")]
[RotatedMnist(Digits = DigitSet.ClassicRotation, Blur = 1.5)]
[Mlp(Hidden = 1, Width = 53)]
[Train(Epochs = 200, BatchSize = 512, LearningRate = 1e-3, Seed = 2022)]
[SpatialPrior(Convention = SpatialConvention.Reference)]
[GroundTruth(Group.SO)]
public partial class RotMnistShallow;

/// <summary>
/// LieGG §5.2 (the authors' notebook): a deep (6-layer: five hidden layers of 128) MLP on rotated MNIST. As the authors
/// did: trained on raw logits, analysed on L2-normalised ones, coordinates in their units, blur repeating the edge
/// pixel, the classic 12 000-digit training set (10 000 train + 2 000 validation; 50 000 test digits).
/// </summary>
[Experiment("rotmnist-deep", Description = "LieGG §5.2: 6-layer MLP (5 hidden × 128) on rotated MNIST")]
[RotatedMnist(Digits = DigitSet.ClassicRotation, Blur = 1.5)]
[Mlp(Hidden = 5, Width = 128)]
[Train(Epochs = 200, BatchSize = 512, LearningRate = 1e-3, Seed = 2022)]
[SpatialPrior(Convention = SpatialConvention.Reference)]
[GroundTruth(Group.SO)]
public partial class RotMnistDeep;
