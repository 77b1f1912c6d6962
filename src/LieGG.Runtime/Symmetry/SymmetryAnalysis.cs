using LieGG.Runtime.Data;

namespace LieGG.Runtime.Symmetry;

/// <summary>Settings of the metrics computed from a polarization matrix.</summary>
public sealed record SymmetryOptions
{
    /// <summary>k: how many smallest-variance generators form the recovered subspace. Default: dim 𝔤 with a ground truth, else the numerical null dimension (at least 1).</summary>
    public int? SubspaceDimension { get; init; }

    /// <summary>
    /// Singular values at or below this count as zero. Default: ε · σ_max · max(N, d) (Math.NET's rank rule), with ε the
    /// unit roundoff of the arithmetic that produced E (float32 or float64 derivatives; <see cref="PolarizationMatrix.Epsilon"/>).
    /// </summary>
    public double? RankTolerance { get; init; }

    /// <summary>Bootstrap resamples (of samples, with replacement) for the confidence intervals; 0 (the default) = none. Declared experiments ask for 200.</summary>
    public int BootstrapResamples { get; init; }

    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>
    /// How the intervals are read off the bootstrap replicates. Basic (the default) removes the bias λ_min and the minimum
    /// bias have under resampling; its coverage is measured against BCa's and the percentile interval's in the tests.
    /// </summary>
    public BootstrapIntervalMethod IntervalMethod { get; init; } = BootstrapIntervalMethod.Basic;

    public int BootstrapSeed { get; init; }
}

/// <summary>A two-sided bootstrap confidence interval.</summary>
/// <param name="Method">How it was read off the replicates; records written before BCa hold percentile intervals.</param>
public sealed record ConfidenceInterval(double Lower, double Upper, double Level, int Resamples, BootstrapIntervalMethod Method = BootstrapIntervalMethod.Percentile);

/// <summary>
/// The LieGG metrics of one polarization matrix. Everything indexed per generator is in ascending order of
/// the spectrum λ_i = σ_i² / N.
/// </summary>
public sealed record SymmetryResult
{
    /// <summary>λ_i = σ_i² / N, ascending (N = rows of E).</summary>
    public required double[] Spectrum { get; init; }

    /// <summary>σ_i, ascending.</summary>
    public required double[] SingularValues { get; init; }

    /// <summary>Symmetry variance V = λ_min: how far the network is from being invariant to its best generator.</summary>
    public required double Variance { get; init; }

    /// <summary>λ_min / λ_max: variance independent of the output scale.</summary>
    public required double RelativeVariance { get; init; }

    /// <summary>Generator i: the i-th right singular vector as a matrix (rows × columns), unit Frobenius norm.</summary>
    public required double[][][] Generators { get; init; }

    /// <summary>Symmetry bias B_i = ‖H_i − P_𝔤(H_i)‖_F ∈ [0, 1] per generator; null without a ground truth.</summary>
    public double[]? Bias { get; init; }

    public double? MinBias => Bias is { Length: > 0 } b ? b.Min() : null;

    /// <summary>Name of the ground-truth algebra the bias and angles refer to.</summary>
    public string? Algebra { get; init; }

    /// <summary>k, the dimension of the recovered subspace span{H_1..H_k}.</summary>
    public required int SubspaceDimension { get; init; }

    /// <summary>Principal angles (radians, ascending) between span{H_1..H_k} and 𝔤; null without a ground truth.</summary>
    public double[]? PrincipalAngles { get; init; }

    /// <summary>λ_{k+1} / λ_k: how clearly the k recovered generators stand apart (∞ when λ_k = 0; NaN when k = d).</summary>
    public required double GapRatio { get; init; }

    /// <summary>Number of singular values above <see cref="RankTolerance"/>.</summary>
    public required int NumericalRank { get; init; }

    public required double RankTolerance { get; init; }

    /// <summary>d − rank: generators under which the network is invariant to working precision.</summary>
    public int NullDimension => Spectrum.Length - NumericalRank;

    /// <summary>
    /// The polarization matrix has rank 0: the analysed output does not depend on the input at all (a dead or constant
    /// network), which makes every direction trivially "invariant". No symmetry can be read off such a network.
    /// </summary>
    public bool Degenerate => NumericalRank == 0;

    /// <summary>What reports print instead of a variance when <see cref="Degenerate"/>.</summary>
    public const string DegenerateVerdict = "degenerate: the output does not depend on the input (polarization matrix of rank 0); no symmetry can be read off";

    /// <summary>max_ij ‖[A_i, A_j] − P_S[A_i, A_j]‖ / ‖[A_i, A_j]‖ over the k recovered generators: 0 when they close into a Lie algebra.</summary>
    public required double ClosureResidual { get; init; }

    public ConfidenceInterval? VarianceInterval { get; init; }

    public ConfidenceInterval? MinBiasInterval { get; init; }

    /// <summary>Rows of the polarization matrix (samples × outputs per sample).</summary>
    public required int Rows { get; init; }
}

/// <summary>Computes <see cref="SymmetryResult"/> from a polarization matrix.</summary>
public static class SymmetryAnalyzer
{
    public static SymmetryResult Analyze(PolarizationMatrix matrix, ILieAlgebra? groundTruth = null, SymmetryOptions? options = null)
    {
        options ??= new SymmetryOptions();
        int rows = matrix.GeneratorRows, columns = matrix.GeneratorColumns, d = matrix.Columns;
        var basis = groundTruth is null ? null : OrthonormalBasis.Create(groundTruth, rows, columns);
        var svd = ThinSvd.Compute(matrix.Values, matrix.Rows, d);
        int n = matrix.Rows;

        var spectrum = svd.SingularValues.Select(s => s * s / n).ToArray();
        double sigmaMax = svd.SingularValues[^1];
        double tolerance = options.RankTolerance ?? matrix.Epsilon * sigmaMax * Math.Max(n, d);
        int rank = svd.SingularValues.Count(s => s > tolerance);

        int k = options.SubspaceDimension ?? basis?.Dimension ?? Math.Max(1, d - rank);
        if (k < 1 || k > d) throw new ArgumentOutOfRangeException(nameof(options), k, $"SubspaceDimension must lie in 1…{d}.");

        var generators = svd.RightVectors.Select(v => Reshape(v, rows, columns)).ToArray();
        var bias = basis is null ? null : svd.RightVectors.Select(v => basis.DistanceTo(v)).ToArray();
        var subspace = svd.RightVectors.Take(k).ToArray();

        var result = new SymmetryResult
        {
            Spectrum = spectrum,
            SingularValues = svd.SingularValues,
            Variance = spectrum[0],
            RelativeVariance = spectrum[^1] > 0 ? spectrum[0] / spectrum[^1] : double.NaN,
            Generators = generators,
            Bias = bias,
            Algebra = groundTruth?.Name,
            SubspaceDimension = k,
            PrincipalAngles = basis is null ? null : SubspaceGeometry.PrincipalAngles(subspace, basis.Vectors),
            GapRatio = k >= d ? double.NaN : spectrum[k - 1] > 0 ? spectrum[k] / spectrum[k - 1] : double.PositiveInfinity,
            NumericalRank = rank,
            RankTolerance = tolerance,
            ClosureResidual = SubspaceGeometry.ClosureResidual(subspace, rows, columns),
            Rows = n,
        };

        if (options.BootstrapResamples > 0)
        {
            var (variance, minBias) = Bootstrap(matrix, basis, options, result);
            result = result with { VarianceInterval = variance, MinBiasInterval = minBias };
        }
        return result;
    }

    private static (ConfidenceInterval Variance, ConfidenceInterval? MinBias) Bootstrap(PolarizationMatrix matrix, OrthonormalBasis? basis, SymmetryOptions options, SymmetryResult estimate)
    {
        if (options.ConfidenceLevel is <= 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.ConfidenceLevel, "ConfidenceLevel must lie strictly between 0 and 1.");
        var draws = Draw(matrix, basis, options);
        var variance = BootstrapInterval.Of(options.IntervalMethod, estimate.Variance, draws.Variances, draws.JackknifeVariances, options.ConfidenceLevel);
        var minBias = basis is null ? null : BootstrapInterval.Of(options.IntervalMethod, estimate.MinBias ?? double.NaN, draws.MinBiases, draws.JackknifeMinBiases, options.ConfidenceLevel);
        return (variance, minBias);
    }

    /// <summary>λ_min and the minimum bias on each bootstrap resample of the samples, and on each jackknife group's complement.</summary>
    internal sealed record BootstrapDraws(double[] Variances, double[] MinBiases, double[] JackknifeVariances, double[] JackknifeMinBiases);

    internal static BootstrapDraws Draw(PolarizationMatrix matrix, OrthonormalBasis? basis, SymmetryOptions options)
    {
        int samples = matrix.Samples, perSample = matrix.OutputsPerSample, d = matrix.Columns, block = perSample * d;
        var random = new SeededRandom(options.BootstrapSeed, stream: 7);
        var variances = new double[options.BootstrapResamples];
        var minBiases = new double[options.BootstrapResamples];
        var resampled = new double[matrix.Values.Length];
        for (int r = 0; r < options.BootstrapResamples; r++)
        {
            // Resample whole samples so the rows of one sample (per-output reduction) stay together.
            for (int i = 0; i < samples; i++)
                Array.Copy(matrix.Values, (long)random.NextInt(samples) * block, resampled, (long)i * block, block);
            (variances[r], minBiases[r]) = VarianceAndMinBias(resampled, matrix.Rows, d, basis);
        }
        // The acceleration from a grouped jackknife: each group of samples left out once, through the same SVD route as the replicates.
        int groups = options.IntervalMethod == BootstrapIntervalMethod.BiasCorrectedAccelerated ? Math.Min(BootstrapInterval.JackknifeGroups, samples) : 0;
        var jackknifeVariances = new double[groups];
        var jackknifeMinBiases = new double[groups];
        for (int g = 0; g < groups; g++)
        {
            int keptSamples = Enumerable.Range(0, samples).Count(i => BootstrapInterval.GroupOf(i, groups) != g), kept = 0;
            var rest = new double[(long)keptSamples * block];
            for (int i = 0; i < samples; i++)
                if (BootstrapInterval.GroupOf(i, groups) != g) Array.Copy(matrix.Values, (long)i * block, rest, (long)kept++ * block, block);
            (jackknifeVariances[g], jackknifeMinBiases[g]) = VarianceAndMinBias(rest, keptSamples * perSample, d, basis);
        }
        return new BootstrapDraws(variances, minBiases, jackknifeVariances, jackknifeMinBiases);
    }

    /// <summary>λ_min and the smallest bias of the first <paramref name="rows"/> rows of a row-major E.</summary>
    private static (double Variance, double MinBias) VarianceAndMinBias(double[] values, int rows, int d, OrthonormalBasis? basis)
    {
        var svd = ThinSvd.Compute(values, rows, d);
        return (svd.SingularValues[0] * svd.SingularValues[0] / rows, basis is null ? double.NaN : svd.RightVectors.Min(v => basis.DistanceTo(v)));
    }

    internal static double[][] Reshape(double[] v, int rows, int columns)
    {
        var m = new double[rows][];
        for (int i = 0; i < rows; i++) m[i] = v.AsSpan(i * columns, columns).ToArray();
        return m;
    }
}
