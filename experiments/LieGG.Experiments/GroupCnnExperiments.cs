using LieGG.Dsl;

namespace LieGG.Experiments;

// Cohen & Welling (2016), Table 1 on rotated MNIST: Z2CNN 5.03 % test error, P4CNN 2.28 %, P4CNNRotationPooling 3.21 %,
// on the classic protocol (10 000 training + 2 000 validation digits, 50 000 test digits), as declared here.

/// <summary>Z2CNN on rotated MNIST: a plain CNN, 7 layers × 20 channels.</summary>
[Experiment("rotmnist-z2cnn", Description = "Cohen & Welling Z2CNN (7 conv layers × 20 channels) on rotated MNIST")]
[RotatedMnist(Digits = DigitSet.ClassicRotation)]
[Cnn(Channels = 20)]
[Equivariance]
[Train(Epochs = 30, BatchSize = 128, LearningRate = 1e-3, Seed = 2022)]
[SpatialPrior(Convention = SpatialConvention.Reference)]
[GroundTruth(Group.SO)]
public partial class RotMnistZ2Cnn;

/// <summary>P4CNN on rotated MNIST: p4 group convolutions, 10 channels per rotation, rotation pooling at the end.</summary>
[Experiment("rotmnist-p4cnn", Description = "Cohen & Welling P4CNN (p4 group convolutions, 10 channels per rotation)")]
[RotatedMnist(Digits = DigitSet.ClassicRotation)]
[P4Cnn(Channels = 10, RotationPooling = RotationPooling.Final)]
[Equivariance(Exact = SymmetryElements.Rotations)]
[Train(Epochs = 30, BatchSize = 128, LearningRate = 1e-3, Seed = 2022)]
[SpatialPrior(Convention = SpatialConvention.Reference)]
[GroundTruth(Group.SO)]
public partial class RotMnistP4Cnn;

/// <summary>
/// The P4CNN with one planted fault (a subsampling off the grid's centre after conv 4): a check that the layer-by-layer
/// equivariance analysis names the layer that breaks quarter turns: its run (quarter turns declared exact) writes its
/// results and then fails, naming "off-centre subsampling".
/// </summary>
[Experiment("rotmnist-planted-fault", Description = "P4CNN with a subsampling off the grid's centre planted after conv 4: the equivariance analysis must name it")]
[RotatedMnist(Digits = DigitSet.ClassicRotation)]
[Model(typeof(PlantedFaultP4Cnn))]
[Equivariance(Exact = SymmetryElements.Rotations)]
[Train(Epochs = 30, BatchSize = 128, LearningRate = 1e-3, Seed = 2022)]
[SpatialPrior(Convention = SpatialConvention.Reference)]
[GroundTruth(Group.SO)]
public partial class RotMnistP4CnnPlantedFault;

/// <summary>
/// P4CNNRotationPooling on rotated MNIST: rotation pooling after every layer. Each layer then lifts planar maps,
/// so it holds c_in·c_out·k² weights like a Z2CNN layer: 20 channels give the Z2CNN's 21 630 parameters, comparable
/// to the paper's pair (10 channels would give 6 320).
/// </summary>
[Experiment("rotmnist-p4cnn-rotpool", Description = "Cohen & Welling P4CNNRotationPooling (rotation pooling after every layer, 20 channels)")]
[RotatedMnist(Digits = DigitSet.ClassicRotation)]
[P4Cnn(Channels = 20, RotationPooling = RotationPooling.EveryLayer)]
[Equivariance(Exact = SymmetryElements.Rotations)]
[Train(Epochs = 30, BatchSize = 128, LearningRate = 1e-3, Seed = 2022)]
[SpatialPrior(Convention = SpatialConvention.Reference)]
[GroundTruth(Group.SO)]
public partial class RotMnistP4CnnRotPool;

/// <summary>
/// The deep MLP of LieGG §5.2 (<see cref="RotMnistDeep"/>) on the CNNs' data: rotated MNIST without the blur, so the
/// LieGG metrics of MLP and CNNs in <see cref="GroupCnnTable"/> come from the same images.
/// </summary>
[Experiment("rotmnist-deep-unblurred", Description = "LieGG §5.2 deep MLP (5 hidden × 128) on unblurred rotated MNIST, as the CNNs see it")]
[RotatedMnist(Digits = DigitSet.ClassicRotation)]
[Mlp(Hidden = 5, Width = 128)]
[Equivariance]
[Train(Epochs = 200, BatchSize = 512, LearningRate = 1e-3, Seed = 2022)]
[SpatialPrior(Convention = SpatialConvention.Reference)]
[GroundTruth(Group.SO)]
public partial class RotMnistDeepUnblurred;

/// <summary>
/// Cohen &amp; Welling (2016), Table 1: the three networks, three seeds each, test error mean ± std beside the paper's —
/// and the deep MLP of LieGG §5.2 on the same digits, angles, split and (unblurred) pixels, so the summary compares
/// symmetry variance, bias and relative variance of MLP, Z2CNN and P4CNN side by side.
/// </summary>
[Study("gcnn-table", Description = "Table 1 of Cohen & Welling (Z2CNN, P4CNNRotationPooling, P4CNN) and the deep MLP under LieGG, 3 seeds",
    Reference = "Cohen & Welling (2016), Table 1, rotated MNIST test error: Z2CNN 5.03 %, P4CNNRotationPooling 3.21 %, P4CNN 2.28 % (12k rot-MNIST training digits, 50k test digits)")]
[Compare(typeof(RotMnistZ2Cnn), typeof(RotMnistP4CnnRotPool), typeof(RotMnistP4Cnn), typeof(RotMnistDeepUnblurred))]
[Replicates(3)]
public partial class GroupCnnTable;
