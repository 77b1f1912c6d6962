using MathNet.Numerics.LinearAlgebra;

namespace LieGG.Runtime.Symmetry.Joint;

/// <summary>Computes <see cref="JointSymmetryResult"/> from a joint Gram (symmetric eigendecomposition in float64).</summary>
public static class JointSymmetryAnalyzer
{
    public static JointSymmetryResult Analyze(JointGram gram, OutputRepresentation output, PairAlgebra? truth = null, JointSymmetryOptions? options = null)
    {
        options ??= new JointSymmetryOptions();
        int d = gram.Directions;
        if (gram.Values.Any(v => !double.IsFinite(v)))
            throw new ArgumentException("The joint Gram contains NaN or infinite values; the model's outputs or their derivatives are not finite.", nameof(gram));
        var basis = truth?.Orthonormal(gram.InputRows, gram.InputColumns, gram.OutputRows, gram.OutputColumns);
        var solved = Solve(gram, gram.Values, options.Scaling);
        double rows = gram.Rows;
        var spectrum = solved.Eigenvalues.Select(e => Math.Max(e, 0) / rows).ToArray();
        var singular = solved.Eigenvalues.Select(e => Math.Sqrt(Math.Max(e, 0))).ToArray();
        // LieGG's rule for the rows (ε·max(rows, d)·σ_max, ε of the derivatives' arithmetic), and the Gram's own: a sum of
        // n = max(rows, d) float64 products resolves an eigenvalue to n·ε₆₄·λ_max, i.e. a singular value to √(n·ε₆₄)·σ_max.
        double size = Math.Max(rows, d);
        double tolerance = options.RankTolerance ?? Math.Max(gram.Epsilon * size, Math.Sqrt(size * 2.220446049250313e-16)) * singular[^1];
        int rank = singular.Count(s => s > tolerance);
        int k = options.SubspaceDimension ?? basis?.Dimension ?? Math.Max(1, d - rank);
        if (k < 1 || k > d) throw new ArgumentOutOfRangeException(nameof(options), k, $"SubspaceDimension must lie in 1…{d}.");

        var bias = basis is null ? null : solved.Pairs.Select(v => basis.DistanceTo(v)).ToArray();
        var subspace = Orthonormalize(solved.Pairs.Take(k));
        var result = new JointSymmetryResult
        {
            Output = output.Description,
            Spectrum = spectrum,
            SingularValues = singular,
            Variance = spectrum[0],
            RelativeVariance = spectrum[^1] > 0 ? spectrum[0] / spectrum[^1] : double.NaN,
            Pairs = solved.Pairs.Select(v => ToPair(v, gram)).ToArray(),
            Bias = bias,
            Algebra = truth?.Name,
            SubspaceDimension = k,
            PrincipalAngles = basis is null ? null : SubspaceGeometry.PrincipalAngles(subspace, basis.Vectors),
            GapRatio = k >= d ? double.NaN : spectrum[k - 1] > 0 ? spectrum[k] / spectrum[k - 1] : double.PositiveInfinity,
            NumericalRank = rank,
            RankTolerance = tolerance,
            ClosureResidual = ClosureResidual(subspace, gram),
            InputScale = solved.InputScale,
            OutputScale = solved.OutputScale,
            Scaling = options.Scaling,
            Rows = gram.Rows,
        };
        if (gram.Resampled.Count > 0)
        {
            if (options.ConfidenceLevel is <= 0 or >= 1)
                throw new ArgumentOutOfRangeException(nameof(options), options.ConfidenceLevel, "ConfidenceLevel must lie strictly between 0 and 1.");
            if (options.IntervalMethod == BootstrapIntervalMethod.BiasCorrectedAccelerated)
                throw new ArgumentException("A BCa interval needs jackknife Grams, which the joint Gram does not keep; use Basic or Percentile.", nameof(options));
            var variances = new double[gram.Resampled.Count];
            var minBiases = new double[gram.Resampled.Count];
            for (int r = 0; r < gram.Resampled.Count; r++)
            {
                var resample = Solve(gram, gram.Resampled[r], options.Scaling);
                variances[r] = Math.Max(resample.Eigenvalues[0], 0) / rows;
                if (basis is not null) minBiases[r] = resample.Pairs.Min(v => basis.DistanceTo(v));
            }
            result = result with
            {
                VarianceInterval = BootstrapInterval.Of(options.IntervalMethod, result.Variance, variances, null, options.ConfidenceLevel),
                MinBiasInterval = basis is null ? null : BootstrapInterval.Of(options.IntervalMethod, result.MinBias ?? double.NaN, minBiases, null, options.ConfidenceLevel),
            };
        }
        return result;
    }

    /// <summary>
    /// The invariant case as LieGG computes it (<see cref="SymmetryAnalyzer"/> on the polarization matrix): the same numbers,
    /// with each generator as a pair whose B is empty.
    /// </summary>
    public static JointSymmetryResult FromInvariance(SymmetryResult symmetry) => new()
    {
        Output = new InvariantOutput().Description,
        Spectrum = symmetry.Spectrum,
        SingularValues = symmetry.SingularValues,
        Variance = symmetry.Variance,
        RelativeVariance = symmetry.RelativeVariance,
        Pairs = symmetry.Generators.Select(a => new GeneratorPair(a, [])).ToArray(),
        Bias = symmetry.Bias,
        Algebra = symmetry.Algebra,
        SubspaceDimension = symmetry.SubspaceDimension,
        PrincipalAngles = symmetry.PrincipalAngles,
        GapRatio = symmetry.GapRatio,
        NumericalRank = symmetry.NumericalRank,
        RankTolerance = symmetry.RankTolerance,
        ClosureResidual = symmetry.ClosureResidual,
        InputScale = 1,
        OutputScale = 1,
        Scaling = JointScaling.None,
        VarianceInterval = symmetry.VarianceInterval,
        MinBiasInterval = symmetry.MinBiasInterval,
        Rows = symmetry.Rows,
    };

    private sealed record Solution(double[] Eigenvalues, double[][] Pairs, double InputScale, double OutputScale);

    /// <summary>Eigenvalues ascending of the scaled Gram, and each eigenvector mapped back to (vec A, vec B) with unit norm.</summary>
    private static Solution Solve(JointGram gram, double[] values, JointScaling scaling)
    {
        int d = gram.Directions, dA = gram.InputDirections;
        double inputScale = 1, outputScale = 1;
        if (scaling == JointScaling.Balanced && gram.OutputDirections > 0 && dA > 0)
        {
            inputScale = BlockScale(values, d, 0, dA);
            outputScale = BlockScale(values, d, dA, d);
        }
        var scale = new double[d];
        for (int i = 0; i < d; i++) scale[i] = i < dA ? inputScale : outputScale;
        var scaled = Matrix<double>.Build.Dense(d, d, (i, j) => 0.5 * (values[i * d + j] + values[j * d + i]) / (scale[i] * scale[j]));
        var evd = scaled.Evd(Symmetricity.Symmetric);
        var order = Enumerable.Range(0, d).OrderBy(i => evd.EigenValues[i].Real).ThenBy(i => i).ToArray();
        var pairs = order.Select(i =>
        {
            var v = new double[d];
            for (int c = 0; c < d; c++) v[c] = evd.EigenVectors[c, i] / scale[c];
            double norm = OrthonormalBasis.Norm(v);
            for (int c = 0; c < d; c++) v[c] /= norm;
            return ThinSvd.Canonical(v);
        }).ToArray();
        return new Solution(order.Select(i => evd.EigenValues[i].Real).ToArray(), pairs, inputScale, outputScale);
    }

    /// <summary>√(mean of the block's diagonal): the root mean square of its columns; 1 for a zero block.</summary>
    private static double BlockScale(double[] values, int d, int from, int to)
    {
        double sum = 0;
        for (int i = from; i < to; i++) sum += values[i * d + i];
        double scale = Math.Sqrt(sum / (to - from));
        return scale > 0 && double.IsFinite(scale) ? scale : 1;
    }

    private static GeneratorPair ToPair(double[] v, JointGram gram)
    {
        int dA = gram.InputDirections;
        return new GeneratorPair(
            SymmetryAnalyzer.Reshape(v[..dA], gram.InputRows, gram.InputColumns),
            SymmetryAnalyzer.Reshape(v[dA..], gram.OutputRows, gram.OutputColumns));
    }

    /// <summary>Modified Gram–Schmidt, twice; the pairs are independent (eigenvectors under a positive diagonal map).</summary>
    private static double[][] Orthonormalize(IEnumerable<double[]> vectors)
    {
        var basis = new List<double[]>();
        foreach (var original in vectors)
        {
            var v = (double[])original.Clone();
            for (int pass = 0; pass < 2; pass++)
                foreach (var q in basis)
                {
                    double c = OrthonormalBasis.Dot(q, v);
                    for (int i = 0; i < v.Length; i++) v[i] -= c * q[i];
                }
            double norm = OrthonormalBasis.Norm(v);
            for (int i = 0; i < v.Length; i++) v[i] /= norm;
            basis.Add(v);
        }
        return basis.ToArray();
    }

    /// <summary>
    /// √(Σ_ab ‖[X_a, X_b] − P_S[X_a, X_b]‖² / Σ_ab ‖[X_a, X_b]‖²) over an orthonormal basis X of the span S, with the bracket
    /// taken blockwise, ([A, A′], [B, B′]) — pairs of gl_A ⊕ gl_B — and affine 2 × 3 blocks in homogeneous form: 0 when S is
    /// a Lie algebra of pairs, at most 1. Both sums are Hilbert–Schmidt norms of the bracket on S, so the ratio does not
    /// depend on the basis; a maximum of per-pair ratios would, and a pair that nearly commutes (a rotation beside the
    /// identity) would make it all noise.
    /// </summary>
    internal static double ClosureResidual(IReadOnlyList<double[]> orthonormal, JointGram gram)
    {
        int dA = gram.InputDirections;
        if (!Bracketable(gram.InputRows, gram.InputColumns) || (gram.OutputDirections > 0 && !Bracketable(gram.OutputRows, gram.OutputColumns))) return double.NaN;
        double brackets = 0, outside = 0;
        for (int a = 0; a < orthonormal.Count; a++)
        for (int b = a + 1; b < orthonormal.Count; b++)
        {
            var bracket = Bracket(orthonormal[a], orthonormal[b], 0, gram.InputRows, gram.InputColumns)
                .Concat(gram.OutputDirections == 0 ? [] : Bracket(orthonormal[a], orthonormal[b], dA, gram.OutputRows, gram.OutputColumns)).ToArray();
            var remainder = (double[])bracket.Clone();
            foreach (var q in orthonormal)
            {
                double c = OrthonormalBasis.Dot(q, bracket);
                for (int i = 0; i < remainder.Length; i++) remainder[i] -= c * q[i];
            }
            brackets += OrthonormalBasis.Dot(bracket, bracket);
            outside += OrthonormalBasis.Dot(remainder, remainder);
        }
        // An abelian span (every bracket zero) is closed.
        return brackets < 1e-24 ? 0 : Math.Sqrt(outside / brackets);
    }

    private static bool Bracketable(int rows, int columns) => columns == rows || columns == rows + 1;

    private static double[] Bracket(double[] x, double[] y, int offset, int rows, int columns)
    {
        int size = columns;
        Matrix<double> Of(double[] v) => Matrix<double>.Build.Dense(size, size, (i, j) => i < rows ? v[offset + i * columns + j] : 0);
        var (p, q) = (Of(x), Of(y));
        var bracket = p * q - q * p;
        var flat = new double[rows * columns];
        for (int i = 0; i < rows; i++)
        for (int j = 0; j < columns; j++)
            flat[i * columns + j] = bracket[i, j];
        return flat;
    }
}
