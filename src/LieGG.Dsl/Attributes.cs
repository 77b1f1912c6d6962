namespace LieGG.Dsl;

// Every experiment is a partial class (or record) with [Experiment] and exactly one attribute of each group:
// dataset, architecture, training and prior; [GroundTruth] and [Analysis] are optional. The source generator
// turns the declaration into a typed spec, Run/RunAsync and a result type; analyzers (LGGnnnn) check it.

/// <summary>Declares an experiment. The class must be partial; the name is what the CLI runs.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ExperimentAttribute(string name) : Attribute
{
    public string Name { get; } = name;

    public string? Description { get; set; }
}

/// <summary>Dataset: the O(5)-invariant regression task of LieGG §5.1 (inputs two 5-vectors, one output).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class O5RegressionAttribute : Attribute
{
    [AllowedRange(1, 10_000_000, "a count from 1 to 10 000 000")]
    public int TrainCount { get; set; } = Defaults.O5TrainCount;

    [AllowedRange(0, 10_000_000, "a count from 0 to 10 000 000")]
    public int ValidationCount { get; set; } = Defaults.O5ValidationCount;

    [AllowedRange(1, 10_000_000, "a count from 1 to 10 000 000")]
    public int TestCount { get; set; } = Defaults.O5TestCount;

    /// <summary>Where the standardising statistics come from and which inputs the polarization matrix takes (see <see cref="O5Protocol"/>).</summary>
    public O5Protocol Protocol { get; set; } = O5Protocol.Standard;
}

/// <summary>
/// Dataset: an O(5)-equivariant regression task in the spirit of LieGG §5.1 — inputs two 5-vectors, output the 5-vector
/// F(x₁, x₂) = sin‖x₁‖·x₁ − ½‖x₂‖·x₂ + cos∠(x₁, x₂)·x₁ (O5EquivariantSynthetic).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class O5EquivariantAttribute : Attribute
{
    [AllowedRange(1, 10_000_000, "a count from 1 to 10 000 000")]
    public int TrainCount { get; set; } = Defaults.O5TrainCount;

    [AllowedRange(0, 10_000_000, "a count from 0 to 10 000 000")]
    public int ValidationCount { get; set; } = Defaults.O5ValidationCount;

    [AllowedRange(1, 10_000_000, "a count from 1 to 10 000 000")]
    public int TestCount { get; set; } = Defaults.O5TestCount;
}

/// <summary>
/// Dataset: EMLP's Inertia task — the masses and positions of 5 point masses (20 inputs: masses first) → their 3 × 3
/// inertia tensor (9 outputs), O(3)-equivariant.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class InertiaAttribute : Attribute
{
    [AllowedRange(1, 10_000_000, "a count from 1 to 10 000 000")]
    public int TrainCount { get; set; } = Defaults.InertiaTrainCount;

    [AllowedRange(0, 10_000_000, "a count from 0 to 10 000 000")]
    public int ValidationCount { get; set; } = Defaults.InertiaValidationCount;

    [AllowedRange(1, 10_000_000, "a count from 1 to 10 000 000")]
    public int TestCount { get; set; } = Defaults.InertiaTestCount;
}

/// <summary>Split sizes and preprocessing shared by the MNIST-based datasets.</summary>
public abstract class MnistDataAttribute : Attribute
{
    /// <summary>Which digits and how they are split (the embedded 10 000, all 70 000, or the classic rotated-MNIST protocol).</summary>
    public DigitSet Digits { get; set; } = DigitSet.Embedded10k;

    [AllowedRange(1, 10_000_000, "a count from 1 to 10 000 000")]
    public int TrainCount { get; set; } = Defaults.MnistTrainCount;

    [AllowedRange(0, 10_000_000, "a count from 0 to 10 000 000")]
    public int ValidationCount { get; set; } = Defaults.MnistValidationCount;

    [AllowedRange(1, 10_000_000, "a count from 1 to 10 000 000")]
    public int TestCount { get; set; } = Defaults.MnistTestCount;

    /// <summary>Gaussian blur σ in pixels; 0 = none.</summary>
    [AllowedRange(0, 10, "a σ from 0 (no blur) to 10 pixels")]
    public double Blur { get; set; }

    /// <summary>How the blur treats the image border: repeat the edge pixel (the LieGG authors' and scikit-image's default) or reflect.</summary>
    public BlurEdge BlurEdge { get; set; } = BlurEdge.Nearest;

    public bool Normalize { get; set; } = true;
}

/// <summary>Dataset: MNIST digits (embedded 10k, or IDX files given with --data-dir), 28×28, 10 classes.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class MnistAttribute : MnistDataAttribute;

/// <summary>
/// Dataset: rotated MNIST generated from MNIST digits (seeded angle per digit), 28×28, 10 classes. With
/// --data-dir, IDX digits are rotated the same way unless they are rotated already (<see cref="Prerotated"/> or
/// --prerotated); classic rot-MNIST .amat files are used as they are.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RotatedMnistAttribute : MnistDataAttribute
{
    /// <summary>The --data-dir IDX files hold digits that are rotated already: use them as they are (the same as --prerotated).</summary>
    public bool Prerotated { get; set; }
}

/// <summary>Dataset: a user type implementing <c>LieGG.Runtime.Experiments.IDatasetSource</c> with a public parameterless constructor.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class DatasetAttribute(Type source) : Attribute
{
    public Type Source { get; } = source;

    /// <summary>The task the source returns (decides the result's metric).</summary>
    public TaskKind Task { get; set; } = TaskKind.Classification;

    /// <summary>Shape of one input, e.g. { 28, 28 } or { 10 }; lets the analyzers check the prior. Optional.</summary>
    public int[]? InputShape { get; set; }
}

/// <summary>Architecture: an MLP of <see cref="Hidden"/> layers of <see cref="Width"/> units.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class MlpAttribute : Attribute
{
    [AllowedRange(0, 64, "0 to 64 hidden layers")]
    public int Hidden { get; set; } = Defaults.MlpHidden;

    [AllowedRange(1, 65_536, "1 to 65 536 units")]
    public int Width { get; set; } = Defaults.MlpWidth;

    public Activation Activation { get; set; } = Activation.Swish;

    public bool Bias { get; set; }

    /// <summary>
    /// Make L2 normalisation of the logits part of the network, so training minimises cross-entropy on unit-norm
    /// logits (its loss cannot fall below ≈ 1.4 for 10 classes). Off (the LieGG authors' protocol): training sees the
    /// raw logits and only the analysis normalises them (<see cref="AnalysisAttribute.Transform"/>).
    /// </summary>
    public bool TrainOnNormalizedLogits { get; set; }
}

/// <summary>Architecture: an MLP of <see cref="Hidden"/> layers, as wide as a budget of <see cref="Parameters"/> allows.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class MlpBudgetAttribute : Attribute
{
    [AllowedRange(1, 1e10, "a parameter budget from 1 to 10 000 000 000")]
    public long Parameters { get; set; } = Defaults.MlpBudgetParameters;

    [AllowedRange(1, 64, "1 to 64 hidden layers (a budget sets their width)")]
    public int Hidden { get; set; } = Defaults.MlpHidden;

    public Activation Activation { get; set; } = Activation.Swish;

    public bool Bias { get; set; }

    /// <inheritdoc cref="MlpAttribute.TrainOnNormalizedLogits"/>
    public bool TrainOnNormalizedLogits { get; set; }
}

/// <summary>Architecture: a user type implementing <c>LieGG.Runtime.Experiments.IModelFactory</c> with a public parameterless constructor.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ModelAttribute(Type factory) : Attribute
{
    public Type Factory { get; } = factory;
}

/// <summary>Training: mini-batches (Adam, or SGD with momentum), a constant or cosine learning rate with optional linear warm-up, best-validation model selection.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class TrainAttribute : Attribute
{
    [AllowedRange(1, 1_000_000, "1 to 1 000 000 epochs")]
    public int Epochs { get; set; } = Defaults.TrainEpochs;

    [AllowedRange(1, 10_000_000, "a batch of 1 to 10 000 000 samples")]
    public int BatchSize { get; set; } = Defaults.TrainBatchSize;

    [AllowedRange(0, 10, "a learning rate in (0, 10]", ExclusiveMinimum = true)]
    public double LearningRate { get; set; } = Defaults.TrainLearningRate;

    [AllowedRange(0, 10, "a weight decay from 0 to 10")]
    public double WeightDecay { get; set; }

    public Optimizer Optimizer { get; set; } = Optimizer.Adam;

    /// <summary>SGD's momentum (ignored by Adam).</summary>
    [AllowedRange(0, 0.9999, "a momentum from 0 to 0.9999 (below 1)")]
    public double Momentum { get; set; } = Defaults.TrainMomentum;

    public LearningRateSchedule Schedule { get; set; } = LearningRateSchedule.Constant;

    /// <summary>Where <see cref="LearningRateSchedule.Cosine"/> ends after the last step.</summary>
    [AllowedRange(0, 10, "a final learning rate from 0 to 10")]
    public double FinalLearningRate { get; set; } = Defaults.TrainFinalLearningRate;

    /// <summary>
    /// Epochs over which the learning rate ramps up linearly, step by step, to its scheduled value; 0 = none. Adam's
    /// first steps move every weight by about the full rate, which can kill the ReLUs of a network whose weights start small.
    /// </summary>
    [AllowedRange(0, 1_000_000, "0 to 1 000 000 epochs (at most Epochs)")]
    public int WarmupEpochs { get; set; }

    /// <summary><see cref="Loss.Auto"/> picks MSE for regression and cross-entropy for classification.</summary>
    public Loss Loss { get; set; } = Loss.Auto;

    public int Seed { get; set; }

    public bool SelectBest { get; set; } = true;

    /// <summary>
    /// When positive, train for ⌊SampleBudget / training samples⌋ epochs (at least one) instead of <see cref="Epochs"/>: the
    /// same number of samples seen, and so of optimizer steps, at every training-set size — the LieGG authors' O(5)
    /// schedule (900 000 samples). 0 = train for <see cref="Epochs"/>.
    /// </summary>
    [AllowedRange(0, int.MaxValue, "0 (use Epochs) or a positive number of samples")]
    public int SampleBudget { get; set; }
}

/// <summary>Prior: the group acts on each of <see cref="Copies"/> consecutive <see cref="Dimension"/>-vectors of the input (after <see cref="Scalars"/> it leaves alone).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GenericPriorAttribute : Attribute
{
    [AllowedRange(1, 1_000_000, "a vector dimension of at least 1")]
    public int Dimension { get; set; } = Defaults.GenericPriorDimension;

    [AllowedRange(1, 1_000_000, "at least one copy")]
    public int Copies { get; set; } = 1;

    /// <summary>Leading inputs the group leaves alone (masses, charges), before the copies.</summary>
    [AllowedRange(0, 1_000_000, "a count of 0 or more")]
    public int Scalars { get; set; }
}

/// <summary>Prior: the group acts on the pixel coordinates of single-channel images.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class SpatialPriorAttribute : Attribute
{
    public SpatialConvention Convention { get; set; } = SpatialConvention.Centered;

    /// <summary>Add translations (2×3 generators).</summary>
    public bool Affine { get; set; }
}

/// <summary>The known group the learned generators are compared with (symmetry bias, principal angles).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GroundTruthAttribute : Attribute
{
    public GroundTruthAttribute(Group group) => Group = group;

    /// <param name="algebra">A type implementing <c>LieGG.Runtime.Symmetry.ILieAlgebra</c> with a public parameterless constructor.</param>
    public GroundTruthAttribute(Type algebra) => Algebra = algebra;

    public Group? Group { get; }

    public Type? Algebra { get; }
}

/// <summary>How the trained network is analysed.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class AnalysisAttribute : Attribute
{
    public OutputReduction Outputs { get; set; } = OutputReduction.Sum;

    /// <summary>Output transform; by default L2 normalisation for classifiers and none for regression.</summary>
    public OutputTransform Transform { get; set; } = OutputTransform.L2Normalize;

    /// <summary>Also analyse every hidden layer's (L2-normalised) output (paper §5.4).</summary>
    public bool LayerWise { get; set; }

    /// <summary>Training samples in the polarization matrix; 0 = all.</summary>
    [AllowedRange(0, int.MaxValue, "0 (all training samples) or a positive count")]
    public int Samples { get; set; }

    [AllowedRange(0, 100_000, "0 (no intervals) to 100 000 resamples")]
    public int Bootstrap { get; set; } = Defaults.AnalysisBootstrap;

    /// <summary>
    /// A standardised regression task's units for the test metric and the analysis: the task's own (the default, as
    /// published) or the standardised units the wrapped network computes in.
    /// </summary>
    public RegressionUnits Units { get; set; } = RegressionUnits.Task;
}

/// <summary>
/// Measures the trained network's equivariance layer by layer (each layer's own error and its share of the output's):
/// for the discrete <see cref="Elements"/> and, with <see cref="Continuous"/>, along the ground truth's generators and
/// LieGG's H1. <see cref="Exact"/> declares what the architecture must keep to round-off in every layer — the analyzers
/// refuse an architecture that cannot, and a trained network that does not fails its run, naming the layer.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class EquivarianceAttribute : Attribute
{
    public SymmetryElements Elements { get; set; } = Defaults.EquivarianceElements;

    public SymmetryElements Exact { get; set; } = SymmetryElements.None;

    /// <summary>Analysed inputs (the first of the analysed split).</summary>
    [AllowedRange(1, 100_000, "1 to 100 000 inputs")]
    public int Samples { get; set; } = Defaults.EquivarianceSamples;

    /// <summary>Also along the continuous generators (exact Jacobian–vector products, d × d Grams).</summary>
    public bool Continuous { get; set; } = true;
}

/// <summary>
/// Discovers pairs (A, B) the trained network is equivariant to — A acting on the input as the prior says, B on the
/// outputs as <see cref="Kind"/> says, J_F(x)·(A·x) = B·F(x) — and compares them with the ground truth's pair algebra
/// (<see cref="Truth"/>) by the same metrics as LieGG: spectrum, bias, principal angles, rank, gap, closure, intervals.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class OutputRepresentationAttribute(OutputSpace kind) : Attribute
{
    public OutputSpace Kind { get; } = kind;

    /// <summary><see cref="OutputSpace.Vectors"/>: how many copies of Rⁿ the outputs are.</summary>
    [AllowedRange(1, 1_000_000, "at least one copy")]
    public int Copies { get; set; } = 1;

    public PairTruth Truth { get; set; } = PairTruth.Diagonal;
}

/// <summary>
/// Pre-trains the first <see cref="Layers"/> hidden layers of an MLP with their own output head, then trains the
/// network according to <see cref="Regime"/> (LieGG §5.4). Sweep "Pretrain.Regime" to compare the regimes.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PretrainAttribute : Attribute
{
    [AllowedRange(1, 63, "1 to 63 pre-trained layers (fewer than the MLP's hidden layers)")]
    public int Layers { get; set; } = Defaults.PretrainLayers;

    /// <summary>Epochs of the pre-training; 0 = the same as [Train].</summary>
    [AllowedRange(0, 1_000_000, "0 (as [Train]) to 1 000 000 epochs")]
    public int Epochs { get; set; }

    public Regime Regime { get; set; } = Regime.FineTune;
}

/// <summary>Architecture: the Z2CNN of Cohen &amp; Welling (2016) for 28×28 digits — seven convolutions, <see cref="Channels"/> each.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CnnAttribute : Attribute
{
    [AllowedRange(1, 1024, "1 to 1024 channels")]
    public int Channels { get; set; } = Defaults.CnnChannels;

    [AllowedRange(0, 0.95, "a dropout rate from 0 to 0.95")]
    public double Dropout { get; set; } = Defaults.CnnDropout;
}

/// <summary>
/// Architecture: the P4CNN of Cohen &amp; Welling (2016) — the same seven layers as p4 group convolutions with
/// <see cref="Channels"/> per rotation, exactly invariant to 90° rotations.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class P4CnnAttribute : Attribute
{
    [AllowedRange(1, 1024, "1 to 1024 channels")]
    public int Channels { get; set; } = Defaults.P4CnnChannels;

    /// <summary><see cref="RotationPooling.Final"/> (P4CNN) or <see cref="RotationPooling.EveryLayer"/> (P4CNNRotationPooling).</summary>
    public RotationPooling RotationPooling { get; set; } = RotationPooling.Final;

    [AllowedRange(0, 0.95, "a dropout rate from 0 to 0.95")]
    public double Dropout { get; set; } = Defaults.CnnDropout;
}

/// <summary>
/// Dataset: MNIST digits on a larger square canvas for ELLA's networks (their Table 3): each digit, rotated by a seeded
/// angle when <see cref="Rotate"/> (rotated MNIST), is resized to <see cref="DigitSize"/>² and placed at the centre —
/// or, with <see cref="Translate"/>, at a seeded offset anywhere on the canvas (translated MNIST). 10 classes.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CanvasMnistAttribute : Attribute
{
    /// <summary>Place each digit at a seeded uniform offset (every position where it fits) instead of the centre.</summary>
    public bool Translate { get; set; }

    /// <summary>Rotate each 28×28 digit by a seeded uniform angle in [0°, 360°) before resizing it.</summary>
    public bool Rotate { get; set; }

    /// <summary>Side of the square canvas in pixels; a power of two for [RelaxedCnn].</summary>
    [AllowedRange(4, 1024, "a canvas of 4 to 1024 pixels")]
    public int Canvas { get; set; } = Defaults.CanvasMnistCanvas;

    /// <summary>Side of the resized digit; at most the canvas.</summary>
    [AllowedRange(1, 1024, "a digit size of 1 to 1024 pixels")]
    public int DigitSize { get; set; } = Defaults.CanvasMnistDigitSize;

    [AllowedRange(1, 10_000_000, "a count from 1 to 10 000 000")]
    public int TrainCount { get; set; } = Defaults.MnistTrainCount;

    [AllowedRange(0, 10_000_000, "a count from 0 to 10 000 000")]
    public int ValidationCount { get; set; } = Defaults.MnistValidationCount;

    [AllowedRange(1, 10_000_000, "a count from 1 to 10 000 000")]
    public int TestCount { get; set; } = Defaults.MnistTestCount;
}

/// <summary>
/// Dataset: ELLA's quadrant task (Table 1). Each MNIST digit is resized to <see cref="DigitSize"/>² and placed in a
/// seeded quadrant of a <see cref="Canvas"/>² canvas; <see cref="Labels"/> says whether the label is the digit
/// (10 classes) or digit + 10 · quadrant (40 classes, impossible under strict translation symmetry).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class QuadrantMnistAttribute : Attribute
{
    public QuadrantTask Labels { get; set; } = QuadrantTask.Digit;

    /// <summary>Side of the square canvas in pixels: even, and a power of two for [RelaxedCnn].</summary>
    [AllowedRange(2, 1024, "a canvas of 2 to 1024 pixels")]
    public int Canvas { get; set; } = Defaults.QuadrantCanvas;

    /// <summary>Side of the resized digit; at most half the canvas.</summary>
    [AllowedRange(1, 512, "a digit size of 1 to 512 pixels")]
    public int DigitSize { get; set; } = Defaults.QuadrantDigitSize;

    [AllowedRange(1, 10_000_000, "a count from 1 to 10 000 000")]
    public int TrainCount { get; set; } = Defaults.QuadrantTrainCount;

    [AllowedRange(0, 10_000_000, "a count from 0 to 10 000 000")]
    public int ValidationCount { get; set; } = Defaults.QuadrantValidationCount;

    [AllowedRange(1, 10_000_000, "a count from 1 to 10 000 000")]
    public int TestCount { get; set; } = Defaults.QuadrantTestCount;
}

/// <summary>
/// Architecture: ELLA's network (van der Ouderaa et al. 2023) of width α = <see cref="Width"/>. Every layer sums the
/// declared <see cref="Pathways"/> before one ReLU; blocks halve the image down to 2×2, then global pooling and a
/// two-layer head. Every parameter tensor has a Gaussian prior of precision <see cref="PriorPrecision"/> (MAP), learned
/// per tensor when the experiment also declares [Laplace].
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RelaxedCnnAttribute : Attribute
{
    [AllowedRange(1, 256, "a width α from 1 to 256 (channels of the first block)")]
    public int Width { get; set; } = Defaults.RelaxedCnnWidth;

    public Pathways Pathways { get; set; } = Defaults.RelaxedPathways;

    /// <summary>The prior precision δ every tensor starts with (MAP: keeps); δ = 1 is weight decay 1/N.</summary>
    [AllowedRange(0, 1e12, "a prior precision in (0, 1e12]", ExclusiveMinimum = true)]
    public double PriorPrecision { get; set; } = Defaults.RelaxedCnnPriorPrecision;

    /// <summary>
    /// Scales the FC pathway's initial weights (dense, or each of the factored U and V); 1 = ELLA's initialisation.
    /// Below 1 the network starts nearly convolutional and keeps FC weight only where the data ask for it.
    /// </summary>
    [AllowedRange(0, 100, "a scale in (0, 100]", ExclusiveMinimum = true)]
    public double FcInitScale { get; set; } = 1.0;

    /// <summary>
    /// Scales the CONV pathway's initial weights; 1 = ELLA's initialisation. Below 1, beside a G-CONV pathway, the
    /// network starts nearly rotation-equivariant and keeps planar-convolution weight only where the data ask for it.
    /// </summary>
    [AllowedRange(0, 100, "a scale in (0, 100]", ExclusiveMinimum = true)]
    public double ConvInitScale { get; set; } = 1.0;

    /// <summary>How each layer combines its pathways: ReLU of their mean (ELLA's) or of their sum.</summary>
    public PathwayCombination Combine { get; set; } = PathwayCombination.Mean;
}

/// <summary>
/// Learns the per-tensor prior precisions of a [RelaxedCnn] by maximising the KFAC Laplace marginal likelihood (ELLA):
/// after <see cref="BurnIn"/> epochs, every <see cref="Every"/> epochs, KFAC is fitted on the training set and
/// <see cref="Steps"/> Adam steps of rate <see cref="LearningRate"/> are taken on the log precisions.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class LaplaceAttribute : Attribute
{
    [AllowedRange(0, 1_000_000, "0 to 1 000 000 epochs")]
    public int BurnIn { get; set; } = Defaults.LaplaceBurnIn;

    [AllowedRange(1, 1_000_000, "1 to 1 000 000 epochs between hyperparameter steps")]
    public int Every { get; set; } = Defaults.LaplaceEvery;

    [AllowedRange(1, 1_000_000, "1 to 1 000 000 Adam steps")]
    public int Steps { get; set; } = Defaults.LaplaceSteps;

    [AllowedRange(0, 10, "a learning rate in (0, 10]", ExclusiveMinimum = true)]
    public double LearningRate { get; set; } = Defaults.LaplaceLearningRate;

    /// <summary><see cref="FisherKind.Exact"/> (one backward pass per class) or <see cref="FisherKind.MonteCarlo"/> (one).</summary>
    public FisherKind Fisher { get; set; } = FisherKind.Exact;

    /// <summary>
    /// Also train and evaluate, the same way, the strict sub-networks the relaxed network contains (each pathway alone,
    /// and each pair of three), and report whether the learned network has the best marginal likelihood among them.
    /// Costs one training per sub-network.
    /// </summary>
    public bool NestedEvidence { get; set; }

    /// <summary>
    /// Also measure KFAC against the exact generalised Gauss–Newton matrix at the learned weights and priors: the
    /// log-determinants (dense, float64) and the resulting −log ML / N of each, for networks of up to 6 500 prior
    /// parameters (larger ones say that they were not checked). The same as <c>run --check-laplace</c>.
    /// </summary>
    public bool ExactGgnCheck { get; set; }
}
