using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Symmetry.Joint;

/// <summary>
/// How the group acts on a network's outputs: the B of a pair (A, B) in J_F(x)·(A·x) = B·F(x) (EQUIVARIANCE.md §5). It
/// fixes B's shape and turns the outputs of a batch into the coefficients of B in the output's tangent.
/// </summary>
public abstract record OutputRepresentation
{
    /// <summary>How reports name it: "invariant", "copies of R^5", "rank-2 tensor on R^3", "feature map /2".</summary>
    public abstract string Description { get; }

    public abstract int GeneratorRows { get; }

    public abstract int GeneratorColumns { get; }

    /// <summary>d_B, the coordinates of B.</summary>
    public int Directions => GeneratorRows * GeneratorColumns;

    /// <summary>Throws <see cref="ArgumentException"/>, naming the fix, when outputs of this per-sample shape do not carry the representation.</summary>
    public abstract void RequireFits(long[] outputShape, ISymmetryPrior prior);

    /// <summary>
    /// The tangent of the outputs under B as coefficients [batch, m, d_B]: (B·F)_o = Σ_c T[b, o, c]·B_c, with o the
    /// output component (row-major over the output's own shape) and c the row-major coordinate of B.
    /// </summary>
    public abstract Tensor Tangents(Tensor outputs, long[] inputShape);

    internal static long PerSample(long[] shape) => shape.Skip(1).Aggregate(1L, (a, b) => a * b);
}

/// <summary>The group leaves the outputs alone (B = 0): the joint system reduces to LieGG's invariance.</summary>
public sealed record InvariantOutput : OutputRepresentation
{
    public override string Description => "invariant";

    public override int GeneratorRows => 0;

    public override int GeneratorColumns => 0;

    public override void RequireFits(long[] outputShape, ISymmetryPrior prior)
    {
    }

    public override Tensor Tangents(Tensor outputs, long[] inputShape)
        => torch.zeros(new[] { outputs.shape[0], PerSample(outputs.shape), 0L }, dtype: outputs.dtype, device: outputs.device);
}

/// <summary>
/// The outputs are <paramref name="Copies"/> consecutive vectors of Rⁿ and B ∈ gl(n) acts on each, as the generic prior's A
/// acts on the input's copies: the coefficient of B_kj in output (u, k′) is δ_kk′ · F_u[j].
/// </summary>
public sealed record VectorOutput(int Dimension, int Copies = 1) : OutputRepresentation
{
    public override string Description => Copies == 1 ? $"a vector of R^{Dimension}" : $"{Copies} copies of R^{Dimension}";

    public override int GeneratorRows => Dimension;

    public override int GeneratorColumns => Dimension;

    public override void RequireFits(long[] outputShape, ISymmetryPrior prior)
    {
        if (Dimension < 1 || Copies < 1) throw new ArgumentException($"[OutputRepresentation] Dimension = {Dimension}, Copies = {Copies}: both must be at least 1.");
        long m = PerSample(outputShape);
        if (m != (long)Dimension * Copies)
            throw new ArgumentException($"The output representation is {Copies} × R^{Dimension} = {Dimension * Copies} outputs but the network gives {m} per sample; set Copies = {(m % Dimension == 0 ? (m / Dimension).ToString() : $"outputs / {Dimension}")} or choose the representation that fits.");
        if (prior is GenericPrior input && input.Dimension != Dimension)
            throw new ArgumentException($"The output representation acts on R^{Dimension} but the generic prior on R^{input.Dimension}; a pair (A, B) needs one n for both (set [OutputRepresentation(Dimension = {input.Dimension})]).");
    }

    public override Tensor Tangents(Tensor outputs, long[] inputShape)
    {
        long b = outputs.shape[0];
        int n = Dimension;
        // Axes (b, u, k′, k, j): δ_kk′ from the identity, F_u[j] from the outputs.
        var f = outputs.reshape(b, Copies, 1, 1, n);
        var eye = torch.eye(n, dtype: outputs.dtype, device: outputs.device).reshape(1, 1, n, n, 1);
        return (eye * f).reshape(b, (long)Copies * n, (long)n * n);
    }
}

/// <summary>
/// The output is a rank-2 tensor T on Rⁿ (n × n, row-major) and B ∈ gl(n) acts as B ⊗ I + I ⊗ B: T ↦ B·T + T·Bᵀ, so the
/// coefficient of B_kj in T_ab is δ_ak·T_jb + δ_bk·T_aj. B is the gl(n) element itself, so a rotation pair is (h, h).
/// </summary>
public sealed record TensorOutput(int Dimension) : OutputRepresentation
{
    public override string Description => $"a rank-2 tensor on R^{Dimension}";

    public override int GeneratorRows => Dimension;

    public override int GeneratorColumns => Dimension;

    public override void RequireFits(long[] outputShape, ISymmetryPrior prior)
    {
        if (Dimension < 1) throw new ArgumentException($"[OutputRepresentation] Dimension = {Dimension} must be at least 1.");
        long m = PerSample(outputShape);
        if (m != (long)Dimension * Dimension)
            throw new ArgumentException($"A rank-2 tensor on R^{Dimension} has {Dimension * Dimension} components but the network gives {m} outputs per sample; declare the representation of its outputs (e.g. OutputSpace.Vectors) or the tensor's true dimension.");
        if (prior is GenericPrior input && input.Dimension != Dimension)
            throw new ArgumentException($"The output tensor is on R^{Dimension} but the generic prior acts on R^{input.Dimension}; set [OutputRepresentation(Dimension = {input.Dimension})].");
    }

    public override Tensor Tangents(Tensor outputs, long[] inputShape)
    {
        long b = outputs.shape[0];
        int n = Dimension;
        var t = outputs.reshape(b, n, n);
        var eye = torch.eye(n, dtype: outputs.dtype, device: outputs.device);
        // Axes (b, a, b′, k, j): δ_ak·T_jb′ + δ_b′k·T_aj.
        var left = eye.reshape(1, n, 1, n, 1) * t.transpose(1, 2).reshape(b, 1, n, 1, n);
        var right = eye.reshape(1, 1, n, n, 1) * t.reshape(b, n, 1, 1, n);
        return (left + right).reshape(b, (long)n * n, (long)n * n);
    }
}

/// <summary>
/// The outputs are feature maps [C, h, w] on the input image's plane: pixel (i, j) sits at input pixel (S·i + φ, S·j + φ)
/// with S = <paramref name="Stride"/> and φ = <paramref name="Phase"/>, in the same frame as the spatial prior's
/// <c>Centered</c> coordinates (origin at the input's centre, one unit = half its shorter side). B ∈ gl(2) (2 × 3 with
/// <paramref name="Affine"/>) moves the maps' coordinates: the coefficient of B_kj at output pixel q is ∂_k F(q)·c_j(q),
/// with central differences inside the map and one-sided ones at its edges, as the prior takes them on the input.
/// </summary>
public sealed record FeatureMapOutput(int Stride = 1, double Phase = 0, bool Affine = false) : OutputRepresentation
{
    public override string Description => $"feature maps /{Stride}{(Phase == 0 ? "" : $" (phase {Phase:0.##})")}{(Affine ? ", affine" : "")}";

    public override int GeneratorRows => 2;

    public override int GeneratorColumns => Affine ? 3 : 2;

    public override void RequireFits(long[] outputShape, ISymmetryPrior prior)
    {
        if (prior is not SpatialPrior spatial)
            throw new ArgumentException("Feature-map outputs live on the input image's plane: analyse them with [SpatialPrior], or declare the outputs as vectors for the generic prior.");
        if (spatial.Convention != Dsl.SpatialConvention.Centered)
            throw new ArgumentException($"Feature-map outputs share the input's frame only in SpatialConvention.Centered coordinates; the prior uses {spatial.Convention} (pixel differences). Set [SpatialPrior(Convention = SpatialConvention.Centered)].");
        if (spatial.Affine != Affine)
            throw new ArgumentException($"The prior's generators are {(spatial.Affine ? "2×3 (affine)" : "2×2")} but the output representation's are {(Affine ? "2×3" : "2×2")}; declare both affine or neither.");
        if (Stride < 1) throw new ArgumentException($"[OutputRepresentation] Stride = {Stride} must be at least 1.");
        if (outputShape.Length is not (3 or 4) || outputShape[^1] < 3 || outputShape[^2] < 3)
            throw new ArgumentException($"Feature-map outputs must be [B, H, W] or [B, C, H, W] with H, W ≥ 3; the network gives [{string.Join(", ", outputShape)}].");
    }

    public override Tensor Tangents(Tensor outputs, long[] inputShape)
    {
        var (height, width) = SpatialPrior.ImageSize(inputShape);
        long b = outputs.shape[0];
        long h = outputs.shape[^2], w = outputs.shape[^1];
        var maps = outputs.reshape(b, -1, h, w);
        double pixelsPerUnit = Math.Min(height, width) / 2;
        double step = Stride / pixelsPerUnit;
        var rows = torch.tensor(Enumerable.Range(0, (int)h).Select(i => (Stride * i + Phase - (height - 1) / 2.0) / pixelsPerUnit).ToArray(), dtype: outputs.dtype, device: outputs.device);
        var columns = torch.tensor(Enumerable.Range(0, (int)w).Select(j => (Stride * j + Phase - (width - 1) / 2.0) / pixelsPerUnit).ToArray(), dtype: outputs.dtype, device: outputs.device);
        var dRow = Difference(maps, 2, step);
        var dColumn = Difference(maps, 3, step);
        var rowCoordinate = rows.reshape(1, 1, h, 1).expand(b, maps.shape[1], h, w);
        var columnCoordinate = columns.reshape(1, 1, 1, w).expand(b, maps.shape[1], h, w);
        var parts = new List<Tensor> { dRow * rowCoordinate, dRow * columnCoordinate };
        if (Affine) parts.Add(dRow);
        parts.AddRange(new[] { dColumn * rowCoordinate, dColumn * columnCoordinate });
        if (Affine) parts.Add(dColumn);
        return torch.stack(parts, -1).reshape(b, -1, Directions);
    }

    /// <summary>∂F along an axis in plane units: central differences inside, one-sided at the two edges.</summary>
    private static Tensor Difference(Tensor maps, long axis, double step)
    {
        long size = maps.shape[axis];
        var inner = (maps.narrow(axis, 2, size - 2) - maps.narrow(axis, 0, size - 2)) / (2 * step);
        var first = (maps.narrow(axis, 1, 1) - maps.narrow(axis, 0, 1)) / step;
        var last = (maps.narrow(axis, size - 1, 1) - maps.narrow(axis, size - 2, 1)) / step;
        return torch.cat(new[] { first, inner, last }, axis);
    }
}
