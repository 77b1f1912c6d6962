using MathNet.Numerics.LinearAlgebra;

namespace LieGG.Runtime.Symmetry;

/// <summary>Geometry of subspaces of flattened matrices: principal angles and Lie-bracket closure.</summary>
public static class SubspaceGeometry
{
    /// <summary>
    /// Principal angles (radians, ascending) between span(<paramref name="first"/>) and span(<paramref name="second"/>),
    /// both given by orthonormal vectors; min(k₁, k₂) angles. Small angles come from sines and large ones from
    /// cosines (Knyazev–Argentati), so both ends are accurate to working precision.
    /// </summary>
    public static double[] PrincipalAngles(IReadOnlyList<double[]> first, IReadOnlyList<double[]> second)
    {
        var (x, y) = first.Count <= second.Count ? (first, second) : (second, first);
        if (x.Count == 0) return [];
        int d = x[0].Length;
        var X = Matrix<double>.Build.Dense(d, x.Count, (i, j) => x[j][i]);
        var Y = Matrix<double>.Build.Dense(d, y.Count, (i, j) => y[j][i]);
        var cosines = (X.TransposeThisAndMultiply(Y)).Svd(false).S.Select(c => Math.Clamp(c, 0, 1)).OrderByDescending(c => c).ToArray();
        var residual = X - Y * (Y.TransposeThisAndMultiply(X));
        var sines = residual.Svd(false).S.Select(s => Math.Clamp(s, 0, 1)).OrderBy(s => s).ToArray();
        var angles = new double[x.Count];
        for (int i = 0; i < angles.Length; i++)
        {
            double sine = i < sines.Length ? sines[i] : 0;
            double cosine = i < cosines.Length ? cosines[i] : 0;
            angles[i] = sine < Math.Sqrt(0.5) ? Math.Asin(sine) : Math.Acos(cosine);
        }
        return angles;
    }

    /// <summary>
    /// max over pairs of ‖[A_i, A_j] − P_S[A_i, A_j]‖_F / ‖[A_i, A_j]‖_F, where S = span of the given orthonormal
    /// flattened generators. Affine n×(n+1) generators are brackets in the (n+1)×(n+1) homogeneous form.
    /// 0 when the span is closed under the bracket (a Lie subalgebra); commuting pairs are skipped.
    /// NaN for shapes that are neither square nor affine.
    /// </summary>
    public static double ClosureResidual(IReadOnlyList<double[]> orthonormalGenerators, int rows, int columns)
    {
        if (columns != rows && columns != rows + 1) return double.NaN;
        int size = columns;
        var matrices = orthonormalGenerators.Select(v =>
        {
            var m = Matrix<double>.Build.Dense(size, size);
            for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                m[i, j] = v[i * columns + j];
            return m;
        }).ToList();

        double worst = 0;
        for (int a = 0; a < matrices.Count; a++)
        for (int b = a + 1; b < matrices.Count; b++)
        {
            var bracket = matrices[a] * matrices[b] - matrices[b] * matrices[a];
            var flat = new double[rows * columns];
            for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                flat[i * columns + j] = bracket[i, j];
            double norm = OrthonormalBasis.Norm(flat);
            if (norm < 1e-12) continue;
            var remainder = (double[])flat.Clone();
            foreach (var q in orthonormalGenerators)
            {
                double c = OrthonormalBasis.Dot(q, flat);
                for (int i = 0; i < remainder.Length; i++) remainder[i] -= c * q[i];
            }
            worst = Math.Max(worst, OrthonormalBasis.Norm(remainder) / norm);
        }
        return worst;
    }
}
