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
    public int TrainCount { get; set; } = 10_000;

    public int ValidationCount { get; set; } = 250;

    public int TestCount { get; set; } = 250;
}

/// <summary>Split sizes and preprocessing shared by the MNIST-based datasets.</summary>
public abstract class MnistDataAttribute : Attribute
{
    /// <summary>Which digits and how they are split (the embedded 10 000, all 70 000, or the classic rotated-MNIST protocol).</summary>
    public DigitSet Digits { get; set; } = DigitSet.Embedded10k;

    public int TrainCount { get; set; } = 8000;

    public int ValidationCount { get; set; } = 1000;

    public int TestCount { get; set; } = 1000;

    /// <summary>Gaussian blur σ in pixels; 0 = none.</summary>
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
    public int Hidden { get; set; } = Defaults.MlpHidden;

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
    public long Parameters { get; set; } = Defaults.MlpBudgetParameters;

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

/// <summary>Training: mini-batches (Adam, or SGD with momentum), a constant or cosine learning rate, best-validation model selection.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class TrainAttribute : Attribute
{
    public int Epochs { get; set; } = Defaults.TrainEpochs;

    public int BatchSize { get; set; } = Defaults.TrainBatchSize;

    public double LearningRate { get; set; } = Defaults.TrainLearningRate;

    public double WeightDecay { get; set; }

    public Optimizer Optimizer { get; set; } = Optimizer.Adam;

    /// <summary>SGD's momentum (ignored by Adam).</summary>
    public double Momentum { get; set; } = Defaults.TrainMomentum;

    public LearningRateSchedule Schedule { get; set; } = LearningRateSchedule.Constant;

    /// <summary>Where <see cref="LearningRateSchedule.Cosine"/> ends after the last step.</summary>
    public double FinalLearningRate { get; set; } = Defaults.TrainFinalLearningRate;

    /// <summary><see cref="Loss.Auto"/> picks MSE for regression and cross-entropy for classification.</summary>
    public Loss Loss { get; set; } = Loss.Auto;

    public int Seed { get; set; }

    public bool SelectBest { get; set; } = true;
}

/// <summary>Prior: the group acts on each of <see cref="Copies"/> consecutive <see cref="Dimension"/>-vectors of the input.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GenericPriorAttribute : Attribute
{
    public int Dimension { get; set; } = 2;

    public int Copies { get; set; } = 1;
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
    public int Samples { get; set; }

    public int Bootstrap { get; set; } = Defaults.AnalysisBootstrap;
}

/// <summary>
/// Pre-trains the first <see cref="Layers"/> hidden layers of an MLP with their own output head, then trains the
/// network according to <see cref="Regime"/> (LieGG §5.4). Sweep "Pretrain.Regime" to compare the regimes.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PretrainAttribute : Attribute
{
    public int Layers { get; set; } = Defaults.PretrainLayers;

    /// <summary>Epochs of the pre-training; 0 = the same as [Train].</summary>
    public int Epochs { get; set; }

    public Regime Regime { get; set; } = Regime.FineTune;
}

/// <summary>Architecture: the Z2CNN of Cohen &amp; Welling (2016) for 28×28 digits — seven convolutions, <see cref="Channels"/> each.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CnnAttribute : Attribute
{
    public int Channels { get; set; } = 20;

    public double Dropout { get; set; } = 0.3;
}

/// <summary>
/// Architecture: the P4CNN of Cohen &amp; Welling (2016) — the same seven layers as p4 group convolutions with
/// <see cref="Channels"/> per rotation, exactly invariant to 90° rotations.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class P4CnnAttribute : Attribute
{
    public int Channels { get; set; } = 10;

    /// <summary><see cref="RotationPooling.Final"/> (P4CNN) or <see cref="RotationPooling.EveryLayer"/> (P4CNNRotationPooling).</summary>
    public RotationPooling RotationPooling { get; set; } = RotationPooling.Final;

    public double Dropout { get; set; } = 0.3;
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
    public int Canvas { get; set; } = Defaults.QuadrantCanvas;

    /// <summary>Side of the resized digit; at most half the canvas.</summary>
    public int DigitSize { get; set; } = Defaults.QuadrantDigitSize;

    public int TrainCount { get; set; } = Defaults.QuadrantTrainCount;

    public int ValidationCount { get; set; } = Defaults.QuadrantValidationCount;

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
    public int Width { get; set; } = 4;

    public Pathways Pathways { get; set; } = Pathways.FactoredFC | Pathways.Conv;

    /// <summary>The prior precision δ every tensor starts with (MAP: keeps); δ = 1 is weight decay 1/N.</summary>
    public double PriorPrecision { get; set; } = 1.0;

    /// <summary>
    /// Scales the FC pathway's initial weights (dense, or each of the factored U and V); 1 = ELLA's initialisation.
    /// Below 1 the network starts nearly convolutional and keeps FC weight only where the data ask for it.
    /// </summary>
    public double FcInitScale { get; set; } = 1.0;
}

/// <summary>
/// Learns the per-tensor prior precisions of a [RelaxedCnn] by maximising the KFAC Laplace marginal likelihood (ELLA):
/// after <see cref="BurnIn"/> epochs, every <see cref="Every"/> epochs, KFAC is fitted on the training set and
/// <see cref="Steps"/> Adam steps of rate <see cref="LearningRate"/> are taken on the log precisions.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class LaplaceAttribute : Attribute
{
    public int BurnIn { get; set; } = 10;

    public int Every { get; set; } = 5;

    public int Steps { get; set; } = 20;

    public double LearningRate { get; set; } = 0.1;

    /// <summary><see cref="FisherKind.Exact"/> (one backward pass per class) or <see cref="FisherKind.MonteCarlo"/> (one).</summary>
    public FisherKind Fisher { get; set; } = FisherKind.Exact;
}
