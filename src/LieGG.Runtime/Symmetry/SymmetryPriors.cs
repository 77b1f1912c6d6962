using LieGG.Dsl;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Symmetry;

/// <summary>
/// How a candidate group acts on the inputs. It fixes the shape of the generators (rows × columns, d
/// columns of the polarization matrix) and turns input gradients into polarization rows.
/// </summary>
public interface ISymmetryPrior
{
    string Description { get; }

    int GeneratorRows { get; }

    int GeneratorColumns { get; }

    /// <summary>
    /// Prepares the model-independent part of the contraction for a set of inputs [N, …] (e.g. image
    /// gradients times coordinates), once per analysis rather than once per model or per batch.
    /// Throws with a clear message when the inputs do not fit the prior.
    /// </summary>
    IPolarizationContraction Prepare(Tensor inputs);
}

/// <summary>Turns input gradients of a batch into polarization rows: E_b = Σ_D ∂F/∂x_D · T_b[·, D].</summary>
public interface IPolarizationContraction : IDisposable
{
    /// <summary>Polarization rows [B, d] for the samples start…start+B−1, from ∂F/∂x of shape [B, …].</summary>
    Tensor Rows(Tensor inputGradient, long start);

    /// <summary>
    /// <see cref="Rows"/> written into <paramref name="destination"/> ([B·d], row-major), each value rounded to the
    /// gradient's precision as the tensor <see cref="Rows"/> returns holds it, without building that tensor; false, with
    /// nothing written, where this contraction has no such route (the caller then takes <see cref="Rows"/>).
    /// </summary>
    bool TryWriteRows(Tensor inputGradient, long start, Span<double> destination) => false;

    /// <summary>
    /// The tangent fields T of the samples start…start+count−1 as [count, d, D]: column c of E is the
    /// directional derivative of F along T[·, c, ·] (used for forward-mode per-output polarization).
    /// </summary>
    Tensor Tangents(long start, long count);
}

/// <summary>
/// The group acts identically on each of <see cref="Copies"/> consecutive <see cref="Dimension"/>-vectors of the input,
/// after <see cref="Scalars"/> leading inputs it leaves alone (masses, charges): h ∈ gl(n),
/// E_row[k·n + j] = Σ_v ∂F/∂x_v[k] · x_v[j].
/// </summary>
public sealed record GenericPrior(int Dimension, int Copies = 1, int Scalars = 0) : ISymmetryPrior
{
    public string Description => $"generic prior (n = {Dimension}, copies = {Copies}{(Scalars > 0 ? $", scalars = {Scalars}" : "")})";

    public int GeneratorRows => Dimension;

    public int GeneratorColumns => Dimension;

    public IPolarizationContraction Prepare(Tensor inputs)
    {
        if (Dimension <= 0 || Copies <= 0 || Scalars < 0)
            throw new ArgumentException($"GenericPrior(Dimension = {Dimension}, Copies = {Copies}, Scalars = {Scalars}): Dimension and Copies must be positive, Scalars 0 or more.");
        long perSample = inputs.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        if (perSample != (long)Dimension * Copies + Scalars)
            throw new ArgumentException(Scalars == 0
                ? $"GenericPrior(Dimension = {Dimension}, Copies = {Copies}) acts on {Dimension * Copies} inputs per sample but the data has {perSample}; choose Dimension × Copies = {perSample}, or the spatial prior for images."
                : $"GenericPrior(Dimension = {Dimension}, Copies = {Copies}, Scalars = {Scalars}) covers {Dimension * Copies + Scalars} inputs per sample but the data has {perSample}; choose Scalars + Dimension × Copies = {perSample}.");
        return new Contraction(inputs, Dimension, Copies, Scalars);
    }

    private sealed class Contraction(Tensor inputs, int n, int copies, int scalars) : IPolarizationContraction
    {
        private Tensor Vectors(Tensor flat) => flat.reshape(flat.shape[0], -1).narrow(1, scalars, (long)copies * n);

        public Tensor Rows(Tensor inputGradient, long start)
        {
            long b = inputGradient.shape[0];
            var x = Vectors(inputs.narrow(0, start, b)).reshape(b, copies, n).to(inputGradient.device).to_type(inputGradient.dtype);
            var g = Vectors(inputGradient).reshape(b, copies, n);
            return torch.bmm(g.transpose(1, 2), x).reshape(b, n * n);
        }

        public Tensor Tangents(long start, long count)
        {
            // T[(k, j), (v, k')] = δ_kk' · x_v[j]: the flow of the generator E_kj moves x_v[k] by x_v[j].
            // Axes (b, k, j, v, k′): δ_kk′ from the identity, x_v[j] from the inputs; the scalars do not move.
            var x = Vectors(inputs.narrow(0, start, count)).reshape(count, copies, n).transpose(1, 2).reshape(count, 1, n, copies, 1);
            var eye = torch.eye(n, dtype: x.dtype, device: x.device).reshape(1, n, 1, 1, n);
            var moving = (eye * x).reshape(count, n * n, copies * n);
            return scalars == 0 ? moving : torch.cat(new[] { torch.zeros(new long[] { count, n * n, scalars }, dtype: x.dtype, device: x.device), moving }, 2);
        }

        public void Dispose()
        {
        }
    }
}

/// <summary>
/// The group acts on pixel coordinates p of an image I (H×W): E_row[k·J + j] = Σ_p ∂F/∂I(p) · ∂_k I(p) · p_j,
/// k ∈ {row, column}, j over (row, column[, 1]) — J = 3 with <see cref="Affine"/> (translations), else 2.
/// </summary>
public sealed record SpatialPrior(SpatialConvention Convention = SpatialConvention.Centered, bool Affine = false) : ISymmetryPrior
{
    public string Description => $"spatial prior ({Convention}{(Affine ? ", affine" : "")})";

    public int GeneratorRows => 2;

    public int GeneratorColumns => Affine ? 3 : 2;

    /// <summary>Coordinates (row, column) of pixel (r, c) in this convention.</summary>
    public (double Row, double Column) Coordinates(int r, int c, int height, int width) => Convention switch
    {
        SpatialConvention.Reference => ((double)r / (height / 2) - 1, (double)c / (width / 2) - 1),
        _ => ((r - (height - 1) / 2.0) / CenteredScale(height, width), (c - (width - 1) / 2.0) / CenteredScale(height, width)),
    };

    /// <summary>Inverse of <see cref="Coordinates"/>: fractional pixel indices of a point.</summary>
    public (double Row, double Column) PixelOf(double row, double column, int height, int width) => Convention switch
    {
        SpatialConvention.Reference => ((row + 1) * (height / 2), (column + 1) * (width / 2)),
        _ => (row * CenteredScale(height, width) + (height - 1) / 2.0, column * CenteredScale(height, width) + (width - 1) / 2.0),
    };

    // One isotropic scale (the half-size of the shorter side) keeps rotations antisymmetric on non-square images.
    private static double CenteredScale(int height, int width) => Math.Min(height, width) / 2;

    public IPolarizationContraction Prepare(Tensor inputs)
    {
        var (height, width) = ImageSize(inputs.shape);
        if (height < 3 || width < 3)
            throw new ArgumentException($"The spatial prior needs images of at least 3×3 pixels; the data has {height}×{width}.");
        return new Contraction(inputs, new ImageDerivatives(this, height, width));
    }

    /// <summary>Height and width of images stored as [N, H, W] or [N, 1, H, W].</summary>
    public static (int Height, int Width) ImageSize(long[] shape) => shape switch
    {
        [_, var h, var w] => ((int)h, (int)w),
        [_, 1, var h, var w] => ((int)h, (int)w),
        _ => throw new ArgumentException($"The spatial prior needs single-channel images [N, H, W] or [N, 1, H, W]; the data has shape [{string.Join(", ", shape)}]. For vector data use the generic prior."),
    };

    private sealed class Contraction(Tensor images, ImageDerivatives derivatives) : IPolarizationContraction
    {
        public Tensor Rows(Tensor inputGradient, long start) => derivatives.Contract(inputGradient, images.narrow(0, start, inputGradient.shape[0]));

        public bool TryWriteRows(Tensor inputGradient, long start, Span<double> destination)
            => derivatives.TryContractInto(inputGradient, images.narrow(0, start, inputGradient.shape[0]), destination);

        public Tensor Tangents(long start, long count) => derivatives.Tangents(images.narrow(0, start, count));

        public void Dispose()
        {
        }
    }
}
