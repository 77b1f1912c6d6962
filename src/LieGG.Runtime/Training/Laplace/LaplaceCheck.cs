using LieGG.Runtime.Data;
using LieGG.Runtime.Models.Relaxed;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Training.Laplace;

/// <summary>
/// KFAC against the exact generalised Gauss–Newton matrix at the same weights and priors: the log-determinant term of
/// the Laplace marginal likelihood with the dense GGN G = Σ_n J_nᵀ(diag p_n − p_n p_nᵀ)J_n (float64, all prior tensors
/// together), with G's per-tensor diagonal blocks only (what KFAC assumes before it factors each block), and with KFAC,
/// and what the difference does to −log ML / N.
/// </summary>
/// <param name="Parameters">P, the parameters of all prior tensors (G is P × P).</param>
/// <param name="Samples">N, the training samples G and KFAC were summed over.</param>
/// <param name="ExactLogDeterminant">logdet(G + diag δ).</param>
/// <param name="BlockDiagonalLogDeterminant">Σ_l logdet(G_ll + δ_l I): the exact GGN without its cross-tensor blocks.</param>
/// <param name="KfacLogDeterminant">Σ_l logdet(B_l ⊗ A_l / N + δ_l I).</param>
/// <param name="KfacObjective">−log ML / N with KFAC (the reported one, with the exact Fisher).</param>
public sealed record LaplaceCheck(long Parameters, long Samples, double ExactLogDeterminant, double BlockDiagonalLogDeterminant, double KfacLogDeterminant, double KfacObjective)
{
    /// <summary>Networks up to this many prior parameters are checked: G takes P² float64 (338 MB at the bound).</summary>
    public const long MaxParameters = 6500;

    /// <summary>−log ML / N with the exact GGN.</summary>
    public double ExactObjective => KfacObjective + 0.5 * (ExactLogDeterminant - KfacLogDeterminant) / Samples;

    /// <summary>What KFAC adds to −log ML / N against the exact GGN (positive: KFAC's evidence is worse).</summary>
    public double Gap => KfacObjective - ExactObjective;

    /// <summary>
    /// Builds G from per-sample, per-class gradients √p_nk ∇_θ log p_nk (one backward pass each: G = Σ vvᵀ is the softmax
    /// GGN), and compares with KFAC fitted with the exact Fisher on the same samples.
    /// </summary>
    /// <param name="exactKfac">KFAC with the exact Fisher on <paramref name="split"/> at these weights, when the caller has it; else it is fitted here.</param>
    public static LaplaceCheck Measure<TNetwork>(TNetwork model, DataSplit split, PriorPrecisions priors, LaplaceEvidence? exactKfac = null, CancellationToken cancellationToken = default)
        where TNetwork : nn.Module<Tensor, Tensor>, IKfacNetwork
    {
        var tensors = priors.Tensors.Select(t => t.Value).ToArray();
        long parameters = tensors.Sum(t => t.numel());
        if (parameters > MaxParameters)
            throw new ArgumentException($"The exact GGN of {parameters} parameters is {parameters}² values; the check runs up to {MaxParameters} parameters.", nameof(model));
        var kfac = exactKfac ?? Fit(model, split, priors, cancellationToken);
        using var scope = torch.NewDisposeScope();
        var ggn = zeros(new long[] { parameters, parameters }, ScalarType.Float64);
        bool wasTraining = model.training;
        model.eval();
        try
        {
            var device = tensors[0].device;
            // The rows of a chunk of samples are added with one in-place GEMM (a P × P product per sample would be the
            // cost) and freed with the chunk's scope: at 40 classes and 6 000 parameters a sample's rows are 2 MB.
            const int samplesPerChunk = 16;
            for (long start = 0; start < split.Count; start += samplesPerChunk)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var chunkScope = torch.NewDisposeScope();
                var rows = new List<Tensor>();
                for (long n = start; n < Math.Min(split.Count, start + samplesPerChunk); n++)
                {
                    var logProbabilities = nn.functional.log_softmax(model.forward(split.Inputs.narrow(0, n, 1).to(device)), 1)[0];
                    var weights = logProbabilities.detach().exp().sqrt().to_type(ScalarType.Float64).cpu();
                    long classes = logProbabilities.shape[0];
                    for (long k = 0; k < classes; k++)
                    {
                        var gradients = torch.autograd.grad(new[] { logProbabilities[k] }, tensors, retain_graph: k < classes - 1);
                        rows.Add(torch.cat(gradients.Select(g => g.flatten().to_type(ScalarType.Float64).cpu()).ToArray()) * weights[k]);
                    }
                }
                var v = torch.stack(rows);
                ggn.addmm_(v.T, v);
            }
        }
        finally
        {
            if (wasTraining) model.train();
        }
        var precisions = priors.Tensors.Select((t, i) => full(t.Count, priors.Precision(i), ScalarType.Float64)).ToArray();
        double exact = LogDeterminant(ggn + torch.diag(torch.cat(precisions)));
        double blocks = 0, kfacLogDet = 0;
        long offset = 0;
        for (int i = 0; i < priors.Tensors.Count; i++)
        {
            long count = priors.Tensors[i].Count;
            blocks += LogDeterminant(ggn.narrow(0, offset, count).narrow(1, offset, count) + priors.Precision(i) * eye(count, dtype: ScalarType.Float64));
            kfacLogDet += kfac.Curvature[i].LogDeterminant(priors.Precision(i));
            offset += count;
        }
        return new LaplaceCheck(parameters, split.Count, exact, blocks, kfacLogDet, kfac.Objective(priors.LogPrecisions));
    }

    private static LaplaceEvidence Fit<TNetwork>(TNetwork model, DataSplit split, PriorPrecisions priors, CancellationToken cancellationToken)
        where TNetwork : nn.Module<Tensor, Tensor>, IKfacNetwork
    {
        using var factors = KfacFactors.Fit(model, split, LieGG.Dsl.FisherKind.Exact, cancellationToken: cancellationToken);
        return LaplaceEvidence.From(factors, priors);
    }

    /// <summary>log det of a symmetric positive definite matrix, by its Cholesky factor.</summary>
    private static double LogDeterminant(Tensor spd)
        => 2 * torch.linalg.cholesky(spd).diagonal().log().sum().item<double>();
}
