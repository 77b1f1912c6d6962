using LieGG.Runtime.Data;

namespace LieGG.Runtime.Symmetry;

/// <summary>
/// Moves an image along a one-parameter group (paper Fig. 3b): I_t(p) = I(exp(−t·h)·p), bilinear, with p in the
/// coordinates of the spatial prior that produced h (2×2, or 2×3 affine). Points from outside the frame take
/// <c>fill</c> (0 by default; pass the background of normalised images).
/// </summary>
public static class ImageFlow
{
    public static float[] Transform(ReadOnlySpan<float> image, int height, int width, double[][] generator, double t, SpatialPrior prior, float fill = 0)
    {
        int rows = generator.Length, columns = generator[0].Length;
        if (rows != 2 || (columns != 2 && columns != 3))
            throw new ArgumentException($"An image flow needs a 2×2 or 2×3 generator; this one is {rows}×{columns}.", nameof(generator));
        var flow = MatrixExponential.Exp(Homogeneous(generator), -t);
        var result = new float[height * width];
        for (int r = 0; r < height; r++)
        for (int c = 0; c < width; c++)
        {
            var (pr, pc) = prior.Coordinates(r, c, height, width);
            double qr = flow[0, 0] * pr + flow[0, 1] * pc + flow[0, 2];
            double qc = flow[1, 0] * pr + flow[1, 1] * pc + flow[1, 2];
            var (sr, sc) = prior.PixelOf(qr, qc, height, width);
            result[r * width + c] = fill + (float)ImageTransforms.SampleBilinear(image, height, width, sr, sc, -fill);
        }
        return result;
    }

    /// <summary>The 3×3 homogeneous form of a 2×2 or 2×3 generator (zero last row).</summary>
    private static double[,] Homogeneous(double[][] generator)
    {
        var m = new double[3, 3];
        for (int i = 0; i < 2; i++)
        for (int j = 0; j < generator[i].Length; j++)
            m[i, j] = generator[i][j];
        return m;
    }
}

/// <summary>exp(s·A) for small dense matrices: scaling and squaring with a Taylor series.</summary>
public static class MatrixExponential
{
    public static double[,] Exp(double[,] a, double scale = 1)
    {
        int n = a.GetLength(0);
        if (a.GetLength(1) != n) throw new ArgumentException("The matrix exponential needs a square matrix.", nameof(a));
        double norm = 0;
        for (int i = 0; i < n; i++)
        {
            double row = 0;
            for (int j = 0; j < n; j++) row += Math.Abs(a[i, j] * scale);
            norm = Math.Max(norm, row);
        }
        int squarings = norm > 0.5 ? (int)Math.Ceiling(Math.Log2(norm / 0.5)) : 0;
        double factor = scale / Math.Pow(2, squarings);
        var x = new double[n, n];
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            x[i, j] = a[i, j] * factor;

        var result = Identity(n);
        var term = Identity(n);
        for (int k = 1; k <= 18; k++)
        {
            term = Multiply(term, x);
            for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                term[i, j] /= k;
                result[i, j] += term[i, j];
            }
        }
        for (int s = 0; s < squarings; s++) result = Multiply(result, result);
        return result;
    }

    private static double[,] Identity(int n)
    {
        var m = new double[n, n];
        for (int i = 0; i < n; i++) m[i, i] = 1;
        return m;
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        int n = a.GetLength(0);
        var c = new double[n, n];
        for (int i = 0; i < n; i++)
        for (int k = 0; k < n; k++)
        {
            double aik = a[i, k];
            for (int j = 0; j < n; j++) c[i, j] += aik * b[k, j];
        }
        return c;
    }
}
