using LieGG.Dsl;

namespace LieGG.Runtime.Symmetry;

/// <summary>
/// A ground-truth Lie algebra given by basis matrices (any basis: it is orthonormalised in the Frobenius
/// inner product before use). Implement it to compare learned generators with a custom group.
/// </summary>
public interface ILieAlgebra
{
    string Name { get; }

    /// <summary>Basis matrices, all of one shape (rows × columns), linearly independent.</summary>
    IReadOnlyList<double[,]> Basis { get; }
}

/// <summary>A Lie algebra from explicit basis matrices.</summary>
public sealed record LieAlgebra(string Name, IReadOnlyList<double[,]> Basis) : ILieAlgebra
{
    /// <summary>so(n): antisymmetric matrices E_ij − E_ji, i &lt; j. Dimension n(n−1)/2.</summary>
    public static LieAlgebra SpecialOrthogonal(int n)
    {
        RequireSize(n, 2, "so(n)");
        var basis = new List<double[,]>();
        for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
        {
            var m = new double[n, n];
            m[i, j] = 1;
            m[j, i] = -1;
            basis.Add(m);
        }
        return new LieAlgebra($"so({n})", basis);
    }

    /// <summary>sl(n): traceless matrices (off-diagonal units and E_ii − E_{i+1,i+1}). Dimension n² − 1.</summary>
    public static LieAlgebra SpecialLinear(int n)
    {
        RequireSize(n, 2, "sl(n)");
        var basis = new List<double[,]>();
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
        {
            if (i == j) continue;
            var m = new double[n, n];
            m[i, j] = 1;
            basis.Add(m);
        }
        for (int i = 0; i + 1 < n; i++)
        {
            var m = new double[n, n];
            m[i, i] = 1;
            m[i + 1, i + 1] = -1;
            basis.Add(m);
        }
        return new LieAlgebra($"sl({n})", basis);
    }

    /// <summary>Isotropic scaling: multiples of the n×n identity. Dimension 1.</summary>
    public static LieAlgebra Scaling(int n)
    {
        RequireSize(n, 1, "scaling");
        var m = new double[n, n];
        for (int i = 0; i < n; i++) m[i, i] = 1;
        return new LieAlgebra($"scaling({n})", new[] { m });
    }

    /// <summary>co(n) = so(n) ⊕ ℝ·I: rotations and isotropic scaling. Dimension n(n−1)/2 + 1.</summary>
    public static LieAlgebra ConformalOrthogonal(int n)
        => new($"co({n})", SpecialOrthogonal(n).Basis.Concat(Scaling(n).Basis).ToList());

    /// <summary>Translations of the plane as 2×3 affine generators [0 | t]. Dimension 2.</summary>
    public static LieAlgebra Translations()
    {
        var x = new double[2, 3];
        x[0, 2] = 1;
        var y = new double[2, 3];
        y[1, 2] = 1;
        return new LieAlgebra("translations(2)", new[] { x, y });
    }

    /// <summary>se(2): a rotation and two translations as 2×3 affine generators. Dimension 3.</summary>
    public static LieAlgebra SpecialEuclidean2()
    {
        var rotation = new double[2, 3];
        rotation[0, 1] = 1;
        rotation[1, 0] = -1;
        return new LieAlgebra("se(2)", new[] { rotation }.Concat(Translations().Basis).ToList());
    }

    /// <summary>so(1, n−1): h with hᵀη + ηh = 0 for η = diag(1, −1, …, −1): boosts E_0i + E_i0 and rotations E_ij − E_ji (i, j ≥ 1).</summary>
    public static LieAlgebra Lorentz(int n)
    {
        RequireSize(n, 2, "so(1, n−1)");
        var basis = new List<double[,]>();
        for (int i = 1; i < n; i++)
        {
            var boost = new double[n, n];
            boost[0, i] = 1;
            boost[i, 0] = 1;
            basis.Add(boost);
        }
        for (int i = 1; i < n; i++)
        for (int j = i + 1; j < n; j++)
        {
            var rotation = new double[n, n];
            rotation[i, j] = 1;
            rotation[j, i] = -1;
            basis.Add(rotation);
        }
        return new LieAlgebra($"so(1,{n - 1})", basis);
    }

    /// <summary>
    /// The built-in algebra <paramref name="group"/> shaped for generators of <paramref name="rows"/>×<paramref name="columns"/>.
    /// For an affine prior (columns = rows + 1) the linear groups act on the linear block and leave translations out.
    /// </summary>
    public static LieAlgebra For(Group group, int rows, int columns)
    {
        bool affine = columns == rows + 1;
        if (columns != rows && !affine)
            throw new ArgumentException($"Generators of {rows}×{columns} are neither square nor affine (n×(n+1)); built-in algebras do not apply.");
        LieAlgebra Linear(LieAlgebra square) => affine ? square.Affine() : square;
        return group switch
        {
            Group.SO => Linear(SpecialOrthogonal(rows)),
            Group.SL => Linear(SpecialLinear(rows)),
            Group.Scaling => Linear(Scaling(rows)),
            Group.CO => Linear(ConformalOrthogonal(rows)),
            Group.Lorentz when !affine => Lorentz(rows),
            Group.Lorentz => throw new ArgumentException("The Lorentz algebra acts linearly; use it with a non-affine prior."),
            Group.Translations or Group.SE2 when !affine || rows != 2 => throw new ArgumentException(
                $"{group} has 2×3 affine generators but the prior's are {rows}×{columns}; use the spatial prior with Affine = true."),
            Group.Translations => Translations(),
            Group.SE2 => SpecialEuclidean2(),
            _ => throw new ArgumentOutOfRangeException(nameof(group), group, "Unknown group."),
        };
    }

    /// <summary>The same algebra acting on the linear block of n×(n+1) affine generators (zero translation column).</summary>
    public LieAlgebra Affine()
    {
        var basis = Basis.Select(b =>
        {
            int n = b.GetLength(0);
            var m = new double[n, n + 1];
            for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                m[i, j] = b[i, j];
            return m;
        }).ToList();
        return new LieAlgebra($"{Name} (linear part)", basis);
    }

    private static void RequireSize(int n, int minimum, string name)
    {
        if (n < minimum) throw new ArgumentOutOfRangeException(nameof(n), n, $"{name} needs n ≥ {minimum}.");
    }
}

/// <summary>
/// An orthonormal (Frobenius) basis of a Lie algebra, checked against the generator shape of a prior.
/// Projection P(H) = Σₐ ⟨H, Bₐ⟩ Bₐ.
/// </summary>
public sealed class OrthonormalBasis
{
    private OrthonormalBasis(string name, int rows, int columns, double[][] vectors)
    {
        Name = name;
        Rows = rows;
        Columns = columns;
        Vectors = vectors;
    }

    public string Name { get; }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>Orthonormal basis vectors (row-major flattened matrices).</summary>
    public IReadOnlyList<double[]> Vectors { get; }

    public int Dimension => Vectors.Count;

    /// <summary>Orthonormalises the algebra's basis (modified Gram–Schmidt, twice) after checking its shape.</summary>
    public static OrthonormalBasis Create(ILieAlgebra algebra, int rows, int columns)
    {
        if (algebra.Basis.Count == 0)
            throw new ArgumentException($"Ground-truth algebra '{algebra.Name}' has no basis matrices; return at least one.");
        var vectors = new List<double[]>();
        for (int a = 0; a < algebra.Basis.Count; a++)
        {
            var b = algebra.Basis[a];
            if (b.GetLength(0) != rows || b.GetLength(1) != columns)
                throw new ArgumentException(
                    $"Ground-truth algebra '{algebra.Name}': basis matrix {a} is {b.GetLength(0)}×{b.GetLength(1)} but the prior's generators are {rows}×{columns}; give basis matrices of the prior's shape (or change the prior).");
            var v = new double[rows * columns];
            for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                v[i * columns + j] = b[i, j];
            double original = Norm(v);
            if (!(original > 0) || !double.IsFinite(original))
                throw new ArgumentException($"Ground-truth algebra '{algebra.Name}': basis matrix {a} is zero or not finite.");
            for (int pass = 0; pass < 2; pass++)
                foreach (var q in vectors) Axpy(-Dot(q, v), q, v);
            double remaining = Norm(v);
            if (remaining < 1e-10 * original)
                throw new ArgumentException($"Ground-truth algebra '{algebra.Name}': basis matrix {a} is a linear combination of the ones before it; remove it.");
            for (int i = 0; i < v.Length; i++) v[i] /= remaining;
            vectors.Add(v);
        }
        return new OrthonormalBasis(algebra.Name, rows, columns, vectors.ToArray());
    }

    /// <summary>P(h) for a flattened matrix.</summary>
    public double[] Project(ReadOnlySpan<double> h)
    {
        var result = new double[h.Length];
        foreach (var q in Vectors) Axpy(Dot(q, h), q, result);
        return result;
    }

    /// <summary>‖h − P(h)‖_F.</summary>
    public double DistanceTo(ReadOnlySpan<double> h)
    {
        var projection = Project(h);
        double sum = 0;
        for (int i = 0; i < h.Length; i++) sum += (h[i] - projection[i]) * (h[i] - projection[i]);
        return Math.Sqrt(sum);
    }

    internal static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    internal static double Norm(ReadOnlySpan<double> a) => Math.Sqrt(Dot(a, a));

    private static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        for (int i = 0; i < y.Length; i++) y[i] += alpha * x[i];
    }
}
