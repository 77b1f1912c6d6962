using LieGG.Runtime.Data;
using LieGG.Runtime.Symmetry;
using MathNet.Numerics.LinearAlgebra;

namespace LieGG.Runtime.Tests.Symmetry;

public sealed class LinearAlgebraTests
{
    [Fact]
    public void Thin_svd_matches_the_singular_values_of_a_matrix_built_from_known_factors()
    {
        // E = U diag(s) Vᵀ with orthonormal U (N×d), V (d×d) and chosen s spanning 12 orders of magnitude.
        const int n = 3000, d = 6;
        var random = new SeededRandom(5);
        var u = Matrix<double>.Build.Dense(n, d, (_, _) => random.NextGaussian()).QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin).Q;
        var v = Matrix<double>.Build.Dense(d, d, (_, _) => random.NextGaussian()).QR().Q;
        double[] s = [1e3, 10, 1, 1e-2, 1e-5, 1e-9];
        var e = u * Matrix<double>.Build.DiagonalOfDiagonalArray(s) * v.Transpose();
        var values = new double[n * d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) values[i * d + j] = e[i, j];

        var svd = ThinSvd.Compute(values, n, d);

        var expected = s.OrderBy(x => x).ToArray();
        for (int i = 0; i < d; i++) Assert.Equal(expected[i], svd.SingularValues[i], expected[i] * 1e-6 + 1e-12);
        // Right singular vectors match V's columns up to sign; the smallest is determined to ~ε·σ_max/gap.
        for (int i = 0; i < d; i++)
        {
            int column = Array.IndexOf(s, expected[i]);
            double overlap = Math.Abs(Enumerable.Range(0, d).Sum(k => svd.RightVectors[i][k] * v[k, column]));
            Assert.Equal(1, overlap, 6);
        }
    }

    [Fact]
    public void Wide_matrices_report_zero_singular_values()
    {
        var svd = ThinSvd.Compute([1, 0, 0, 0, 2, 0], 2, 3);
        Assert.Equal([0, 1, 2], svd.SingularValues.Select(x => Math.Round(x, 12)));
    }

    [Fact]
    public void Principal_angle_between_two_lines_is_their_angle_even_when_tiny()
    {
        foreach (var theta in new[] { 1e-9, 0.3, Math.PI / 2 })
        {
            var angles = SubspaceGeometry.PrincipalAngles([[1, 0, 0]], [[Math.Cos(theta), Math.Sin(theta), 0]]);
            Assert.Equal(theta, angles.Single(), 1e-15 + theta * 1e-9);
        }
    }

    [Fact]
    public void Principal_angles_of_a_plane_and_a_contained_line()
    {
        var angles = SubspaceGeometry.PrincipalAngles([[1, 0, 0], [0, 1, 0]], [[0, Math.Sqrt(0.5), Math.Sqrt(0.5)]]);
        Assert.Equal(Math.PI / 4, angles.Single(), 12);
    }

    [Fact]
    public void Closure_residual_is_zero_for_a_lie_algebra_and_positive_otherwise()
    {
        var so3 = OrthonormalBasis.Create(LieGG.Runtime.Symmetry.LieAlgebra.SpecialOrthogonal(3), 3, 3).Vectors;
        Assert.Equal(0, SubspaceGeometry.ClosureResidual(so3, 3, 3), 12);

        // Two rotations of so(3) without the third: their bracket is the missing one, wholly outside the span.
        Assert.Equal(1, SubspaceGeometry.ClosureResidual(so3.Take(2).ToList(), 3, 3), 12);

        // se(2) in affine form is closed; a rotation with a single translation is not.
        var se2 = OrthonormalBasis.Create(LieGG.Runtime.Symmetry.LieAlgebra.SpecialEuclidean2(), 2, 3).Vectors;
        Assert.Equal(0, SubspaceGeometry.ClosureResidual(se2, 2, 3), 12);
        Assert.Equal(1, SubspaceGeometry.ClosureResidual(se2.Take(2).ToList(), 2, 3), 12);
    }

    [Fact]
    public void Matrix_exponential_of_a_rotation_generator_is_a_rotation()
    {
        var exp = MatrixExponential.Exp(new double[,] { { 0, -1 }, { 1, 0 } }, 2.5);
        Assert.Equal(Math.Cos(2.5), exp[0, 0], 13);
        Assert.Equal(-Math.Sin(2.5), exp[0, 1], 13);
        Assert.Equal(Math.Sin(2.5), exp[1, 0], 13);
        var nilpotent = MatrixExponential.Exp(new double[,] { { 0, 1, 0 }, { 0, 0, 1 }, { 0, 0, 0 } }, 3);
        Assert.Equal(4.5, nilpotent[0, 2], 13);
    }
}
