using LieGG.Dsl;
using LieGG.Runtime.Training.Laplace;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Laplace;

/// <summary>
/// The KFAC check against a GGN built here another way (full per-sample Jacobians of the logits, one logit at a time,
/// times diag p − ppᵀ), on a small relaxed network with all three pathways and many samples — where KFAC is an
/// approximation, so the measured gap is not zero.
/// </summary>
public sealed class LaplaceCheckTests(ITestOutputHelper log)
{
    [Fact]
    public void The_exact_log_determinant_is_the_brute_force_ggns_and_kfacs_gap_is_measured()
    {
        using var network = KfacTestNetworks.Network(Pathways.FactoredFC | Pathways.Conv | Pathways.GroupConv).to(ScalarType.Float64);
        var data = KfacTestNetworks.Data(24);
        var priors = new PriorPrecisions(network.Sites, initial: 0.5);
        for (int i = 0; i < priors.LogPrecisions.Length; i++) priors.LogPrecisions[i] = Math.Log(0.2 + 0.1 * i);

        var check = LaplaceCheck.Measure(network, data, priors);

        var parameters = priors.Tensors.Select(t => t.Value).ToArray();
        long p = parameters.Sum(t => t.numel());
        Assert.Equal(p, check.Parameters);
        var ggn = zeros(new long[] { p, p }, ScalarType.Float64);
        network.eval();
        for (long n = 0; n < data.Count; n++)
        {
            var logits = network.forward(data.Inputs.narrow(0, n, 1))[0];
            var jacobian = torch.stack(Enumerable.Range(0, (int)logits.shape[0])
                .Select(o => torch.cat(torch.autograd.grad(new[] { logits[o] }, parameters, retain_graph: true).Select(g => g.flatten()).ToArray())).ToArray());
            var probabilities = nn.functional.softmax(logits.detach(), 0);
            ggn += jacobian.T.matmul(torch.diag(probabilities) - torch.outer(probabilities, probabilities)).matmul(jacobian);
        }
        var delta = torch.cat(priors.Tensors.Select((t, i) => full(t.Count, priors.Precision(i), ScalarType.Float64)).ToArray());
        double expected = torch.linalg.slogdet(ggn + torch.diag(delta)).Item2.item<double>();
        Assert.Equal(expected, check.ExactLogDeterminant, 8);
        Assert.Equal(check.KfacObjective + 0.5 * (check.ExactLogDeterminant - check.KfacLogDeterminant) / data.Count, check.ExactObjective, 12);

        log.WriteLine($"{p} parameters, {data.Count} samples: logdet exact {check.ExactLogDeterminant:G6}, block-diagonal {check.BlockDiagonalLogDeterminant:G6}, KFAC {check.KfacLogDeterminant:G6}; " +
            $"−log ML/N exact {check.ExactObjective:G6}, KFAC {check.KfacObjective:G6} (gap {check.Gap:G3})");
        Assert.True(Math.Abs(check.KfacLogDeterminant - check.BlockDiagonalLogDeterminant) > 1e-6, "KFAC is an approximation here, not the exact blocks");
        Assert.True(double.IsFinite(check.Gap));
    }

    [Fact]
    public void Networks_above_the_bound_are_refused_by_the_check_and_noted_by_the_summary()
    {
        using var network = KfacTestNetworks.Network(Pathways.FC, canvas: 16, width: 2, classes: 10).to(ScalarType.Float64);
        var data = KfacTestNetworks.Data(4, canvas: 16, classes: 10);
        var priors = new PriorPrecisions(network.Sites);
        Assert.True(priors.Tensors.Sum(t => t.Count) > LaplaceCheck.MaxParameters, "the test network must lie above the bound");
        Assert.Throws<ArgumentException>(() => LaplaceCheck.Measure(network, data, priors));
        using var training = new LaplaceTraining(network, data, learning: null);
        var summary = training.Summarize(checkAgainstExact: true);
        Assert.Null(summary.Check);
        Assert.Contains("parameters", summary.CheckSkipped);
    }
}
