using LieGG.Runtime.Data;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Symmetry;

/// <summary>Images known in closed form (value at any fractional pixel position), so they can be moved exactly.</summary>
internal sealed class SmoothImages
{
    private readonly Func<int, double, double, double> value;

    private SmoothImages(int count, int height, int width, Func<int, double, double, double> value)
    {
        Count = count;
        Height = height;
        Width = width;
        this.value = value;
    }

    public int Height { get; }

    public int Width { get; }

    public int Count { get; }

    /// <summary>Sums of four Gaussian blobs placed around the centre (within ±spread/2 of the frame).</summary>
    public static SmoothImages Blobs(int count, int height, int width, int seed, double blobWidth = 3.0, double spread = 0.4)
    {
        var random = new SeededRandom(seed);
        var blobs = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, 4).Select(_ => (
            Row: height * (0.5 + spread * (random.NextDouble() - 0.5)),
            Column: width * (0.5 + spread * (random.NextDouble() - 0.5)),
            Width: blobWidth * (0.8 + 0.4 * random.NextDouble()),
            Amplitude: 0.5 + random.NextDouble())).ToArray()).ToArray();
        return new SmoothImages(count, height, width, (i, row, column) => blobs[i].Sum(b =>
            b.Amplitude * Math.Exp(-((row - b.Row) * (row - b.Row) + (column - b.Column) * (column - b.Column)) / (2 * b.Width * b.Width))));
    }

    /// <summary>Random quadratic polynomials in the pixel position, for which central differences are exact.</summary>
    public static SmoothImages Quadratics(int count, int height, int width, int seed)
    {
        var random = new SeededRandom(seed);
        var coefficients = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, 6).Select(_ => random.NextGaussian()).ToArray()).ToArray();
        return new SmoothImages(count, height, width, (i, row, column) =>
        {
            var a = coefficients[i];
            double r = row / height - 0.5, c = column / width - 0.5;
            return a[0] + a[1] * r + a[2] * c + a[3] * r * r + a[4] * r * c + a[5] * c * c;
        });
    }

    /// <summary>All images sampled on the pixel grid, after mapping each pixel through <paramref name="warp"/>.</summary>
    public Tensor Render(Func<int, int, (double Row, double Column)>? warp = null)
    {
        var data = new double[Count * Height * Width];
        for (int i = 0; i < Count; i++)
        for (int r = 0; r < Height; r++)
        for (int c = 0; c < Width; c++)
        {
            var (sr, sc) = warp is null ? (r, c) : warp(r, c);
            data[(i * Height + r) * Width + c] = value(i, sr, sc);
        }
        return tensor(data, new long[] { Count, Height, Width });
    }
}
