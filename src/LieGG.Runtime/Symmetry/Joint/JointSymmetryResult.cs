namespace LieGG.Runtime.Symmetry.Joint;

/// <summary>A learned pair: A acts on the input, B on the output; ‖A‖²_F + ‖B‖²_F = 1. B is 0 × 0 for invariant outputs.</summary>
public sealed record GeneratorPair(double[][] A, double[][] B);

/// <summary>How the input (A) and output (B) blocks of the joint system are weighted against each other.</summary>
public enum JointScaling
{
    /// <summary>
    /// Each block's coordinates are divided by the root mean square of that block's columns (√(tr G_AA / d_A), √(tr G_BB / d_B)),
    /// so a unit of A and a unit of B move the residual by the same amount on average; the smallest directions are found
    /// in those coordinates and mapped back. Both blocks carry the output's units, so this changes nothing under a change
    /// of units of either space — it guards against one block's columns being much smaller (a nearly constant output,
    /// a nearly input-independent one), which would make that block look free.
    /// </summary>
    Balanced,
    /// <summary>The raw system: ‖(A, B)‖ = 1 in the given coordinates.</summary>
    None,
}

/// <summary>Settings of the metrics computed from a joint Gram.</summary>
public sealed record JointSymmetryOptions
{
    /// <summary>k: how many pairs form the recovered subspace. Default: dim of the pair algebra, else the numerical null dimension (at least 1).</summary>
    public int? SubspaceDimension { get; init; }

    /// <summary>
    /// Singular values (√ of the scaled Gram's eigenvalues) at or below this count as zero. Default: max(ε·n, √(n·ε₆₄))·σ_max
    /// with n = max(rows, d) — LieGG's rule for the rows' own precision ε, or what a float64 Gram of n rows resolves.
    /// </summary>
    public double? RankTolerance { get; init; }

    public JointScaling Scaling { get; init; } = JointScaling.Balanced;

    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>How the intervals are read off the resampled Grams: Basic (the default) or Percentile; BCa would need jackknife Grams the streamed Gram does not keep.</summary>
    public BootstrapIntervalMethod IntervalMethod { get; init; } = BootstrapIntervalMethod.Basic;
}

/// <summary>
/// The LieGG metrics of the joint system: which pairs (A, B) the network is most equivariant to, in ascending order of
/// λ_i = (the scaled Gram's i-th eigenvalue) / (N·m), and how far they are from a declared pair algebra.
/// </summary>
public sealed record JointSymmetryResult
{
    /// <summary>How the group acts on the outputs ("invariant", "a vector of R^5", …).</summary>
    public required string Output { get; init; }

    /// <summary>λ_i ascending: the mean squared residual J_F·(A_i x) − B_i·F per row, in the scaled coordinates.</summary>
    public required double[] Spectrum { get; init; }

    /// <summary>σ_i = √(N·m·λ_i), ascending.</summary>
    public required double[] SingularValues { get; init; }

    /// <summary>λ_min: how far the network is from being equivariant to its best pair.</summary>
    public required double Variance { get; init; }

    /// <summary>λ_min / λ_max.</summary>
    public required double RelativeVariance { get; init; }

    /// <summary>Pair i, in the same order as <see cref="Spectrum"/>.</summary>
    public required GeneratorPair[] Pairs { get; init; }

    /// <summary>‖(A_i, B_i) − P(A_i, B_i)‖ ∈ [0, 1] against the pair algebra; null without one.</summary>
    public double[]? Bias { get; init; }

    public double? MinBias => Bias is { Length: > 0 } b ? b.Min() : null;

    public string? Algebra { get; init; }

    public required int SubspaceDimension { get; init; }

    /// <summary>Principal angles (radians, ascending) between the span of the first k pairs and the pair algebra.</summary>
    public double[]? PrincipalAngles { get; init; }

    /// <summary>λ_{k+1} / λ_k (∞ when λ_k = 0; NaN when k = d).</summary>
    public required double GapRatio { get; init; }

    public required int NumericalRank { get; init; }

    public required double RankTolerance { get; init; }

    public int NullDimension => Spectrum.Length - NumericalRank;

    /// <summary>Rank 0: the analysed outputs carry no information about either block.</summary>
    public bool Degenerate => NumericalRank == 0;

    /// <summary>
    /// How far the span of the first k pairs is from closing under the blockwise bracket ([A, A′], [B, B′]): the share of
    /// the bracket's Hilbert–Schmidt norm on the span that leaves it, 0 for a Lie algebra of pairs (basis-independent).
    /// </summary>
    public required double ClosureResidual { get; init; }

    /// <summary>The weights the blocks were divided by (<see cref="JointScaling"/>): input then output; 1 and 1 unscaled.</summary>
    public required double InputScale { get; init; }

    public required double OutputScale { get; init; }

    public required JointScaling Scaling { get; init; }

    public ConfidenceInterval? VarianceInterval { get; init; }

    public ConfidenceInterval? MinBiasInterval { get; init; }

    /// <summary>Rows of the system: samples × output components.</summary>
    public required long Rows { get; init; }
}
