using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Models.Relaxed;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Laplace;

/// <summary>Small networks and data for the KFAC tests, with brute-force references built without KFAC's code paths.</summary>
internal static class KfacTestNetworks
{
    public static RelaxedNetwork Network(Pathways pathways, int canvas = 4, int width = 1, int classes = 3, int seed = 1, PathwayCombination combine = PathwayCombination.Mean)
    {
        torch.manual_seed(seed);
        var network = new RelaxedNetwork(canvas, width, classes, pathways, combine: combine);
        // Random biases, so the brute-force checks also see them at work.
        using (torch.no_grad())
            foreach (var site in network.Sites) site.Bias.normal_(0, 0.3, generator: new torch.Generator((ulong)seed));
        return network;
    }

    /// <summary>Random images and labels; float64 inputs, to match the float64 networks the brute-force checks use.</summary>
    public static DataSplit Data(int count, int canvas = 4, int classes = 3, int seed = 2)
    {
        var generator = new torch.Generator((ulong)seed);
        return new DataSplit(randn(new long[] { count, canvas, canvas }, ScalarType.Float64, generator: generator), randint(0, classes, new long[] { count }, generator: generator));
    }

    /// <summary>
    /// Σ_n Σ_copies J_copyᵀ (diag p − ppᵀ) J_copy / copies for every site, from full per-sample Jacobians of the logits
    /// with respect to each site's output (one backward pass per logit), in float64.
    /// </summary>
    public static Tensor[] BruteForceOutputFactors<TNetwork>(TNetwork network, DataSplit split) where TNetwork : nn.Module<Tensor, Tensor>, IKfacNetwork
    {
        network.eval();
        network.SetCapture(true);
        var logits = network.forward(split.Inputs);
        var outputs = network.Sites.Select(s => s.CapturedOutput!).ToArray();
        long n = logits.shape[0], classes = logits.shape[1];
        // jacobians[site][o] = ∂ logits[:, o] / ∂ output, per sample (samples do not interact in eval mode).
        var jacobians = network.Sites.Select(_ => new List<Tensor>()).ToArray();
        for (long o = 0; o < classes; o++)
        {
            var gradients = torch.autograd.grad(new[] { logits[.., o].sum() }, outputs, retain_graph: true);
            for (int s = 0; s < outputs.Length; s++) jacobians[s].Add(network.Sites[s].OutputRows(gradients[s]).to_type(ScalarType.Float64));
        }
        var p = nn.functional.softmax(logits.detach(), 1).to_type(ScalarType.Float64);
        var result = new Tensor[outputs.Length];
        for (int s = 0; s < outputs.Length; s++)
        {
            var jacobian = torch.stack(jacobians[s], 1); // [N, classes, copies, e]
            long copies = jacobian.shape[2], e = jacobian.shape[3];
            var total = zeros(new long[] { e, e }, ScalarType.Float64);
            for (long i = 0; i < n; i++)
            {
                var lambda = torch.diag(p[i]) - torch.outer(p[i], p[i]);
                for (long c = 0; c < copies; c++)
                {
                    var j = jacobian[i, .., c, ..]; // [classes, e]
                    total += j.T.matmul(lambda).matmul(j);
                }
            }
            result[s] = total / copies;
        }
        network.SetCapture(false);
        return result;
    }
}
