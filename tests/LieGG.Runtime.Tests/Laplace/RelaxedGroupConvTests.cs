using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Models.Relaxed;
using LieGG.Runtime.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Laplace;

/// <summary>ELLA networks with a p4 G-CONV pathway: exact rotation invariance of the strict network, and the block algebra.</summary>
public sealed class RelaxedGroupConvTests
{
    private static double MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    public void Strict_group_conv_network_is_exactly_invariant_to_90_degree_rotations(int canvas)
    {
        torch.manual_seed(5);
        using var network = new RelaxedNetwork(canvas, 2, 10, Pathways.GroupConv);
        network.eval();
        var x = randn(new long[] { 3, canvas, canvas }, generator: new torch.Generator(6));
        var output = network.forward(x);
        for (int k = 1; k < 4; k++) Assert.True(MaxDifference(output, network.forward(x.rot90(k, (1, 2)))) < 1e-5);

        // A network that can leave the symmetry is not invariant: the test can fail.
        torch.manual_seed(5);
        using var relaxed = new RelaxedNetwork(canvas, 2, 10, Pathways.FactoredFC | Pathways.Conv | Pathways.GroupConv);
        relaxed.eval();
        Assert.True(MaxDifference(relaxed.forward(x), relaxed.forward(x.rot90(1, (1, 2)))) > 1e-3);
    }

    [Fact]
    public void Trained_strict_group_conv_network_stays_invariant()
    {
        using var data = QuadrantMnist.Create(MnistDigits.Embedded(), new QuadrantMnistOptions { Seed = 1, TrainCount = 300, ValidationCount = 50, TestCount = 100 });
        torch.manual_seed(2);
        using var network = new RelaxedNetwork(16, 1, 10, Pathways.GroupConv);
        Trainer.Fit(network, data, new TrainingOptions { Epochs = 2, BatchSize = 64, LearningRate = 0.05, Optimizer = Optimizer.Sgd, Seed = 1, SelectBest = false });
        network.eval();
        var x = data.Test.Inputs;
        var output = network.forward(x);
        Assert.True(MaxDifference(output, network.forward(x.rot90(1, (1, 2)))) < 1e-4);
        Assert.True(MaxDifference(output, network.forward(x.rot90(2, (1, 2)))) < 1e-4);
    }

    [Theory]
    [InlineData(PathwayCombination.Mean, 3)]
    [InlineData(PathwayCombination.Sum, 1)]
    public void Block_with_its_fc_and_conv_pathways_zeroed_is_the_group_conv_pathway_alone(PathwayCombination combine, int pathwayDivisor)
    {
        // A later block (p4 input, stride 2); zero FC and CONV tensors are the limit of infinitely precise priors on them.
        var shape = new BlockShape(2, 3, 8, 2);
        torch.manual_seed(7);
        using var relaxed = new RelaxedBlock(shape, Pathways.FactoredFC | Pathways.Conv | Pathways.GroupConv, 1, combine: combine);
        using var group = new RelaxedBlock(shape, Pathways.GroupConv, 1);
        using (torch.no_grad())
        {
            foreach (var site in relaxed.Sites.Where(s => s.Pathway is PathwayKind.FactoredFC or PathwayKind.Conv))
            {
                site.Weight.zero_();
                site.Bias.zero_();
            }
            var relaxedGroup = relaxed.Sites.Single(s => s.Pathway == PathwayKind.GroupConv);
            group.Sites[0].Weight.copy_(relaxedGroup.Weight);
            group.Sites[0].Bias.copy_(relaxedGroup.Bias.normal_());
        }
        var x = randn(new long[] { 4, 2 * 4, 8, 8 }, generator: new torch.Generator(8));
        // Mean: ReLU(⅓·(0 + 0 + G(x))) = ⅓·ReLU(G(x)); sum: ReLU(0 + 0 + G(x)).
        Assert.True(MaxDifference(relaxed.forward(x) * pathwayDivisor, group.forward(x)) < 1e-5);
        Assert.Equal(new long[] { 4, 3 * 4, 4, 4 }, relaxed.forward(x).shape);
    }

    [Fact]
    public void Fc_and_conv_pathways_act_on_each_rotation_copy_with_the_same_weights()
    {
        // A later block (p4 input) with its G-CONV pathway zeroed: copy r of the output is the planar F-FC + CONV block,
        // with the same weights, applied to copy r of the input. Distinct copies, so any mixing of copies shows.
        var shape = new BlockShape(2, 3, 8, 2);
        torch.manual_seed(9);
        using var relaxed = new RelaxedBlock(shape, Pathways.FactoredFC | Pathways.Conv | Pathways.GroupConv, 1, combine: PathwayCombination.Sum);
        using var planar = new RelaxedBlock(shape, Pathways.FactoredFC | Pathways.Conv, 1, combine: PathwayCombination.Sum);
        using (torch.no_grad())
        {
            var groupSite = relaxed.Sites.Single(s => s.Pathway == PathwayKind.GroupConv);
            groupSite.Weight.zero_();
            groupSite.Bias.zero_();
            var shared = relaxed.Sites.Where(s => s.Pathway != PathwayKind.GroupConv).ToList();
            Assert.Equal(shared.Count, planar.Sites.Count);
            for (int i = 0; i < shared.Count; i++)
            {
                shared[i].Bias.normal_(0, 0.3, generator: new torch.Generator((ulong)(20 + i)));
                planar.Sites[i].Weight.copy_(shared[i].Weight);
                planar.Sites[i].Bias.copy_(shared[i].Bias);
            }
        }
        var x = randn(new long[] { 3, 2 * 4, 8, 8 }, generator: new torch.Generator(10));
        var output = relaxed.forward(x).view(3, 3, 4, 4, 4);
        var copies = x.view(3, 2, 4, 8, 8);
        for (int r = 0; r < 4; r++)
            Assert.True(MaxDifference(output[.., .., r], planar.forward(copies[.., .., r])) < 1e-5, $"rotation copy {r}");
        Assert.True(MaxDifference(output[.., .., 0], output[.., .., 1]) > 1e-2);
    }

    [Fact]
    public void Network_with_its_group_conv_pathways_zeroed_is_the_fc_and_conv_network_with_the_same_weights()
    {
        // The first block repeats its planar FC and CONV output over the four copies, later blocks keep them equal, and
        // pooling over rotations returns the planar network's features.
        torch.manual_seed(11);
        using var relaxed = new RelaxedNetwork(16, 2, 10, Pathways.FactoredFC | Pathways.Conv | Pathways.GroupConv, combine: PathwayCombination.Sum);
        using var planar = new RelaxedNetwork(16, 2, 10, Pathways.FactoredFC | Pathways.Conv, combine: PathwayCombination.Sum);
        using (torch.no_grad())
        {
            foreach (var site in relaxed.Sites.Where(s => s.Pathway == PathwayKind.GroupConv))
            {
                site.Weight.zero_();
                site.Bias.zero_();
            }
            var shared = relaxed.Sites.Where(s => s.Pathway != PathwayKind.GroupConv).ToList();
            Assert.Equal(shared.Count, planar.Sites.Count);
            for (int i = 0; i < shared.Count; i++)
            {
                Assert.Equal(shared[i].Name, planar.Sites[i].Name);
                shared[i].Bias.normal_(0, 0.3, generator: new torch.Generator((ulong)(30 + i)));
                planar.Sites[i].Weight.copy_(shared[i].Weight);
                planar.Sites[i].Bias.copy_(shared[i].Bias);
            }
        }
        relaxed.eval();
        planar.eval();
        var x = randn(new long[] { 4, 16, 16 }, generator: new torch.Generator(12));
        Assert.True(MaxDifference(relaxed.forward(x), planar.forward(x)) < 1e-4);
    }

    [Theory]
    [InlineData(0, 1, PathwayCombination.Mean)]
    [InlineData(1, 2, PathwayCombination.Mean)]
    [InlineData(2, 1, PathwayCombination.Sum)]
    [InlineData(1, 2, PathwayCombination.Sum)]
    public void Block_forward_with_conv_folded_into_group_conv_equals_its_pathways_evaluated_on_their_own(int layer, int stride, PathwayCombination combine)
    {
        // The forward pass runs CONV inside G-CONV's convolution (a 4×4 stride-2 kernel at stride 2); PathwayOutput runs
        // each pathway as its own module, CONV on the split rotation copies and G-CONV with its 2×2 reduction.
        var shape = new BlockShape(layer == 0 ? 1 : 2, 3, 8, stride);
        torch.manual_seed(13);
        using var block = new RelaxedBlock(shape, Pathways.FactoredFC | Pathways.Conv | Pathways.GroupConv, layer, combine: combine);
        block.to(ScalarType.Float64);
        using (torch.no_grad())
            foreach (var site in block.Sites) site.Bias.normal_(0, 0.3, generator: new torch.Generator(14));
        var x = randn(new long[] { 3, shape.InChannels * (layer == 0 ? 1 : 4), 8, 8 }, ScalarType.Float64, generator: new torch.Generator(15));
        var sum = Enumerable.Range(0, 3).Select(i => block.PathwayOutput(i, x)).Aggregate((a, b) => a + b);
        var expected = nn.functional.relu(combine == PathwayCombination.Mean ? sum / 3 : sum);
        TensorComparison.AssertClose(expected, block.forward(x), 1e-12);
        // Every pathway contributes: the CONV pathway's part alone moves the output.
        Assert.True(block.PathwayOutput(1, x).abs().max().item<double>() > 0.1);
        // And training sees the same function: every parameter's gradient of a loss agrees between the two routes.
        var weights = randn(expected.shape, ScalarType.Float64, generator: new torch.Generator(16));
        var parameters = block.parameters().ToArray();
        var folded = torch.autograd.grad(new[] { (block.forward(x) * weights).sum() }, parameters);
        var separate = torch.autograd.grad(new[] { (expected * weights).sum() }, parameters);
        for (int i = 0; i < parameters.Length; i++) TensorComparison.AssertClose(separate[i], folded[i], 1e-12);
    }

    [Fact]
    public void State_dict_names_every_parameter_once_under_its_pathway()
    {
        // Saved networks are read back by name, here and in PyTorch: a pathway reachable under a second name would add keys.
        using var network = new RelaxedNetwork(8, 2, 10, Pathways.FactoredFC | Pathways.Conv | Pathways.GroupConv);
        var names = network.state_dict().Keys.ToList();
        Assert.Equal(network.named_parameters().Select(p => p.name).OrderBy(n => n, StringComparer.Ordinal), names.OrderBy(n => n, StringComparer.Ordinal));
        Assert.Contains("blocks.1.pathways.1.weight", names);
    }
}
