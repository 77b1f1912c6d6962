using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LieGG.Dsl;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Symmetry;

/// <summary>
/// The discrete image derivatives of the spatial prior and the polarization contraction built on them,
/// E[b, k·J + j] = Σ_p g[b, p] · ∂_k I_b(p) · c_j(p), with separable coordinates c = (row(r), column(c)[, 1]).
/// On CPU the contraction is one fused pass over g and the images (differences taken on the fly, nothing the
/// size of the data stored); other devices use tensor operations with the same definition.
/// </summary>
internal sealed class ImageDerivatives
{
    private readonly SpatialConvention convention;
    private readonly int height, width;
    private readonly double scale;
    private readonly double[] rowCoordinates, columnCoordinates;
    private readonly float[] columnCoordinatesSingle;

    public ImageDerivatives(SpatialPrior prior, int height, int width)
    {
        convention = prior.Convention;
        this.height = height;
        this.width = width;
        Affine = prior.Affine;
        // Centered differentiates with respect to the normalised coordinates (one pixel = 1/scale);
        // Reference keeps the authors' plain pixel differences.
        scale = convention == SpatialConvention.Centered ? 1.0 / (prior.Coordinates(0, 1, height, width).Column - prior.Coordinates(0, 0, height, width).Column) : 1.0;
        rowCoordinates = Enumerable.Range(0, height).Select(r => prior.Coordinates(r, 0, height, width).Row).ToArray();
        columnCoordinates = Enumerable.Range(0, width).Select(c => prior.Coordinates(0, c, height, width).Column).ToArray();
        columnCoordinatesSingle = columnCoordinates.Select(c => (float)c).ToArray();
        columnStencils = Enumerable.Range(0, width).Select(c => ColumnStencil(c) ?? (0, 0, 0.0)).ToArray();
        rowStencils = Enumerable.Range(0, height).Select(r => RowStencil(r) ?? (0, 0, 0.0)).ToArray();
        rowCoordinatesSingle = rowCoordinates.Select(r => (float)r).ToArray();
        // The interior columns [first, last) share one stencil; whole vectors cover them, and one more vector ending at
        // `last` covers the rest, its lanes already summed masked out.
        interiorFirst = convention == SpatialConvention.Reference ? 0 : 1;
        interiorLast = width - 1;
        int lanes = Vector<float>.Count, interior = interiorLast - interiorFirst;
        wholeVectorsEnd = interiorFirst + Math.Max(0, interior) / lanes * lanes;
        tailMask = interior >= lanes && wholeVectorsEnd < interiorLast
            ? new Vector<float>(Enumerable.Range(interiorLast - lanes, lanes).Select(c => c >= wholeVectorsEnd ? 1f : 0f).ToArray())
            : null;
        centeredBlocks = convention == SpatialConvention.Reference || !Avx2.IsSupported || width < Vector256<float>.Count ? null : CenteredBlocks();
    }

    /// <summary>
    /// Eight columns of a row for the centered kernel on x86 (<see cref="ContractImageCentered"/>): the first column, 1 for
    /// each lane not already summed by an earlier block (the last block may overlap the one before), the ∂_column factor
    /// per lane (the whole pixel of a one-sided difference at the image's first and last columns, half of it inside), and
    /// whether the block holds the image's first or last column, whose outer neighbour is the column itself.
    /// </summary>
    private readonly record struct ColumnBlock(int Start, Vector256<float> Fresh, Vector256<float> ColumnFactor, bool HoldsFirstColumn, bool HoldsLastColumn);

    /// <summary>The blocks covering every column of a row once; null where <see cref="ContractImageCentered"/> does not apply.</summary>
    private readonly ColumnBlock[]? centeredBlocks;

    private ColumnBlock[] CenteredBlocks()
    {
        const int lanes = 8;
        var starts = Enumerable.Range(0, width / lanes).Select(i => i * lanes).ToList();
        if (width % lanes != 0) starts.Add(width - lanes);
        return starts.Select((start, i) =>
        {
            int covered = i == 0 ? 0 : starts[i - 1] + lanes;
            var columns = Enumerable.Range(start, lanes).ToArray();
            var fresh = Vector256.Create(columns.Select(c => c >= covered ? 1f : 0f).ToArray());
            var factors = Vector256.Create(columns.Select(c => (float)columnStencils[c].Factor).ToArray());
            return new ColumnBlock(start, fresh, factors, start == 0, start + lanes == width);
        }).ToArray();
    }

    /// <summary><see cref="RowStencil"/> of every row (factor 0 for a row left out).</summary>
    private readonly (int Above, int Below, double Factor)[] rowStencils;

    private readonly float[] rowCoordinatesSingle;

    /// <summary>The interior columns [interiorFirst, interiorLast), summed by whole vectors up to wholeVectorsEnd.</summary>
    private readonly int interiorFirst, interiorLast, wholeVectorsEnd;

    /// <summary>1 for the lanes of the last vector (ending at interiorLast) that no whole vector summed; null when none is needed or possible.</summary>
    private readonly Vector<float>? tailMask;

    /// <summary><see cref="ColumnStencil"/> of every column, looked up in the hot loop (factor 0 for a column left out).</summary>
    private readonly (int Left, int Right, double Factor)[] columnStencils;

    public bool Affine { get; }

    private int J => Affine ? 3 : 2;

    /// <summary>∂_row I and ∂_column I of images [B, H, W] as [B, 2, H·W] (zero where the convention leaves pixels out).</summary>
    public Tensor Gradients(Tensor images)
    {
        long count = images.shape[0];
        var x = images.reshape(count, height, width);
        var gradients = torch.zeros(new long[] { count, 2, height, width }, dtype: x.dtype, device: x.device);
        var dRow = gradients[.., 0];
        var dColumn = gradients[.., 1];
        if (convention == SpatialConvention.Reference)
        {
            var block = x[.., ..^1, ..^1];
            dRow[.., ..^1, ..^1] = x[.., 1.., ..^1] - block;
            dColumn[.., ..^1, ..^1] = x[.., ..^1, 1..] - block;
        }
        else
        {
            dRow[.., 1..^1] = (x[.., 2..] - x[.., ..^2]).mul_(scale / 2);
            dRow[.., 0] = (x[.., 1] - x[.., 0]).mul_(scale);
            dRow[.., ^1] = (x[.., ^1] - x[.., ^2]).mul_(scale);
            dColumn[.., .., 1..^1] = (x[.., .., 2..] - x[.., .., ..^2]).mul_(scale / 2);
            dColumn[.., .., 0] = (x[.., .., 1] - x[.., .., 0]).mul_(scale);
            dColumn[.., .., ^1] = (x[.., .., ^1] - x[.., .., ^2]).mul_(scale);
        }
        return gradients.reshape(count, 2, height * width);
    }

    /// <summary>Rows whose difference gives ∂_row at row r, and its factor; null when the convention leaves the row out.</summary>
    private (int Above, int Below, double Factor)? RowStencil(int r) => convention switch
    {
        SpatialConvention.Reference => r < height - 1 ? (r, r + 1, 1.0) : null,
        _ when r == 0 => (0, 1, scale),
        _ when r == height - 1 => (height - 2, height - 1, scale),
        _ => (r - 1, r + 1, scale / 2),
    };

    /// <summary>Columns whose difference gives ∂_column at column c, and its factor; null when left out.</summary>
    private (int Left, int Right, double Factor)? ColumnStencil(int c) => convention switch
    {
        SpatialConvention.Reference => c < width - 1 ? (c, c + 1, 1.0) : null,
        _ when c == 0 => (0, 1, scale),
        _ when c == width - 1 => (width - 2, width - 1, scale),
        _ => (c - 1, c + 1, scale / 2),
    };

    /// <summary>Tangent fields T [B, 2·J, H·W]: T[(k, j), p] = ∂_k I(p) · c_j(p), written in one pass on CPU.</summary>
    public Tensor Tangents(Tensor images)
    {
        long count = images.shape[0];
        int pixels = height * width, directions = 2 * J;
        if (images.device_type != DeviceType.CPU || images.dtype != ScalarType.Float32)
        {
            var gradients = Gradients(images).unsqueeze(2);
            var coordinates = CoordinateMatrix(gradients.dtype, gradients.device).T;
            return (gradients * coordinates.unsqueeze(0).unsqueeze(1)).reshape(count, directions, pixels);
        }
        var source = images.reshape(count, pixels).contiguous();
        // The centered convention writes every pixel; the reference one leaves the last row and column at zero.
        var shape = new long[] { count, directions, pixels };
        var tangents = convention == SpatialConvention.Reference ? torch.zeros(shape, dtype: ScalarType.Float32) : torch.empty(shape, dtype: ScalarType.Float32);
        unsafe
        {
            fixed (byte* sourceBytes = source.bytes)
            fixed (byte* targetBytes = tangents.bytes)
            {
                nint all = (nint)sourceBytes, target = (nint)targetBytes;
                OpenMpTeam.For((int)count, ImagesPerThread, (first, end) =>
                {
                    for (int b = first; b < end; b++)
                        WriteTangents(new ReadOnlySpan<float>((float*)all + (long)b * pixels, pixels), new Span<float>((float*)target + (long)b * directions * pixels, directions * pixels));
                });
            }
        }
        return tangents;
    }

    /// <summary>
    /// One image's tangent fields: each value is rounded once to float32 from (float32 difference) · factor · coordinate in
    /// float64 — whole vectors over the interior columns, one pixel at a time for the boundary columns and the interior's
    /// last few, the same arithmetic either way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteTangents(ReadOnlySpan<float> image, Span<float> target)
    {
        int pixels = height * width, j = J, lanes = Vector<float>.Count, half = Vector<double>.Count;
        var (interiorLeft, interiorRight, interiorFactor) = interiorFirst < width ? columnStencils[interiorFirst] : default;
        int leftOffset = interiorLeft - interiorFirst, rightOffset = interiorRight - interiorFirst;
        var columns = columnCoordinates.AsSpan();
        for (int r = 0; r < height; r++)
        {
            if (RowStencil(r) is not var (above, below, rowFactor)) continue;
            double pr = rowCoordinates[r];
            var here = image.Slice(r * width, width);
            var up = image.Slice(above * width, width);
            var down = image.Slice(below * width, width);
            int row = r * width;
            int c = 0;
            for (; c < interiorFirst; c++) WriteTangentPixel(image, target, r, c, above, below, rowFactor);
            for (; c + lanes <= interiorLast; c += lanes)
            {
                Vector.Widen(new Vector<float>(down[c..]) - new Vector<float>(up[c..]), out var dRowLow, out var dRowHigh);
                Vector.Widen(new Vector<float>(here[(c + rightOffset)..]) - new Vector<float>(here[(c + leftOffset)..]), out var dColumnLow, out var dColumnHigh);
                dRowLow *= rowFactor;
                dRowHigh *= rowFactor;
                dColumnLow *= interiorFactor;
                dColumnHigh *= interiorFactor;
                var columnLow = new Vector<double>(columns[c..]);
                var columnHigh = new Vector<double>(columns[(c + half)..]);
                int p = row + c;
                Vector.Narrow(dRowLow * pr, dRowHigh * pr).CopyTo(target[p..]);
                Vector.Narrow(dRowLow * columnLow, dRowHigh * columnHigh).CopyTo(target[(pixels + p)..]);
                Vector.Narrow(dColumnLow * pr, dColumnHigh * pr).CopyTo(target[(j * pixels + p)..]);
                Vector.Narrow(dColumnLow * columnLow, dColumnHigh * columnHigh).CopyTo(target[((j + 1) * pixels + p)..]);
                if (j == 3)
                {
                    Vector.Narrow(dRowLow, dRowHigh).CopyTo(target[(2 * pixels + p)..]);
                    Vector.Narrow(dColumnLow, dColumnHigh).CopyTo(target[(5 * pixels + p)..]);
                }
            }
            for (; c < width; c++) WriteTangentPixel(image, target, r, c, above, below, rowFactor);
        }
    }

    /// <summary>One pixel's tangents, as <see cref="WriteTangents"/>'s vectors compute them; nothing where the convention leaves the column out.</summary>
    private void WriteTangentPixel(ReadOnlySpan<float> image, Span<float> target, int r, int c, int above, int below, double rowFactor)
    {
        if (ColumnStencil(c) is not var (left, right, columnFactor)) return;
        int pixels = height * width, j = J, p = r * width + c;
        double dRow = (image[below * width + c] - image[above * width + c]) * rowFactor;
        double dColumn = (image[r * width + right] - image[r * width + left]) * columnFactor;
        double pr = rowCoordinates[r], pc = columnCoordinates[c];
        target[p] = (float)(dRow * pr);
        target[pixels + p] = (float)(dRow * pc);
        target[j * pixels + p] = (float)(dColumn * pr);
        target[(j + 1) * pixels + p] = (float)(dColumn * pc);
        if (j == 3)
        {
            target[2 * pixels + p] = (float)dRow;
            target[5 * pixels + p] = (float)dColumn;
        }
    }

    /// <summary>The coordinate matrix C [H·W, J] (row, column[, 1]).</summary>
    public Tensor CoordinateMatrix(ScalarType dtype, Device device)
    {
        var values = new double[height * width * J];
        for (int r = 0; r < height; r++)
        for (int c = 0; c < width; c++)
        {
            int offset = (r * width + c) * J;
            values[offset] = rowCoordinates[r];
            values[offset + 1] = columnCoordinates[c];
            if (Affine) values[offset + 2] = 1;
        }
        return torch.tensor(values, new long[] { height * width, J }).to_type(dtype).to(device);
    }

    /// <summary>Polarization rows [B, 2·J] from input gradients g [B, …] and the images [B, …] they belong to.</summary>
    public Tensor Contract(Tensor gradient, Tensor images)
    {
        long count = gradient.shape[0];
        var rows = new double[count * 2 * J];
        return TryContractInto(gradient, images, rows)
            ? torch.tensor(rows, new long[] { count, 2 * J }).to_type(gradient.dtype)
            : ContractWithTensors(gradient.reshape(count, height * width), images.to(gradient.device).to_type(gradient.dtype).reshape(count, height * width));
    }

    /// <summary>
    /// The rows of <see cref="Contract"/> written into <paramref name="destination"/> ([B·2·J], row-major), each rounded
    /// to the gradient's precision as <see cref="Contract"/>'s tensor holds it, without building a tensor; false, with
    /// nothing written, where the fused kernel does not apply (a gradient off the CPU, or neither float32 nor float64).
    /// </summary>
    public bool TryContractInto(Tensor gradient, Tensor images, Span<double> destination)
    {
        if (gradient.device_type != DeviceType.CPU || gradient.dtype is not (ScalarType.Float32 or ScalarType.Float64)) return false;
        long count = gradient.shape[0];
        var g = gradient.reshape(count, height * width).contiguous();
        var x = images.to(g.device).to_type(g.dtype).reshape(count, height * width).contiguous();
        var rows = destination[..checked((int)(count * 2 * J))];
        if (g.dtype == ScalarType.Float64)
        {
            ContractCpu<double>(g, x, rows, (int)count);
            return true;
        }
        ContractCpu<float>(g, x, rows, (int)count);
        foreach (ref double value in rows) value = (float)value;
        return true;
    }

    /// <summary>The same contraction with tensor operations (any device); also the reference the fused kernel is tested against.</summary>
    public Tensor ContractWithTensors(Tensor gradient, Tensor images)
    {
        long count = gradient.shape[0];
        var weighted = gradient.reshape(count, 1, height * width) * Gradients(images.to_type(gradient.dtype));
        return weighted.matmul(CoordinateMatrix(gradient.dtype, gradient.device)).reshape(count, 2 * J);
    }

    // On libtorch's own OpenMP team (see OpenMpTeam): a .NET thread beside it competes with its spinning worker.
    private unsafe void ContractCpu<T>(Tensor gradient, Tensor images, Span<double> rows, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int pixels = height * width, stride = 2 * J;
        fixed (byte* gradientBytes = gradient.bytes)
        fixed (byte* imageBytes = images.bytes)
        fixed (double* rowValues = rows)
        {
            nint allGradients = (nint)gradientBytes, allImages = (nint)imageBytes, allRows = (nint)rowValues;
            OpenMpTeam.For(count, ImagesPerThread, (first, end) =>
            {
                for (int b = first; b < end; b++)
                    ContractImage(new ReadOnlySpan<T>((T*)allGradients + (long)b * pixels, pixels), new ReadOnlySpan<T>((T*)allImages + (long)b * pixels, pixels),
                        new Span<double>((double*)allRows + (long)b * stride, stride));
            });
        }
    }

    /// <summary>The fewest images a thread of the team takes for the contraction or the tangent fields: 32 of 28×28 are ≈ 13 µs of contraction, 60 µs of tangents.</summary>
    private const int ImagesPerThread = 32;

    /// <summary>
    /// One image: for every row r the sums over columns of s_k = g·∂_k I and s_k·column(c) are formed, then weighted by
    /// row(r); ∂_k I is taken on the fly from the neighbours. float32 images take a vectorised kernel
    /// (<see cref="ContractImageCentered"/> for the centered convention on x86, else <see cref="ContractImageSingle"/>),
    /// float64 ones this scalar loop in double.
    /// </summary>
    // Hot loop of a one-off analysis: skip the unoptimised first JIT tier.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ContractImage<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> image, Span<double> result) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector.IsHardwareAccelerated && typeof(T) == typeof(float))
        {
            var gradients = MemoryMarshal.Cast<T, float>(g);
            var pixels = MemoryMarshal.Cast<T, float>(image);
            Store(centeredBlocks is { } blocks ? ContractImageCentered(gradients, pixels, blocks) : ContractImageSingle(gradients, pixels), result);
            return;
        }
        bool reference = convention == SpatialConvention.Reference;
        var totals = new RowSums();

        for (int r = 0; r < height; r++)
        {
            var (aboveRow, belowRow, rowScale) = rowStencils[r];
            if (rowScale == 0) continue;
            var here = image.Slice(r * width, width);
            var gRow = g.Slice(r * width, width);
            var above = image.Slice(aboveRow * width, width);
            var below = image.Slice(belowRow * width, width);
            T rowFactor = T.CreateTruncating(rowScale);

            var sums = new RowSums();
            for (int c = reference ? 0 : 1; c < width - 1; c++) Accumulate(gRow, above, below, here, c, rowFactor, ref sums);
            if (!reference)
            {
                Accumulate(gRow, above, below, here, 0, rowFactor, ref sums);
                Accumulate(gRow, above, below, here, width - 1, rowFactor, ref sums);
            }

            totals.AddRow(sums, rowCoordinates[r]);
        }
        Store(totals, result);
    }

    /// <summary>An image's sums as its polarization row: (row, column[, 1]) weights of ∂_row, then of ∂_column.</summary>
    private void Store(in RowSums totals, Span<double> result)
    {
        result[0] = totals.Row;
        result[1] = totals.RowColumn;
        if (Affine)
        {
            result[2] = totals.RowOne;
            result[3] = totals.Column;
            result[4] = totals.ColumnColumn;
            result[5] = totals.ColumnOne;
        }
        else
        {
            result[2] = totals.Column;
            result[3] = totals.ColumnColumn;
        }
    }

    /// <summary>Sums of s_row = g·∂_row I and s_col = g·∂_col I, plain and weighted by the column coordinate.</summary>
    private struct RowSums
    {
        public double Row, RowColumn, RowOne, Column, ColumnColumn, ColumnOne;

        /// <summary>Adds one row's sums to an image's: weighted by the row's coordinate, and plain for the affine constant.</summary>
        public void AddRow(in RowSums row, double rowCoordinate)
        {
            Row += row.Row * rowCoordinate;
            RowColumn += row.RowColumn;
            RowOne += row.Row;
            Column += row.Column * rowCoordinate;
            ColumnColumn += row.ColumnColumn;
            ColumnOne += row.Column;
        }
    }

    // Hot loop of a one-off analysis: skip the unoptimised first JIT tier.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Accumulate<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> above, ReadOnlySpan<T> below, ReadOnlySpan<T> here,
        int column, T rowFactor, ref RowSums sums) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (left, right, columnFactor) = columnStencils[column];
        if (columnFactor == 0) return;
        double gv = double.CreateTruncating(g[column]);
        double sRow = gv * double.CreateTruncating((below[column] - above[column]) * rowFactor);
        double sColumn = gv * double.CreateTruncating(here[right] - here[left]) * columnFactor;
        sums.Row += sRow;
        sums.RowColumn += sRow * columnCoordinates[column];
        sums.Column += sColumn;
        sums.ColumnColumn += sColumn * columnCoordinates[column];
    }

    /// <summary>
    /// One float32 image, vectorised: the interior columns by whole vectors plus one masked vector, their lanes summed
    /// across the whole image (already weighted by each row's coordinate) and reduced once at its end; the boundary
    /// columns, and the interior of images narrower than a vector, in scalar double.
    /// </summary>
    // Hot loop of a one-off analysis: skip the unoptimised first JIT tier.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private RowSums ContractImageSingle(ReadOnlySpan<float> g, ReadOnlySpan<float> image)
    {
        int lanes = Vector<float>.Count;
        float columnFactor = convention == SpatialConvention.Reference ? 1f : (float)(scale / 2);
        ref float gradients = ref MemoryMarshal.GetReference(g);
        ref float pixels = ref MemoryMarshal.GetReference(image);
        ref float columns = ref MemoryMarshal.GetArrayDataReference(columnCoordinatesSingle);
        var rowWeighted = Vector<float>.Zero;
        var rowColumn = Vector<float>.Zero;
        var rowOne = Vector<float>.Zero;
        var columnWeighted = Vector<float>.Zero;
        var columnColumn = Vector<float>.Zero;
        var columnOne = Vector<float>.Zero;
        var scalar = new RowSums();
        int left = convention == SpatialConvention.Reference ? 0 : -1;

        for (int r = 0; r < height; r++)
        {
            var (aboveRow, belowRow, rowScale) = rowStencils[r];
            if (rowScale == 0) continue;
            float rowFactor = (float)rowScale;
            nuint here = (nuint)(r * width), above = (nuint)(aboveRow * width), below = (nuint)(belowRow * width);
            var row = Vector<float>.Zero;
            var rowByColumn = Vector<float>.Zero;
            var column = Vector<float>.Zero;
            var columnByColumn = Vector<float>.Zero;
            for (int c = interiorFirst; c < wholeVectorsEnd; c += lanes)
                Lanes(Vector.LoadUnsafe(ref gradients, here + (nuint)c), ref pixels, ref columns, here, above, below, (nuint)c, left, rowFactor, columnFactor, ref row, ref rowByColumn, ref column, ref columnByColumn);
            if (tailMask is { } mask)
                Lanes(Vector.LoadUnsafe(ref gradients, here + (nuint)(interiorLast - lanes)) * mask, ref pixels, ref columns, here, above, below, (nuint)(interiorLast - lanes), left, rowFactor, columnFactor,
                    ref row, ref rowByColumn, ref column, ref columnByColumn);
            float rowCoordinate = rowCoordinatesSingle[r];
            rowWeighted += row * rowCoordinate;
            rowOne += row;
            rowColumn += rowByColumn;
            columnWeighted += column * rowCoordinate;
            columnOne += column;
            columnColumn += columnByColumn;

            // The columns no vector covers: the centered convention's two one-sided boundary columns, and the interior of
            // an image narrower than a vector.
            if (tailMask is not null && convention == SpatialConvention.Reference) continue;
            var sums = new RowSums();
            if (tailMask is null)
                for (int c = wholeVectorsEnd; c < interiorLast; c++) Column(ref gradients, ref pixels, here, above, below, c, rowFactor, ref sums);
            if (convention != SpatialConvention.Reference)
            {
                Column(ref gradients, ref pixels, here, above, below, 0, rowFactor, ref sums);
                Column(ref gradients, ref pixels, here, above, below, width - 1, rowFactor, ref sums);
            }
            scalar.AddRow(sums, rowCoordinates[r]);
        }

        scalar.Row += Vector.Sum(rowWeighted);
        scalar.RowColumn += Vector.Sum(rowColumn);
        scalar.RowOne += Vector.Sum(rowOne);
        scalar.Column += Vector.Sum(columnWeighted);
        scalar.ColumnColumn += Vector.Sum(columnColumn);
        scalar.ColumnOne += Vector.Sum(columnOne);
        return scalar;
    }

    /// <summary>
    /// One float32 image, centered convention, on x86: every column of a row in blocks of eight, the image's first and
    /// last columns included — their one-sided differences take the column itself as the outer neighbour (a lane
    /// permutation of the block) and the whole-pixel factor — so no column is left to scalar code. 8000 28 × 28 digits,
    /// one thread: 3.2–3.4 ms against 3.8–3.9 for <see cref="ContractImageSingle"/> with its boundary columns in scalar
    /// double, about the memory's speed for the 50 MB of gradients and images it reads.
    /// </summary>
    // Hot loop of a one-off analysis: skip the unoptimised first JIT tier.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private RowSums ContractImageCentered(ReadOnlySpan<float> g, ReadOnlySpan<float> image, ColumnBlock[] blocks)
    {
        ref float gradients = ref MemoryMarshal.GetReference(g);
        ref float pixels = ref MemoryMarshal.GetReference(image);
        ref float columns = ref MemoryMarshal.GetArrayDataReference(columnCoordinatesSingle);
        var ownLeft = Vector256.Create(0, 0, 1, 2, 3, 4, 5, 6);
        var ownRight = Vector256.Create(1, 2, 3, 4, 5, 6, 7, 7);
        var rowWeighted = Vector256<float>.Zero;
        var rowColumn = Vector256<float>.Zero;
        var rowOne = Vector256<float>.Zero;
        var columnWeighted = Vector256<float>.Zero;
        var columnColumn = Vector256<float>.Zero;
        var columnOne = Vector256<float>.Zero;

        for (int r = 0; r < height; r++)
        {
            var (aboveRow, belowRow, rowScale) = rowStencils[r];
            var rowFactor = Vector256.Create((float)rowScale);
            nuint here = (nuint)(r * width), above = (nuint)(aboveRow * width), below = (nuint)(belowRow * width);
            var row = Vector256<float>.Zero;
            var rowByColumn = Vector256<float>.Zero;
            var column = Vector256<float>.Zero;
            var columnByColumn = Vector256<float>.Zero;
            foreach (var block in blocks)
            {
                nuint c = (nuint)block.Start;
                var center = Vector256.LoadUnsafe(ref pixels, here + c);
                var left = block.HoldsFirstColumn ? Avx2.PermuteVar8x32(center, ownLeft) : Vector256.LoadUnsafe(ref pixels, here + c - 1);
                var right = block.HoldsLastColumn ? Avx2.PermuteVar8x32(center, ownRight) : Vector256.LoadUnsafe(ref pixels, here + c + 1);
                var vg = Vector256.LoadUnsafe(ref gradients, here + c) * block.Fresh;
                var sRow = vg * ((Vector256.LoadUnsafe(ref pixels, below + c) - Vector256.LoadUnsafe(ref pixels, above + c)) * rowFactor);
                var sColumn = vg * ((right - left) * block.ColumnFactor);
                var coordinates = Vector256.LoadUnsafe(ref columns, c);
                row += sRow;
                rowByColumn += sRow * coordinates;
                column += sColumn;
                columnByColumn += sColumn * coordinates;
            }
            float rowCoordinate = rowCoordinatesSingle[r];
            rowWeighted += row * rowCoordinate;
            rowOne += row;
            rowColumn += rowByColumn;
            columnWeighted += column * rowCoordinate;
            columnOne += column;
            columnColumn += columnByColumn;
        }

        return new RowSums
        {
            Row = Vector256.Sum(rowWeighted),
            RowColumn = Vector256.Sum(rowColumn),
            RowOne = Vector256.Sum(rowOne),
            Column = Vector256.Sum(columnWeighted),
            ColumnColumn = Vector256.Sum(columnColumn),
            ColumnOne = Vector256.Sum(columnOne),
        };
    }

    /// <summary>One vector of a row's columns c … c + lanes − 1 with their gradients <paramref name="vg"/> (masked lanes zero): s_k = g·∂_k I, added plain and times the column coordinate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Lanes(Vector<float> vg, ref float pixels, ref float columns, nuint here, nuint above, nuint below, nuint c, int left,
        float rowFactor, float columnFactor, ref Vector<float> row, ref Vector<float> rowByColumn, ref Vector<float> column, ref Vector<float> columnByColumn)
    {
        var dRow = (Vector.LoadUnsafe(ref pixels, below + c) - Vector.LoadUnsafe(ref pixels, above + c)) * rowFactor;
        var dColumn = (Vector.LoadUnsafe(ref pixels, here + c + 1) - Vector.LoadUnsafe(ref pixels, (nuint)((nint)(here + c) + left))) * columnFactor;
        var coordinates = Vector.LoadUnsafe(ref columns, c);
        var sRow = vg * dRow;
        var sColumn = vg * dColumn;
        row += sRow;
        rowByColumn += sRow * coordinates;
        column += sColumn;
        columnByColumn += sColumn * coordinates;
    }

    /// <summary>
    /// One column of a float32 row in scalar double, with its own stencil: a boundary column, or the interior of an image
    /// narrower than a vector. Addressed like the vectors (the span-based <see cref="Accumulate"/> made the kernel twice as slow).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Column(ref float gradients, ref float pixels, nuint here, nuint above, nuint below, int c, float rowFactor, ref RowSums sums)
    {
        var (left, right, columnFactor) = columnStencils[c];
        if (columnFactor == 0) return;
        double gv = Unsafe.Add(ref gradients, here + (nuint)c);
        double sRow = gv * ((Unsafe.Add(ref pixels, below + (nuint)c) - Unsafe.Add(ref pixels, above + (nuint)c)) * rowFactor);
        double sColumn = gv * (Unsafe.Add(ref pixels, here + (nuint)right) - Unsafe.Add(ref pixels, here + (nuint)left)) * columnFactor;
        sums.Row += sRow;
        sums.RowColumn += sRow * columnCoordinates[c];
        sums.Column += sColumn;
        sums.ColumnColumn += sColumn * columnCoordinates[c];
    }
}
