namespace LieGG.Runtime.Models;

/// <summary>How the rotation axis of a p4 feature map is stored.</summary>
public enum RotationAxis
{
    /// <summary>A planar map: no rotation axis.</summary>
    None,
    /// <summary>[B, C, 4, H, W], as <see cref="P4LiftingConv2d"/> and <see cref="P4GroupConv2d"/> produce.</summary>
    Separate,
    /// <summary>[B, C·4, H, W], channel-major with the rotation minor, as ELLA's relaxed blocks carry p4 maps.</summary>
    ChannelMinor,
}

/// <summary>
/// The space a layer's output lives in, as far as the symmetry group acts on it (EQUIVARIANCE.md §1): the description a
/// model gives of its own representations, so the equivariance analysis can transform each of them.
/// </summary>
public abstract record FeatureSpace
{
    /// <summary>Features the group leaves alone: pooled features, logits, hidden vectors of an MLP.</summary>
    public static FeatureSpace Trivial { get; } = new TrivialSpace();

    /// <summary>The network's input image, or a map at stride 1 aligned with it.</summary>
    public static FeatureMap Image(bool circular = false) => new(1, 0, circular, RotationAxis.None);
}

/// <summary>See <see cref="FeatureSpace.Trivial"/>.</summary>
public sealed record TrivialSpace : FeatureSpace;

/// <summary>
/// c consecutive copies of Rⁿ in the last axis ([B, c·n]); a matrix A ∈ gl(n) acts on each copy (the generic prior's
/// action).
/// </summary>
public sealed record VectorCopies(int Dimension) : FeatureSpace;

/// <summary>
/// A feature map whose last two axes are the plane: pixel (i, j) sits at input pixel (S·i + φ, S·j + φ) with S =
/// <paramref name="Stride"/> (total, relative to the input) and φ = <paramref name="Phase"/> (where the layers really put
/// it: 1 after one valid 3×3 convolution, ½ more after a 2×2 cell pooling). Getting φ right matters: a rotation about
/// the input's centre maps the grid onto itself only when the grid is centred.
/// </summary>
/// <param name="Circular">Whether the map wraps around (circular padding): derivatives and shifts then wrap too.</param>
/// <param name="Rotations">The p4 rotation axis, if any: a 90° rotation also shifts it by one.</param>
public sealed record FeatureMap(int Stride, double Phase, bool Circular, RotationAxis Rotations) : FeatureSpace
{
    public bool IsP4 => Rotations != RotationAxis.None;
}
