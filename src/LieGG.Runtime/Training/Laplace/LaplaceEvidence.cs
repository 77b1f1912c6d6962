using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Training.Laplace;

/// <summary>
/// The KFAC-Laplace negative log marginal likelihood per sample, as a function of the log prior precisions ρ:
/// M(ρ) = (1/N)·[ Σ_n −log p(y_n | x_n, θ*) + ½ Σ_l ( logdet(H_l + δ_l I) − P_l log δ_l + δ_l ‖θ*_l‖² ) ], δ_l = exp(ρ_l),
/// with H_l the KFAC block of tensor l. θ*, the curvature and the likelihood term are held fixed, so
/// ∂M/∂ρ_l = (δ_l ‖θ*_l‖² − γ_l) / (2N) in closed form (γ_l: effective number of parameters).
/// </summary>
public sealed class LaplaceEvidence
{
    public LaplaceEvidence(IReadOnlyList<KroneckerEigenvalues> curvature, IReadOnlyList<double> squaredNorms, double negativeLogLikelihood, long samples)
    {
        if (curvature.Count != squaredNorms.Count) throw new ArgumentException("One squared norm per tensor is needed.", nameof(squaredNorms));
        Curvature = curvature;
        SquaredNorms = squaredNorms.ToArray();
        NegativeLogLikelihood = negativeLogLikelihood;
        Samples = samples;
    }

    /// <summary>Eigenvalues of each tensor's curvature block H_l (already divided by N where KFAC asks).</summary>
    public IReadOnlyList<KroneckerEigenvalues> Curvature { get; }

    public double[] SquaredNorms { get; }

    public double NegativeLogLikelihood { get; }

    public long Samples { get; }

    /// <summary>
    /// Eigendecomposes every site's factors in float64 (symmetric eigensolver; round-off negatives clamped to 0):
    /// weight block B ⊗ A / N, bias block B · copies.
    /// </summary>
    public static LaplaceEvidence From(KfacFactors factors, PriorPrecisions priors)
    {
        // Each site's factors are eigendecomposed once; its weight and its bias share B.
        var spectra = factors.Sites.ToDictionary(
            s => s.Site,
            s => (B: Eigenvalues(s.B), A: Eigenvalues(s.A).Select(v => v / factors.Samples).ToArray()));
        var curvature = priors.Tensors.Select(tensor =>
        {
            var (b, a) = spectra[tensor.Site];
            return tensor.IsBias ? new KroneckerEigenvalues(b, [tensor.Site.Copies]) : new KroneckerEigenvalues(b, a);
        }).ToList();
        return new LaplaceEvidence(curvature, priors.SquaredNorms(), factors.NegativeLogLikelihood, factors.Samples);
    }

    private static double[] Eigenvalues(Tensor symmetric)
    {
        using var scope = torch.NewDisposeScope();
        var values = torch.linalg.eigvalsh(symmetric.to_type(ScalarType.Float64)).clamp_min(0).flatten();
        return values.data<double>().ToArray();
    }

    /// <summary>M(ρ), per sample.</summary>
    public double Objective(IReadOnlyList<double> logPrecisions)
    {
        double total = NegativeLogLikelihood;
        for (int l = 0; l < Curvature.Count; l++)
        {
            double rho = logPrecisions[l], delta = Math.Exp(rho);
            total += 0.5 * (Curvature[l].LogDeterminant(delta) - Curvature[l].Count * rho + delta * SquaredNorms[l]);
        }
        return total / Samples;
    }

    /// <summary>∂M/∂ρ_l = (δ_l ‖θ_l‖² − γ_l) / (2N).</summary>
    public double[] Gradient(IReadOnlyList<double> logPrecisions)
    {
        var gradient = new double[Curvature.Count];
        for (int l = 0; l < gradient.Length; l++)
        {
            double delta = Math.Exp(logPrecisions[l]);
            gradient[l] = (delta * SquaredNorms[l] - Curvature[l].EffectiveParameters(delta)) / (2.0 * Samples);
        }
        return gradient;
    }

    /// <summary>γ_l(δ_l) per tensor.</summary>
    public double[] EffectiveParameters(IReadOnlyList<double> logPrecisions)
        => Curvature.Select((c, l) => c.EffectiveParameters(Math.Exp(logPrecisions[l]))).ToArray();
}
