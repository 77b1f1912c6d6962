using LieGG.Dsl;
using static TorchSharp.torch;

namespace LieGG.Runtime.Data;

/// <summary>
/// Image operations on batches stored as <c>float[count · rows · columns]</c>, row-major.
/// Each image is processed independently, so the parallel loops are deterministic.
/// </summary>
public static class ImageTransforms
{
    /// <summary>rot-MNIST pixel mean used for normalisation (values in [0, 1]).</summary>
    public const double RotatedMnistMean = 0.1303;

    /// <summary>rot-MNIST pixel standard deviation used for normalisation.</summary>
    public const double RotatedMnistStd = 0.3008;

    /// <summary>
    /// Bilinear value of <paramref name="image"/> at the (fractional) position (<paramref name="row"/>,
    /// <paramref name="column"/>); pixels outside the image are 0. Positions within 1e−9 of a pixel centre
    /// snap to it, so rotations by multiples of 90° are exact permutations.
    /// </summary>
    /// <param name="offset">Added to every pixel inside the frame (pixels outside stay 0): samples I + offset.</param>
    public static double SampleBilinear(ReadOnlySpan<float> image, int rows, int columns, double row, double column, double offset = 0)
    {
        row = Snap(row);
        column = Snap(column);
        int r0 = (int)Math.Floor(row), c0 = (int)Math.Floor(column);
        double fr = row - r0, fc = column - c0;
        double top = fc == 0 ? Pixel(image, rows, columns, r0, c0, offset) : (1 - fc) * Pixel(image, rows, columns, r0, c0, offset) + fc * Pixel(image, rows, columns, r0, c0 + 1, offset);
        if (fr == 0) return top;
        double bottom = fc == 0 ? Pixel(image, rows, columns, r0 + 1, c0, offset) : (1 - fc) * Pixel(image, rows, columns, r0 + 1, c0, offset) + fc * Pixel(image, rows, columns, r0 + 1, c0 + 1, offset);
        return (1 - fr) * top + fr * bottom;
    }

    private static double Pixel(ReadOnlySpan<float> image, int rows, int columns, int r, int c, double offset)
        => r < 0 || r >= rows || c < 0 || c >= columns ? 0.0 : image[r * columns + c] + offset;

    private static double Snap(double x)
    {
        double nearest = Math.Round(x);
        return Math.Abs(x - nearest) < 1e-9 ? nearest : x;
    }

    /// <summary>
    /// Rotates one image counter-clockwise (as displayed, rows pointing down) by <paramref name="radians"/>
    /// about its centre ((H−1)/2, (W−1)/2), bilinear, zero fill.
    /// </summary>
    public static void Rotate(ReadOnlySpan<float> source, Span<float> destination, int rows, int columns, double radians)
    {
        double centreRow = (rows - 1) / 2.0, centreColumn = (columns - 1) / 2.0;
        double cos = Math.Cos(radians), sin = Math.Sin(radians);
        for (int r = 0; r < rows; r++)
        {
            // Output pixel p takes the source value at R(−θ)·p, in (x right, y up) coordinates about the centre.
            double y = centreRow - r;
            for (int c = 0; c < columns; c++)
            {
                double x = c - centreColumn;
                double sourceX = cos * x + sin * y;
                double sourceY = -sin * x + cos * y;
                destination[r * columns + c] = (float)SampleBilinear(source, rows, columns, centreRow - sourceY, centreColumn + sourceX);
            }
        }
    }

    /// <summary>Rotates every image of a batch by its own angle (radians).</summary>
    public static float[] RotateAll(float[] images, int rows, int columns, IReadOnlyList<double> radians)
    {
        int size = rows * columns;
        if (images.Length != radians.Count * size)
            throw new ArgumentException($"{images.Length} pixels do not match {radians.Count} images of {rows}×{columns}.", nameof(images));
        var result = new float[images.Length];
        Parallel.For(0, radians.Count, i => Rotate(images.AsSpan(i * size, size), result.AsSpan(i * size, size), rows, columns, radians[i]));
        return result;
    }

    /// <summary>Every image of a [count, rows, columns] batch resized to size×size (bilinear with antialiasing, as torchvision's Resize).</summary>
    public static float[] Resize(float[] images, int count, int rows, int columns, int size)
    {
        if (size == rows && size == columns) return images;
        using var scope = NewDisposeScope();
        var batch = tensor(images, new long[] { count, 1, rows, columns });
        var resized = nn.functional.interpolate(batch, new long[] { size, size }, mode: InterpolationMode.Bilinear, align_corners: false, antialias: true);
        return resized.contiguous().data<float>().ToArray();
    }

    /// <summary>The normalised 1-D Gaussian kernel for <paramref name="sigma"/>, truncated at 4σ (radius ⌊4σ + ½⌋).</summary>
    public static double[] GaussianKernel(double sigma)
    {
        if (!(sigma > 0) || double.IsInfinity(sigma))
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "The blur σ must be a positive number of pixels.");
        int radius = (int)(4.0 * sigma + 0.5);
        var kernel = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) sum += kernel[i + radius] = Math.Exp(-0.5 * i * i / (sigma * sigma));
        for (int i = 0; i < kernel.Length; i++) kernel[i] /= sum;
        return kernel;
    }

    /// <summary>
    /// Separable Gaussian blur, kernel truncated at 4σ. Beyond the border the image continues by
    /// <paramref name="edge"/>: the edge pixel repeated (…a a | a b c, scikit-image's default and the LieGG
    /// authors') or half-sample symmetric reflection (…b a | a b c, scipy.ndimage's default). Either way a
    /// constant image stays constant and no dark frame appears at the border.
    /// </summary>
    public static float[] GaussianBlur(float[] images, int rows, int columns, double sigma, BlurEdge edge = BlurEdge.Nearest)
    {
        Func<int, int, int> Extend = edge switch
        {
            BlurEdge.Nearest => Clamp,
            BlurEdge.Reflect => Reflect,
            _ => throw new ArgumentOutOfRangeException(nameof(edge), edge, "Blur edge must be Nearest or Reflect."),
        };
        var kernel = GaussianKernel(sigma);
        int radius = kernel.Length / 2, size = rows * columns;
        if (images.Length % size != 0)
            throw new ArgumentException($"{images.Length} pixels are not a whole number of {rows}×{columns} images.", nameof(images));
        int count = images.Length / size;
        var result = new float[images.Length];
        Parallel.For(0, count, () => new double[size], (i, _, along) =>
        {
            var source = images.AsSpan(i * size, size);
            for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
            {
                double sum = 0;
                for (int k = -radius; k <= radius; k++) sum += kernel[k + radius] * source[r * columns + Extend(c + k, columns)];
                along[r * columns + c] = sum;
            }
            var target = result.AsSpan(i * size, size);
            for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
            {
                double sum = 0;
                for (int k = -radius; k <= radius; k++) sum += kernel[k + radius] * along[Extend(r + k, rows) * columns + c];
                target[r * columns + c] = (float)sum;
            }
            return along;
        }, _ => { });
        return result;
    }

    /// <summary>The nearest index in [0, length): the edge pixel repeated.</summary>
    private static int Clamp(int index, int length) => Math.Clamp(index, 0, length - 1);

    /// <summary>Half-sample symmetric reflection of an index into [0, length).</summary>
    private static int Reflect(int index, int length)
    {
        int period = 2 * length;
        index %= period;
        if (index < 0) index += period;
        return index < length ? index : period - 1 - index;
    }

    /// <summary>(x − mean) / std in place.</summary>
    public static void Normalize(float[] images, double mean, double std)
    {
        if (!(std > 0)) throw new ArgumentOutOfRangeException(nameof(std), std, "The normalisation std must be positive.");
        for (int i = 0; i < images.Length; i++) images[i] = (float)((images[i] - mean) / std);
    }

    /// <summary>Bytes 0–255 to floats in [0, 1].</summary>
    public static float[] ToUnitRange(byte[] pixels)
    {
        var result = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++) result[i] = pixels[i] / 255f;
        return result;
    }
}
