using LieGG.Dsl;
using LieGG.Runtime.Symmetry;

namespace LieGG.Runtime.Tests.Symmetry;

public sealed class LieAlgebraTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public void Built_in_algebras_have_their_textbook_dimensions(int n)
    {
        Assert.Equal(n * (n - 1) / 2, OrthonormalBasis.Create(LieAlgebra.SpecialOrthogonal(n), n, n).Dimension);
        Assert.Equal(n * n - 1, OrthonormalBasis.Create(LieAlgebra.SpecialLinear(n), n, n).Dimension);
        Assert.Equal(1, OrthonormalBasis.Create(LieAlgebra.Scaling(n), n, n).Dimension);
        Assert.Equal(n * (n - 1) / 2, OrthonormalBasis.Create(LieAlgebra.Lorentz(n), n, n).Dimension);
        Assert.Equal(3, OrthonormalBasis.Create(LieAlgebra.SpecialEuclidean2(), 2, 3).Dimension);
    }

    [Fact]
    public void Lorentz_basis_preserves_the_minkowski_metric()
    {
        const int n = 4;
        foreach (var h in LieAlgebra.Lorentz(n).Basis)
        {
            // hᵀη + ηh = 0 with η = diag(1, −1, −1, −1)
            for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double etaI = i == 0 ? 1 : -1, etaJ = j == 0 ? 1 : -1;
                Assert.Equal(0, h[j, i] * etaJ + etaI * h[i, j]);
            }
        }
    }

    [Fact]
    public void Projection_onto_so_n_is_the_antisymmetric_part()
    {
        var basis = OrthonormalBasis.Create(LieAlgebra.SpecialOrthogonal(3), 3, 3);
        double[] h = [1, 2, 3, 4, 5, 6, 7, 8, 10];
        var projected = basis.Project(h);
        for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            Assert.Equal((h[i * 3 + j] - h[j * 3 + i]) / 2, projected[i * 3 + j], 12);
    }

    [Fact]
    public void Any_basis_of_a_custom_algebra_is_orthonormalised()
    {
        // so(2) spanned by a scaled generator plus sl-like non-orthogonal pair spanning the same traceless symmetric plane.
        var algebra = new LieAlgebra("custom", [
            new double[,] { { 0, 3 }, { -3, 0 } },
            new double[,] { { 1, 1 }, { 1, -1 } },
            new double[,] { { 1, 0 }, { 0, -1 } },
        ]);
        var basis = OrthonormalBasis.Create(algebra, 2, 2);
        for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++)
            Assert.Equal(a == b ? 1 : 0, basis.Vectors[a].Zip(basis.Vectors[b], (x, y) => x * y).Sum(), 12);
        // The identity is orthogonal to sl(2) = this algebra: distance 1 for the unit-norm identity.
        Assert.Equal(1, basis.DistanceTo([Math.Sqrt(0.5), 0, 0, Math.Sqrt(0.5)]), 12);
    }

    [Fact]
    public void Basis_of_the_wrong_shape_is_rejected_with_the_fix()
    {
        var error = Assert.Throws<ArgumentException>(() => OrthonormalBasis.Create(LieAlgebra.SpecialOrthogonal(5), 2, 2));
        Assert.Contains("so(5)", error.Message);
        Assert.Contains("5×5", error.Message);
        Assert.Contains("2×2", error.Message);
        Assert.Contains("prior's shape", error.Message);
    }

    [Fact]
    public void Dependent_basis_matrices_are_rejected()
    {
        var algebra = new LieAlgebra("twice", [new double[,] { { 0, 1 }, { -1, 0 } }, new double[,] { { 0, -2 }, { 2, 0 } }]);
        var error = Assert.Throws<ArgumentException>(() => OrthonormalBasis.Create(algebra, 2, 2));
        Assert.Contains("basis matrix 1 is a linear combination", error.Message);
    }

    [Fact]
    public void Affine_groups_need_an_affine_prior()
    {
        Assert.Throws<ArgumentException>(() => LieAlgebra.For(Group.SE2, 2, 2));
        Assert.Equal("se(2)", LieAlgebra.For(Group.SE2, 2, 3).Name);
        var rotationInAffine = LieAlgebra.For(Group.SO, 2, 3);
        Assert.Equal(0, rotationInAffine.Basis[0][0, 2]);
        Assert.Equal(1, rotationInAffine.Basis[0][0, 1]);
    }
}
