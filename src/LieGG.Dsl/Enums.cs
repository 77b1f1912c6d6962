// Also compiled into the analyzers (LieGG.Dsl.Generators), which read the DSL's defaults and enums as these symbols.
#if LIEGG_ANALYZER
namespace LieGG.Dsl.Generators.Shared;
#else
namespace LieGG.Dsl;
#endif

/// <summary>What a dataset's targets are: real vectors (MSE) or class labels (cross-entropy).</summary>
public enum TaskKind
{
    Regression,
    Classification,
}

/// <summary>Nonlinearity between the hidden layers of an MLP.</summary>
public enum Activation
{
    /// <summary>x · sigmoid(x) (SiLU); the LieGG paper's choice.</summary>
    Swish,
    ReLU,
    Tanh,
    GELU,
}

/// <summary>Training loss. <see cref="Auto"/> picks MSE for regression and cross-entropy for classification.</summary>
public enum Loss
{
    Auto,
    Mse,
    CrossEntropy,
}

/// <summary>How the m outputs of a network enter the polarization matrix.</summary>
public enum OutputReduction
{
    /// <summary>One row per sample: the gradient of Σₒ Fₒ (the reference implementation).</summary>
    Sum,
    /// <summary>One row per (sample, output): N·m rows; invariance of every output separately.</summary>
    PerOutput,
}

/// <summary>Transform applied to the network's outputs before differentiation.</summary>
public enum OutputTransform
{
    /// <summary>F / ‖F‖ per sample (the reference default for classifiers); undefined for a single output.</summary>
    L2Normalize,
    None,
    Softmax,
    LogSoftmax,
}

/// <summary>How the O(5) task's samples are drawn, standardised and analysed.</summary>
public enum O5Protocol
{
    /// <summary>
    /// The declared train / validation / test sizes; the input scales and the target mean and std from the training split;
    /// the polarization matrix over the training inputs.
    /// </summary>
    Standard,
    /// <summary>
    /// The LieGG authors' code (o5_regression.ipynb): every sample drawn at once, the statistics over all of them (EMLP's
    /// O5Synthetic.stats), and the polarization matrix over all of them — train, validation and test inputs together.
    /// Their 10 000 points split 9 500 / 250 / 250 are TrainCount = 9 500 with the default validation and test sizes.
    /// </summary>
    LieGGAuthors,
}

/// <summary>The units a standardised regression task is measured and analysed in.</summary>
public enum RegressionUnits
{
    /// <summary>The task's own: F = σ·net(x / s) + μ, as the network is trained and as published.</summary>
    Task,
    /// <summary>The standardised units the wrapped network computes in: net(x / s) against (y − μ) / σ.</summary>
    Standardized,
}

/// <summary>Which MNIST digits a dataset draws from, and how they are split.</summary>
public enum DigitSet
{
    /// <summary>The 10 000 digits embedded in the runtime, pooled and split by the seed into the declared sizes (fast; the default).</summary>
    Embedded10k,
    /// <summary>
    /// All 70 000 MNIST digits (embedded): the declared training and validation digits are drawn by the seed from
    /// MNIST's 60 000 training digits, the test digits from its 10 000 test digits.
    /// </summary>
    Mnist70k,
    /// <summary>
    /// The classic rotated-MNIST protocol (Larochelle et al., 2007; the G-CNN paper's data): 62 000 of the 70 000
    /// digits drawn by the seed, 10 000 for training, 2 000 for validation and 50 000 for testing. A declaration cannot set other sizes (LGG2007); a run can, with --set.
    /// </summary>
    ClassicRotation,
}

/// <summary>How a Gaussian blur extends an image beyond its border.</summary>
public enum BlurEdge
{
    /// <summary>Repeat the edge pixel (…a a | a b c): scikit-image's <c>gaussian</c> default, used by the LieGG authors.</summary>
    Nearest,
    /// <summary>Half-sample symmetric reflection (…b a | a b c): scipy.ndimage's default.</summary>
    Reflect,
}

/// <summary>Pixel-coordinate convention of the spatial prior.</summary>
public enum SpatialConvention
{
    /// <summary>
    /// Central differences (one-sided at the border) with respect to coordinates whose origin is the image centre
    /// ((H−1)/2, (W−1)/2) and whose unit is half the shorter side, so each polarization row is the Lie derivative
    /// of the network along the image flow (up to the O(pixel²) error of the differences).
    /// </summary>
    Centered,
    /// <summary>The LieGG authors' code: forward pixel differences on the (H−1)×(W−1) top-left block, p = index / (H div 2) − 1.</summary>
    Reference,
}

/// <summary>Built-in ground-truth Lie algebras.</summary>
public enum Group
{
    /// <summary>so(n): antisymmetric n×n matrices (rotations).</summary>
    SO,
    /// <summary>sl(n): traceless n×n matrices.</summary>
    SL,
    /// <summary>Multiples of the identity (isotropic scaling).</summary>
    Scaling,
    /// <summary>Translations of the plane (affine spatial prior, 2×3 generators).</summary>
    Translations,
    /// <summary>se(2): rotations and translations of the plane (affine spatial prior, 2×3 generators).</summary>
    SE2,
    /// <summary>so(1, n−1): the Lorentz algebra for the metric diag(1, −1, …, −1).</summary>
    Lorentz,
    /// <summary>co(n) = so(n) ⊕ ℝ·I: rotations and isotropic scaling (the conformal orthogonal algebra).</summary>
    CO,
}

/// <summary>Per-trial quantities a study can correlate and plot.</summary>
public enum Metric
{
    /// <summary>Test accuracy (classification) or test MSE (regression).</summary>
    TestMetric,
    /// <summary>Symmetry variance λ_min.</summary>
    Variance,
    /// <summary>Minimum symmetry bias against the ground truth.</summary>
    MinBias,
    /// <summary>λ_min / λ_max.</summary>
    RelativeVariance,
    /// <summary>λ_{k+1} / λ_k.</summary>
    GapRatio,
    /// <summary>Trainable parameters.</summary>
    Parameters,
    /// <summary>Wall-clock seconds of the trial.</summary>
    WallSeconds,
    /// <summary>ELLA networks: the FC pathway's share of the effective parameters, mean over layers.</summary>
    FcShare,
    /// <summary>ELLA networks: the CONV pathway's share of the effective parameters, mean over layers.</summary>
    ConvShare,
    /// <summary>ELLA networks: the G-CONV pathway's share of the effective parameters, mean over layers.</summary>
    GroupConvShare,
    /// <summary>[OutputRepresentation]: the joint variance λ_min of the pairs (A, B) — how far from equivariant.</summary>
    PairVariance,
    /// <summary>[OutputRepresentation]: the smallest bias of a learned pair against the pair algebra.</summary>
    PairMinBias,
    /// <summary>[OutputRepresentation]: λ_{k+1} / λ_k of the joint spectrum.</summary>
    PairGapRatio,
}

/// <summary>How a network with a pre-trained part is trained (LieGG §5.4).</summary>
public enum Regime
{
    /// <summary>The whole network trained from scratch (the "mother" network).</summary>
    EndToEnd,
    /// <summary>Only the pre-trained part: the first k hidden layers with their own output head.</summary>
    PretrainedPart,
    /// <summary>The pre-trained layers put into the full network, then everything trained jointly (F).</summary>
    FineTune,
    /// <summary>The pre-trained layers put into the full network and frozen; the remaining layers trained (L).</summary>
    LayerWise,
}

/// <summary>Discrete symmetries of images the equivariance analysis measures, applied exactly (index permutations).</summary>
[System.Flags]
public enum SymmetryElements
{
    None = 0,
    /// <summary>The quarter turns rot90, rot180 and rot270 about the image centre (on p4 maps also shifting the rotation axis).</summary>
    Rotations = 1,
    /// <summary>Cyclic shifts by the network's total stride along each axis: the translations a strided CNN can keep exactly.</summary>
    StrideShifts = 2,
    /// <summary>The mirror of the columns.</summary>
    Flip = 4,
}

/// <summary>Where a P4CNN pools over rotations (Cohen &amp; Welling 2016, Table 1).</summary>
public enum RotationPooling
{
    /// <summary>Once, after the last layer (P4CNN).</summary>
    Final,
    /// <summary>After every layer, so each layer lifts planar maps again (P4CNNRotationPooling).</summary>
    EveryLayer,
}

/// <summary>The label of ELLA's quadrant task (Table 1).</summary>
public enum QuadrantTask
{
    /// <summary>The digit (10 classes): invariant to where on the canvas it sits.</summary>
    Digit,
    /// <summary>Digit + 10 · quadrant (40 classes): needs to know where the digit is, so strict translation symmetry fails.</summary>
    DigitQuadrant,
}

/// <summary>How an ELLA layer combines its pathways before its ReLU.</summary>
public enum PathwayCombination
{
    /// <summary>
    /// ReLU of the pathways' mean — ELLA's block, ReLU(½·(FFC(x) + CONV(x))). Each layer scales the signal by 1/P where
    /// the pathways are alike, and a pathway started near zero (small FcInitScale) halves it or worse at every layer.
    /// </summary>
    Mean,
    /// <summary>
    /// ReLU of the pathways' sum: P times the mean (ReLU is positively homogeneous), so the same functions with the
    /// signal's scale kept through deep stacks of three pathways.
    /// </summary>
    Sum,
}

/// <summary>
/// The pathways of an ELLA layer, summed before one ReLU. <see cref="FC"/> and <see cref="FactoredFC"/> exclude
/// each other; any other non-empty combination is valid.
/// </summary>
[System.Flags]
public enum Pathways
{
    None = 0,
    /// <summary>Dense fully connected: y = W·vec(x) + b over all channels and positions.</summary>
    FC = 1,
    /// <summary>Factored fully connected (ELLA's F-FC): a per-channel-pair spatial map, about 2·C·C′·S parameters.</summary>
    FactoredFC = 2,
    /// <summary>3×3 convolution with circular padding: exactly translation-equivariant.</summary>
    Conv = 4,
    /// <summary>
    /// 3×3 p4 group convolution with circular padding (lifting in the first layer): exactly equivariant to 90°
    /// rotations, and the network ends in rotation pooling. With it, every layer's maps carry a rotation axis; the FC
    /// and CONV pathways act on each rotation copy with the same weights, so none of the pathways contains another.
    /// </summary>
    GroupConv = 8,
}

/// <summary>How the output-side KFAC factor of the Laplace approximation is estimated.</summary>
public enum FisherKind
{
    /// <summary>The exact Fisher (= GGN for softmax cross-entropy): one backward pass per class.</summary>
    Exact,
    /// <summary>One class sampled from the model's own prediction per example: one backward pass.</summary>
    MonteCarlo,
}

/// <summary>The optimiser of the network's weights.</summary>
public enum Optimizer
{
    /// <summary>Adam (coupled L2 weight decay), the LieGG paper's choice.</summary>
    Adam,
    /// <summary>SGD with momentum (ELLA's choice).</summary>
    Sgd,
}

/// <summary>How the learning rate changes during training.</summary>
public enum LearningRateSchedule
{
    Constant,
    /// <summary>Cosine annealing per step from the learning rate to the final learning rate.</summary>
    Cosine,
}

/// <summary>How the group acts on a network's outputs, for the joint analysis of pairs (A on the input, B on the output).</summary>
public enum OutputSpace
{
    /// <summary>The outputs do not move (B = 0): the joint analysis is LieGG's invariance analysis.</summary>
    Invariant,
    /// <summary>The outputs are copies of the input's space Rⁿ (the generic prior's n); B ∈ gl(n) acts on each.</summary>
    Vectors,
    /// <summary>The outputs are a rank-2 tensor on Rⁿ, n × n row-major; B ∈ gl(n) acts as B ⊗ I + I ⊗ B (T ↦ BT + TBᵀ).</summary>
    Tensor,
}

/// <summary>Which pairs (A, B) built from the ground-truth algebra 𝔥 the learned pairs are compared with.</summary>
public enum PairTruth
{
    /// <summary>{(h, h) : h ∈ 𝔥}: the output moves with the input (equivariance; on a tensor h acts as h ⊗ I + I ⊗ h).</summary>
    Diagonal,
    /// <summary>{(h, 0) : h ∈ 𝔥}: the output does not move (invariance).</summary>
    InputOnly,
}
