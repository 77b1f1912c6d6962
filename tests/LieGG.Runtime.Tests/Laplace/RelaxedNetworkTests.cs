using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Models.Relaxed;
using LieGG.Runtime.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Laplace;

/// <summary>ELLA's layers: exact shift invariance of the strict CONV network, pathway algebra, shapes and counts.</summary>
public sealed class RelaxedNetworkTests
{
    private static double MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    [Theory]
    [InlineData(16, 8)]
    [InlineData(32, 16)]
    [InlineData(8, 4)]
    public void Strict_conv_network_is_exactly_invariant_to_cyclic_shifts_by_its_total_stride(int canvas, int shift)
    {
        torch.manual_seed(5);
        using var network = new RelaxedNetwork(canvas, 2, 10, Pathways.Conv);
        Assert.Equal(shift, network.TotalStride);
        network.eval();
        var x = randn(new long[] { 3, canvas, canvas }, generator: new torch.Generator(6));
        var output = network.forward(x);
        foreach (var (dr, dc) in new[] { (shift, 0), (0, shift), (shift, shift) })
            Assert.True(MaxDifference(output, network.forward(x.roll(new long[] { dr, dc }, new long[] { 1, 2 }))) < 1e-5);
        // A shift by one pixel is not a symmetry of a strided network: the test can fail.
        Assert.True(MaxDifference(output, network.forward(x.roll(1, 1))) > 1e-3);
    }

    [Fact]
    public void Trained_strict_conv_network_stays_invariant_and_cannot_tell_quadrants_apart()
    {
        using var data = QuadrantMnist.Create(MnistDigits.Embedded(), new QuadrantMnistOptions { Seed = 1, Task = QuadrantTask.DigitQuadrant, TrainCount = 600, ValidationCount = 100, TestCount = 200 });
        torch.manual_seed(2);
        using var network = new RelaxedNetwork(16, 2, 40, Pathways.Conv);
        Trainer.Fit(network, data, new TrainingOptions { Epochs = 2, BatchSize = 64, LearningRate = 0.05, Optimizer = Optimizer.Sgd, Seed = 1, SelectBest = false });
        network.eval();
        var x = data.Test.Inputs;
        var output = network.forward(x);
        Assert.True(MaxDifference(output, network.forward(x.roll(8, 2))) < 1e-4);
        Assert.True(MaxDifference(output, network.forward(x.roll(new long[] { 8, 8 }, new long[] { 1, 2 }))) < 1e-4);
    }

    [Fact]
    public void Relaxed_block_with_its_factored_fc_pathway_zeroed_is_the_conv_pathway_alone()
    {
        var shape = new BlockShape(2, 3, 8, 2);
        torch.manual_seed(7);
        using var relaxed = new RelaxedBlock(shape, Pathways.FactoredFC | Pathways.Conv, 0);
        using var conv = new RelaxedBlock(shape, Pathways.Conv, 0);
        using (torch.no_grad())
        {
            foreach (var site in relaxed.Sites.Where(s => s.Pathway == PathwayKind.FactoredFC))
            {
                site.Weight.zero_();
                site.Bias.zero_();
            }
            var relaxedConv = relaxed.Sites.Single(s => s.Pathway == PathwayKind.Conv);
            conv.Sites[0].Weight.copy_(relaxedConv.Weight);
            conv.Sites[0].Bias.copy_(relaxedConv.Bias.normal_());
        }
        var x = randn(new long[] { 4, 2, 8, 8 }, generator: new torch.Generator(8));
        // ReLU(½·(0 + CONV(x))) = ½·ReLU(CONV(x)).
        Assert.True(MaxDifference(relaxed.forward(x) * 2, conv.forward(x)) < 1e-5);
    }

    [Fact]
    public void Factored_fc_pathway_is_the_dense_map_with_weights_V_times_U()
    {
        torch.manual_seed(9);
        using var factored = new FactoredDensePathway(2, 3, 4, 2, 0);
        var x = randn(new long[] { 5, 2, 4, 4 }, generator: new torch.Generator(10));
        var u = factored.USite.Weight.view(3, 2, 16);   // [k, c, s]
        var v = factored.VSite.Weight.view(4, 3, 2);    // [t, k, c]
        var dense = torch.einsum("tkc,kcs->ktcs", v, u).reshape(3 * 4, 2 * 16);
        var bias = (factored.VSite.Weight.view(4, 3, 2).sum(2).T * factored.USite.Bias.unsqueeze(1)) + factored.VSite.Bias.unsqueeze(0);
        using (torch.no_grad())
        {
            factored.USite.Bias.normal_();
            factored.VSite.Bias.normal_();
        }
        bias = (v.sum(2).T * factored.USite.Bias.unsqueeze(1)) + factored.VSite.Bias.unsqueeze(0); // [k, t]
        var expected = (x.flatten(1).matmul(dense.T) + bias.flatten()).view(5, 3, 2, 2);
        Assert.True(MaxDifference(expected, factored.forward(x)) < 1e-5);
    }

    [Theory]
    [InlineData(Pathways.FactoredFC | Pathways.Conv)]
    [InlineData(Pathways.FC | Pathways.Conv)]
    [InlineData(Pathways.FactoredFC | Pathways.Conv | Pathways.GroupConv)]
    public void Init_scales_scale_only_their_own_pathway_weights(Pathways pathways)
    {
        const double fcScale = 0.25, convScale = 0.125;
        torch.manual_seed(3);
        using var reference = new RelaxedNetwork(8, 2, 10, pathways);
        torch.manual_seed(3);
        using var scaled = new RelaxedNetwork(8, 2, 10, pathways, fcInitScale: fcScale, convInitScale: convScale);
        foreach (var (a, b) in reference.Sites.Zip(scaled.Sites))
        {
            double factor = a.Pathway switch
            {
                PathwayKind.FC or PathwayKind.FactoredFC => fcScale,
                PathwayKind.Conv => convScale,
                _ => 1,
            };
            Assert.True(MaxDifference(a.Weight * factor, b.Weight) < 1e-7, a.Name);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Conv_init_scale_must_be_positive_and_finite(double scale)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new RelaxedNetwork(8, 2, 10, Pathways.FactoredFC | Pathways.Conv, convInitScale: scale));
        Assert.Contains("ConvInitScale", error.Message);
    }

    [Theory]
    [InlineData(Pathways.FactoredFC | Pathways.Conv, 2)]
    [InlineData(Pathways.FactoredFC | Pathways.Conv | Pathways.GroupConv, 3)]
    public void Summed_block_is_its_pathway_count_times_the_mean_block(Pathways pathways, int count)
    {
        // Same weights (same seed), so ReLU(Σ) = P·ReLU(Σ/P) by ReLU's positive homogeneity, with biases at work.
        var shape = new BlockShape(2, 3, 8, 2);
        torch.manual_seed(5);
        using var mean = new RelaxedBlock(shape, pathways, 1);
        torch.manual_seed(5);
        using var sum = new RelaxedBlock(shape, pathways, 1, combine: PathwayCombination.Sum);
        using (torch.no_grad())
            foreach (var (a, b) in mean.Sites.Zip(sum.Sites))
            {
                Assert.True(MaxDifference(a.Weight, b.Weight) == 0, a.Name);
                b.Bias.copy_(a.Bias.normal_(0, 0.5, generator: new torch.Generator(6)));
            }
        int channels = pathways.HasFlag(Pathways.GroupConv) ? 2 * 4 : 2;
        var x = randn(new long[] { 4, channels, 8, 8 }, generator: new torch.Generator(9));
        var summed = sum.forward(x);
        Assert.True(summed.abs().max().item<float>() > 0.1);
        Assert.True(MaxDifference(mean.forward(x) * count, summed) < 1e-5);
    }

    [Fact]
    public void Block_shapes_follow_ellas_pattern_down_to_two_by_two()
    {
        var shapes = RelaxedNetwork.BlockShapes(32, 10);
        Assert.Equal(
            new[] { (1, 10, 32, 1), (10, 20, 32, 2), (20, 20, 16, 1), (20, 40, 16, 2), (40, 40, 8, 1), (40, 80, 8, 2), (80, 80, 4, 1), (80, 160, 4, 2) },
            shapes.Select(s => (s.InChannels, s.OutChannels, s.InputSize, s.Stride)));
        Assert.Equal(2, shapes[^1].OutputSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => RelaxedNetwork.BlockShapes(28, 4));
        Assert.Throws<ArgumentException>(() => new RelaxedNetwork(16, 2, 10, Pathways.FC | Pathways.FactoredFC));
    }

    [Fact]
    public void Circular_padding_equals_the_native_circular_pad_in_values_and_gradients()
    {
        var input = torch.randn(new long[] { 3, 2, 5, 4 }, ScalarType.Float64, generator: new torch.Generator(4)).requires_grad_();
        var weights = torch.randn(new long[] { 3, 2, 7, 6 }, ScalarType.Float64, generator: new torch.Generator(5));
        var padded = CircularConvolution.Pad(input);
        var native = nn.functional.pad(input, new long[] { 1, 1, 1, 1 }, PaddingModes.Circular);
        Assert.Equal(0, (padded - native).abs().max().item<double>());
        var gradient = torch.autograd.grad([(padded * weights).sum()], [input])[0];
        var nativeGradient = torch.autograd.grad([(native * weights).sum()], [input])[0];
        TensorComparison.AssertClose(nativeGradient, gradient, 1e-14);
    }
}
