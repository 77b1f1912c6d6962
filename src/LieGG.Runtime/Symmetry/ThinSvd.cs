using MathNet.Numerics.LinearAlgebra;
using TorchSharp;

namespace LieGG.Runtime.Symmetry;

/// <summary>
/// Singular values and right singular vectors of a tall matrix (N × d, N ≫ d) in float64 without forming
/// anything N × N: a Householder QR that returns only R (LAPACK through libtorch), then the SVD of the d × d
/// factor R (Math.NET), whose singular values and right vectors are those of E. Neither Q nor U is formed.
/// </summary>
public sealed record ThinSvd(double[] SingularValues, double[][] RightVectors)
{
    /// <summary>SVD of a row-major <paramref name="rows"/> × <paramref name="columns"/> matrix.</summary>
    /// <returns>Singular values ascending, and the right singular vector of each (same order, unit norm).</returns>
    public static ThinSvd Compute(double[] values, int rows, int columns)
    {
        if (values.Length != (long)rows * columns) throw new ArgumentException($"{values.Length} values are not {rows}×{columns}.", nameof(values));
        if (values.Any(v => !double.IsFinite(v)))
            throw new ArgumentException("The polarization matrix contains NaN or infinite values; the model's outputs or gradients are not finite.", nameof(values));
        var svd = (rows > columns ? TriangularFactor(values, rows, columns) : Matrix<double>.Build.DenseOfRowMajor(rows, columns, values)).Svd(computeVectors: true);
        var singular = svd.S.ToArray();
        var vt = svd.VT;

        // MathNet returns min(rows, columns) values; when rows < columns the rest are exactly zero.
        var order = Enumerable.Range(0, columns).OrderBy(i => i < singular.Length ? singular[i] : 0.0).ThenBy(i => i).ToArray();
        var ascending = order.Select(i => i < singular.Length ? singular[i] : 0.0).ToArray();
        var vectors = order.Select(i => Canonical(vt.Row(i).ToArray())).ToArray();
        return new ThinSvd(ascending, vectors);
    }

    private static Matrix<double> TriangularFactor(double[] values, int rows, int columns)
    {
        using var scope = torch.NewDisposeScope();
        var (_, r) = torch.linalg.qr(torch.tensor(values, new long[] { rows, columns }), torch.linalg.QRMode.R);
        return Matrix<double>.Build.DenseOfRowMajor(columns, columns, r.contiguous().data<double>().ToArray());
    }

    /// <summary>Fixes the sign so the entry of largest magnitude is positive (singular vectors are defined up to sign).</summary>
    internal static double[] Canonical(double[] v)
    {
        int largest = 0;
        for (int i = 1; i < v.Length; i++)
            if (Math.Abs(v[i]) > Math.Abs(v[largest]) + 1e-12) largest = i;
        if (v[largest] < 0) for (int i = 0; i < v.Length; i++) v[i] = -v[i];
        return v;
    }
}
