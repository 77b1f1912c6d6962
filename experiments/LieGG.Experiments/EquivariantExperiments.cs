using LieGG.Dsl;

namespace LieGG.Experiments;

/// <summary>
/// The equivariant analogue of LieGG §5.1: an MLP on the O(5)-equivariant task (two 5-vectors in, one out). The joint
/// analysis looks for pairs (A, B) with J_F·(A·x) = B·F; the truth is the diagonal so(5), ten pairs (h, h).
/// </summary>
[Experiment("o5-equivariant", Description = "Pairs (A, B): MLP 10→64→64→5 (Swish) on the O(5)-equivariant task")]
[O5Equivariant]
[Mlp(Hidden = 2, Width = 64, Activation = Activation.Swish)]
[Train(Epochs = 90, BatchSize = 500, LearningRate = 3e-3, WeightDecay = 1e-4, Seed = 0)]
[GenericPrior(Dimension = 5, Copies = 2)]
[GroundTruth(Group.SO)]
[OutputRepresentation(OutputSpace.Vectors)]
public partial class O5EquivariantRegression;

/// <summary>Control: a model that computes the O(5)-equivariant function itself, so its ten diagonal pairs must come out exact.</summary>
[Experiment("o5-equivariant-control", Description = "Control: an exactly O(5)-equivariant model; ten pairs (h, h) with bias ~0")]
[O5Equivariant]
[Model(typeof(EquivariantO5Model))]
[Train(Epochs = 5, BatchSize = 500, LearningRate = 1e-2, Seed = 0)]
[GenericPrior(Dimension = 5, Copies = 2)]
[GroundTruth(Group.SO)]
[OutputRepresentation(OutputSpace.Vectors)]
public partial class O5EquivariantControl;

/// <summary>
/// EMLP's Inertia task: masses and positions of five points → their inertia tensor. O(3) acts on each position and on
/// the tensor as R·I·Rᵀ (B acting as h ⊗ I + I ⊗ h); the masses do not move. The tensor is also equivariant to scaling the
/// positions (s·r gives s²·I, the pair (1, 1)), so the function's own algebra is co(3) = so(3) ⊕ ℝ·I, EMLP's so(3) inside it.
/// </summary>
[Experiment("inertia", Description = "EMLP Inertia: MLP 20→128→128→9 (Swish); pairs against co(3) on the positions and the tensor")]
[Inertia]
[Mlp(Hidden = 2, Width = 128, Activation = Activation.Swish)]
[Train(Epochs = 300, BatchSize = 100, LearningRate = 3e-3, WeightDecay = 1e-5, Seed = 0)]
[GenericPrior(Dimension = 3, Copies = 5, Scalars = 5)]
[GroundTruth(Group.CO)]
[OutputRepresentation(OutputSpace.Tensor)]
public partial class InertiaRegression;

/// <summary>Control: a model that computes the inertia tensor itself; the four pairs of co(3) with bias ~0.</summary>
[Experiment("inertia-control", Description = "Control: the exact inertia tensor; four pairs of co(3) with bias ~0")]
[Inertia]
[Model(typeof(InertiaModel))]
[Train(Epochs = 5, BatchSize = 100, LearningRate = 1e-2, Seed = 0)]
[GenericPrior(Dimension = 3, Copies = 5, Scalars = 5)]
[GroundTruth(Group.CO)]
[OutputRepresentation(OutputSpace.Tensor)]
public partial class InertiaControl;

/// <summary>
/// The equivariant analogue of LieGG §5.1 Fig. 2 (right): the O(5)-equivariant MLP trained on more and more data —
/// pair variance and bias against the diagonal so(5) as functions of the training-set size, three seeds each.
/// </summary>
[Study("o5-equivariant-train-size", Description = "Pair variance and bias (A, B) vs training-set size on the O(5)-equivariant task")]
[O5Equivariant]
[Mlp(Hidden = 2, Width = 64, Activation = Activation.Swish)]
[Train(Epochs = 90, BatchSize = 500, LearningRate = 3e-3, WeightDecay = 1e-4, Seed = 0)]
[GenericPrior(Dimension = 5, Copies = 2)]
[GroundTruth(Group.SO)]
[OutputRepresentation(OutputSpace.Vectors)]
[Sweep("O5Equivariant.TrainCount", 500, 1000, 2000, 5000, 10_000, 20_000)]
[Replicates(3)]
[Correlate(Metric.PairVariance, Metric.TestMetric)]
[Correlate(Metric.PairMinBias, Metric.TestMetric)]
[Plot(X = "TrainCount", Y = Metric.PairVariance, LogX = true, LogY = true)]
[Plot(X = "TrainCount", Y = Metric.PairMinBias, LogX = true, LogY = true)]
[Plot(X = "TrainCount", Y = Metric.TestMetric, LogX = true, LogY = true)]
public partial class O5EquivariantTrainSize;
