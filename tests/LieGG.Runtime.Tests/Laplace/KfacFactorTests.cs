using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Models.Relaxed;
using LieGG.Runtime.Training.Laplace;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Laplace;

/// <summary>The KFAC factors against brute force: explicit per-sample Jacobians (B) and explicit outer products of patches (A); the sites' rows against autograd's gradients.</summary>
public sealed class KfacFactorTests
{
    [Theory]
    [InlineData(Pathways.Conv)]
    [InlineData(Pathways.FC)]
    [InlineData(Pathways.FactoredFC | Pathways.Conv)]
    [InlineData(Pathways.GroupConv)]
    [InlineData(Pathways.FactoredFC | Pathways.Conv | Pathways.GroupConv)]
    [InlineData(Pathways.FactoredFC | Pathways.Conv | Pathways.GroupConv, PathwayCombination.Sum)]
    // Two pooled features: three classes reach the blocks through them (two passes), two classes one pass per class.
    [InlineData(Pathways.FactoredFC | Pathways.Conv, PathwayCombination.Mean, 2)]
    [InlineData(Pathways.GroupConv, PathwayCombination.Mean, 2)]
    [InlineData(Pathways.FC, PathwayCombination.Mean, 7)]
    public void Exact_fisher_output_factors_equal_the_brute_force_GGN(Pathways pathways, PathwayCombination combine = PathwayCombination.Mean, int classes = 3)
    {
        using var network = KfacTestNetworks.Network(pathways, classes: classes, combine: combine).to(ScalarType.Float64);
        var data = KfacTestNetworks.Data(6, classes: classes);
        using var factors = KfacFactors.Fit(network, data, FisherKind.Exact, batchSize: 4);
        var expected = KfacTestNetworks.BruteForceOutputFactors(network, data);
        for (int s = 0; s < factors.Sites.Count; s++) TensorComparison.AssertClose(expected[s], factors.Sites[s].B);
    }

    [Theory]
    [InlineData(Pathways.Conv)]
    [InlineData(Pathways.FC)]
    [InlineData(Pathways.FactoredFC | Pathways.Conv)]
    [InlineData(Pathways.GroupConv)]
    [InlineData(Pathways.Conv | Pathways.GroupConv)]
    [InlineData(Pathways.FactoredFC | Pathways.Conv | Pathways.GroupConv)]
    public void Site_rows_reproduce_the_autograd_gradients_of_weights_and_biases(Pathways pathways)
    {
        // For y = W·a + b over a site's copies, ∂L/∂W = Σ g aᵀ and ∂L/∂b = Σ g with g = ∂L/∂y: the rows KFAC multiplies
        // must pair each copy's input with its own output gradient, including where the CONV pathway runs inside the
        // G-CONV pathway's convolution and its output gradient is read off the block's p4 map.
        using var network = KfacTestNetworks.Network(pathways, canvas: 8, width: 2).to(ScalarType.Float64);
        var data = KfacTestNetworks.Data(3, canvas: 8);
        network.eval();
        network.SetCapture(true);
        var logits = network.forward(data.Inputs);
        var loss = (logits * randn(logits.shape, ScalarType.Float64, generator: new torch.Generator(3))).sum();
        var sites = network.Sites;
        var outputs = sites.Select(s => s.CapturedOutput!).ToArray();
        var parameters = sites.SelectMany(s => new Tensor[] { s.Weight, s.Bias }).ToArray();
        var gradients = torch.autograd.grad(new[] { loss }, outputs.Concat(parameters).ToArray());
        for (int i = 0; i < sites.Count; i++)
        {
            var site = sites[i];
            var a = site.InputRows(site.CapturedInput!.detach());
            var g = site.OutputRows(gradients[i]);
            long d = a.shape[2], e = g.shape[2];
            long copies = site.WeightsPerCopy ? site.Copies / site.RotationCopies : 1;
            // [N·R·(copies sharing a weight), copies with their own weight, d]: the sum runs over the first axis.
            var aPerWeight = a.reshape(-1, copies, d);
            var gPerWeight = g.reshape(-1, copies, e);
            var weightGradient = torch.einsum("nce,ncd->ecd", gPerWeight, aPerWeight).reshape(e, copies * d);
            TensorComparison.AssertClose(gradients[outputs.Length + 2 * i].reshape(e, -1), weightGradient, 1e-10);
            TensorComparison.AssertClose(gradients[outputs.Length + 2 * i + 1], g.sum(new long[] { 0, 1 }), 1e-10);
        }
        network.SetCapture(false);
    }

    // Conv network on 8×8 canvases, width 2: block 1 (1 → 2 channels, 8×8) and block 3 (4 → 4 channels, 4×4) keep every
    // position, block 2 (2 → 4 channels, 8×8 → 4×4) the even ones; each block's input is read off the capture.
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 1)]
    public void Conv_input_factor_is_the_sum_of_explicit_circular_patches_at_the_kept_positions(int site, int stride)
    {
        using var network = KfacTestNetworks.Network(Pathways.Conv, canvas: 8, width: 2).to(ScalarType.Float64);
        var data = KfacTestNetworks.Data(3, canvas: 8);
        using var factors = KfacFactors.Fit(network, data, FisherKind.Exact);
        network.SetCapture(true);
        network.forward(data.Inputs);
        var input = network.Sites[site].CapturedInput!.detach();
        network.SetCapture(false);
        long channels = input.shape[1];
        Assert.Equal(new long[] { 1, channels * 9, channels * 9 }, factors.Sites[site].A.shape);
        TensorComparison.AssertClose(PatchGram(input, step: stride), factors.Sites[site].A[0]);
    }

    [Fact]
    public void Factored_fc_input_factors_are_block_diagonal_over_channels()
    {
        using var network = KfacTestNetworks.Network(Pathways.FactoredFC, canvas: 4, width: 2).to(ScalarType.Float64);
        var data = KfacTestNetworks.Data(5);
        using var factors = KfacFactors.Fit(network, data, FisherKind.Exact);
        network.SetCapture(true);
        network.forward(data.Inputs);
        // Block 2 (2 → 4 channels, 4×4 → 2×2): U sees x [N, 2, 16]; V sees h [N, 2, 4] per output channel.
        var u = network.Sites[2];
        var v = network.Sites[3];
        var x = u.CapturedInput!.detach();
        var h = v.CapturedInput!.detach();
        network.SetCapture(false);
        for (long c = 0; c < x.shape[1]; c++)
            TensorComparison.AssertClose(x[.., c, ..].T.matmul(x[.., c, ..]), factors.Sites[2].A[c]);
        for (long k = 0; k < h.shape[2]; k++)
            TensorComparison.AssertClose(h[.., .., k].T.matmul(h[.., .., k]), factors.Sites[3].A[k]);
        Assert.Equal(u.Weight.numel(), factors.Sites[2].B.shape[0] * factors.Sites[2].A.shape[0] * factors.Sites[2].A.shape[1]);
        Assert.Equal(v.Weight.numel(), factors.Sites[3].B.shape[0] * factors.Sites[3].A.shape[0] * factors.Sites[3].A.shape[1]);
    }

    [Fact]
    public void Input_factors_of_pathways_shared_by_rotation_copies_sum_over_the_copies()
    {
        using var network = KfacTestNetworks.Network(Pathways.FactoredFC | Pathways.Conv | Pathways.GroupConv, canvas: 8, width: 2).to(ScalarType.Float64);
        var data = KfacTestNetworks.Data(3, canvas: 8);
        using var factors = KfacFactors.Fit(network, data, FisherKind.Exact);
        // Block 2 (2 → 4 channels, 8×8, stride 2) has sites U, V, CONV, G-CONV; its p4 input [N, 2·4, 8, 8] is read off
        // the G-CONV site, which sees the map whole.
        network.SetCapture(true);
        network.forward(data.Inputs);
        var input = network.Sites[7].CapturedInput!.detach();
        network.SetCapture(false);
        Assert.Equal(PathwayKind.GroupConv, network.Sites[7].Pathway);
        long n = input.shape[0], channels = input.shape[1] / 4, size = input.shape[2];
        var uExpected = zeros(new long[] { channels, size * size, size * size }, ScalarType.Float64);
        var copies = new List<Tensor>();
        for (long i = 0; i < n; i++)
            for (long rotation = 0; rotation < 4; rotation++)
            {
                // Copy `rotation` of sample i: channel ch is map ch·4 + rotation.
                copies.Add(torch.stack(Enumerable.Range(0, (int)channels).Select(ch => input[i, ch * 4 + rotation]).ToArray()));
                for (long ch = 0; ch < channels; ch++)
                {
                    var map = input[i, ch * 4 + rotation].flatten();
                    uExpected[ch] += torch.outer(map, map);
                }
            }
        var convExpected = PatchGram(torch.stack(copies.ToArray()), step: 2);
        TensorComparison.AssertClose(convExpected, factors.Sites[6].A[0]);
        TensorComparison.AssertClose(uExpected, factors.Sites[4].A);
        // Rows per sample: 4 rotations × 16 kept positions for CONV, 4 rotations × 2 input channels for U.
        Assert.Equal(64, network.Sites[6].Copies);
        Assert.Equal(8, network.Sites[4].Copies);
    }

    [Fact]
    public void Monte_carlo_fisher_averages_to_the_exact_fisher()
    {
        using var network = KfacTestNetworks.Network(Pathways.FactoredFC | Pathways.Conv).to(ScalarType.Float64);
        var data = KfacTestNetworks.Data(8);
        using var exact = KfacFactors.Fit(network, data, FisherKind.Exact);
        var sums = exact.Sites.Select(s => zeros_like(s.B)).ToArray();
        const int draws = 400;
        var generator = new torch.Generator(11);
        var errors = new List<double>();
        for (int d = 1; d <= draws; d++)
        {
            using var sampled = KfacFactors.Fit(network, data, FisherKind.MonteCarlo, generator: generator);
            for (int s = 0; s < sums.Length; s++) sums[s] += sampled.Sites[s].B;
            if (d is 25 or draws)
                errors.Add(Enumerable.Range(0, sums.Length).Max(s => ((sums[s] / d) - exact.Sites[s].B).norm().item<double>() / exact.Sites[s].B.norm().item<double>()));
        }
        // Relative error shrinks like 1/√draws: well under 10 % after 400 draws, and smaller than after 25.
        Assert.True(errors[1] < 0.1, $"relative error after {draws} draws: {errors[1]:F3}");
        Assert.True(errors[1] < errors[0], $"error did not shrink: {errors[0]:F3} → {errors[1]:F3}");
    }

    /// <summary>
    /// Σ over maps [M, C, S, S] of p pᵀ, p the explicit circular 3×3 patch (channel-major) at every
    /// <paramref name="step"/>-th row and column.
    /// </summary>
    private static Tensor PatchGram(Tensor maps, int step)
    {
        long count = maps.shape[0], channels = maps.shape[1], size = maps.shape[2];
        var gram = zeros(new long[] { channels * 9, channels * 9 }, ScalarType.Float64);
        for (long i = 0; i < count; i++)
            for (long r = 0; r < size; r += step)
                for (long c = 0; c < size; c += step)
                {
                    var patch = zeros(new long[] { channels * 9 }, ScalarType.Float64);
                    for (long ch = 0; ch < channels; ch++)
                        for (int dr = -1; dr <= 1; dr++)
                            for (int dc = -1; dc <= 1; dc++)
                                patch[ch * 9 + (dr + 1) * 3 + dc + 1] = maps[i, ch, (r + dr + size) % size, (c + dc + size) % size];
                    gram += torch.outer(patch, patch);
                }
        return gram;
    }
}
