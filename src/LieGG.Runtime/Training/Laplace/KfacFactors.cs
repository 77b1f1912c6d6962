using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Models.Relaxed;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Training.Laplace;

/// <summary>The Kronecker factors of one site, summed over the data: H_w ≈ B ⊗ A / N, bias block B · copies.</summary>
/// <param name="A">Σ a aᵀ, float64 [1, d, d] (shared weights) or [copies, d, d] (per-copy weights).</param>
/// <param name="B">Σ_n Σ_copies F-weighted g gᵀ / copies, float64 [e, e].</param>
public sealed record SiteFactors(KfacSite Site, Tensor A, Tensor B);

/// <summary>The KFAC factors of every site of a network over N samples.</summary>
public sealed class KfacFactors : IDisposable
{
    private KfacFactors(IReadOnlyList<SiteFactors> sites, long samples, double negativeLogLikelihood)
    {
        Sites = sites;
        Samples = samples;
        NegativeLogLikelihood = negativeLogLikelihood;
    }

    /// <summary>Σ_n −log p(y_n | x_n) at the current weights, over the same samples.</summary>
    public double NegativeLogLikelihood { get; }

    public IReadOnlyList<SiteFactors> Sites { get; }

    /// <summary>N, the number of samples the factors were summed over.</summary>
    public long Samples { get; }

    /// <summary>
    /// Sums A (inputs of each site, once per forward) and B (gradients w.r.t. each site's output) over
    /// <paramref name="split"/>. <see cref="FisherKind.Exact"/>: for every class k one backward pass of
    /// Σ_n √p_nk · (−log p_nk), so B = Σ_n Σ_k p_nk g_nk g_nkᵀ (the softmax GGN) — below a
    /// <see cref="IKfacNetwork.BottleneckSite"/> narrower than the classes, one pass per feature there; <see cref="FisherKind.MonteCarlo"/>:
    /// one class per sample drawn from the model's prediction with <paramref name="generator"/>, one backward pass.
    /// </summary>
    public static KfacFactors Fit<TNetwork>(TNetwork model, DataSplit split, FisherKind fisher, int batchSize = 500,
        torch.Generator? generator = null, CancellationToken cancellationToken = default)
        where TNetwork : nn.Module<Tensor, Tensor>, IKfacNetwork
    {
        if (split.Count == 0) throw new ArgumentException("KFAC needs at least one sample.", nameof(split));
        if (fisher == FisherKind.MonteCarlo && generator is null) throw new ArgumentNullException(nameof(generator), "The Monte-Carlo Fisher needs a seeded generator.");
        var sites = model.Sites;
        double nll = 0;
        var a = new Tensor?[sites.Count];
        var b = sites.Select(site => new OutputFactorSum(site)).ToArray();
        bool wasTraining = model.training;
        var device = sites[0].Weight.device;
        model.eval();
        model.SetCapture(true);
        try
        {
            for (long start = 0; start < split.Count; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = torch.NewDisposeScope();
                long size = Math.Min(batchSize, split.Count - start);
                var x = split.Inputs.narrow(0, start, size).to(device);
                var logProbabilities = nn.functional.log_softmax(model.forward(x), 1);
                var outputs = sites.Select(s => s.CapturedOutput!).ToArray();
                var labels = split.Targets.narrow(0, start, size).to(device);
                nll -= logProbabilities.detach().gather(1, labels.unsqueeze(1)).to_type(ScalarType.Float64).sum().item<double>();
                for (int i = 0; i < sites.Count; i++) RunningSum.Add(ref a[i], sites[i].InputFactor(sites[i].CapturedInput!));

                if (fisher == FisherKind.Exact)
                {
                    ExactOutputFactors(sites, logProbabilities, outputs, model.BottleneckSite, b);
                }
                else
                {
                    var sampled = torch.multinomial(logProbabilities.detach().exp(), 1, replacement: true, generator: generator);
                    var loss = -logProbabilities.gather(1, sampled).sum();
                    var gradients = torch.autograd.grad(new[] { loss }, outputs);
                    for (int i = 0; i < sites.Count; i++) b[i].Add(gradients[i]);
                }
            }
        }
        catch
        {
            // Cancelled or failed: the partial sums live outside every dispose scope.
            foreach (var partial in a) partial?.Dispose();
            foreach (var partial in b) partial.Dispose();
            throw;
        }
        finally
        {
            model.SetCapture(false);
            if (wasTraining) model.train();
        }
        var factors = new SiteFactors[sites.Count];
        for (int i = 0; i < sites.Count; i++)
        {
            using var sum = b[i].TakeTotal();
            var bScaled = sum / sites[i].Copies;
            factors[i] = new SiteFactors(sites[i], a[i]!, bScaled);
        }
        return new KfacFactors(factors, split.Count, nll);
    }

    // For every class k one backward pass of Σ_n √p_nk · (−log p_nk): B = Σ_n Σ_k p_nk g_nk g_nkᵀ. Where a site's input
    // x (d features) carries all that the earlier sites pass on and d < K, those sites' gradients are J_nᵀ ∂ℓ_nk/∂x_n, and
    // Σ_k J_nᵀ d_nk d_nkᵀ J_n = J_nᵀ R_nᵀ R_n J_n with D_n = [d_n1 … d_nK]ᵀ = Q_n R_n: d backward passes from x with the rows
    // of R_n instead of K from the loss, the same B up to round-off.
    private static void ExactOutputFactors(IReadOnlyList<KfacSite> sites, Tensor logProbabilities, Tensor[] outputs, int bottleneck, OutputFactorSum[] b)
    {
        var weights = logProbabilities.detach().exp().sqrt();
        long classes = logProbabilities.shape[1];
        var features = bottleneck >= 0 ? sites[bottleneck].CapturedInput : null;
        bool throughFeatures = bottleneck > 0 && features is not null && features.dim() == 2 && features.shape[1] < classes;
        int first = throughFeatures ? bottleneck : 0;
        var targets = throughFeatures ? outputs[first..].Append(features!).ToArray() : outputs;
        var featureGradients = new Tensor[throughFeatures ? classes : 0];
        for (long k = 0; k < classes; k++)
        {
            using var classScope = torch.NewDisposeScope();
            var loss = -(weights[.., k] * logProbabilities[.., k]).sum();
            var gradients = torch.autograd.grad(new[] { loss }, targets, retain_graph: throughFeatures || k < classes - 1);
            for (int i = first; i < sites.Count; i++) b[i].Add(gradients[i - first]);
            if (throughFeatures) featureGradients[k] = gradients[^1].detach().MoveToOuterDisposeScope();
        }
        if (!throughFeatures) return;

        // [N, K, d] = Q R per sample, in float64; R's rows [N, d] are the backward passes' output gradients.
        var triangular = torch.linalg.qr(torch.stack(featureGradients, 1).to_type(ScalarType.Float64)).R.to_type(features!.dtype);
        var earlier = outputs[..bottleneck];
        long passes = triangular.shape[1];
        for (long j = 0; j < passes; j++)
        {
            using var passScope = torch.NewDisposeScope();
            var gradients = torch.autograd.grad(new[] { features! }, earlier, new[] { triangular[.., j, ..] }, retain_graph: j < passes - 1);
            for (int i = 0; i < bottleneck; i++) b[i].Add(gradients[i]);
        }
    }

    public void Dispose()
    {
        foreach (var site in Sites)
        {
            site.A.Dispose();
            site.B.Dispose();
        }
    }
}
