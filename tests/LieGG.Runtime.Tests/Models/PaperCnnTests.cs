using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Models;
using LieGG.Runtime.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Models;

public sealed class PaperCnnTests
{
    private static Tensor Digits(int count, int seed) => randn(new long[] { count, 28, 28 }, generator: new torch.Generator((ulong)seed));

    private static double InvarianceError(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        model.eval();
        using var _ = no_grad();
        var y = model.forward(x);
        double worst = 0;
        for (int k = 1; k < 4; k++) worst = Math.Max(worst, (model.forward(x.rot90(k, (1, 2))) - y).abs().max().item<float>());
        return worst / Math.Max(1e-6, y.abs().max().item<float>());
    }

    [Theory]
    [InlineData(RotationPooling.Final)]
    [InlineData(RotationPooling.EveryLayer)]
    public void P4cnn_is_exactly_invariant_to_quarter_turns_and_z2cnn_is_not(RotationPooling pooling)
    {
        torch.manual_seed(1);
        using var p4 = new P4Cnn(pooling: pooling);
        using var z2 = new Z2Cnn();
        var x = Digits(4, 2);
        Assert.True(InvarianceError(p4, x) < 1e-5, $"P4CNN relative error {InvarianceError(p4, x):E3}");
        Assert.True(InvarianceError(z2, x) > 1e-2, $"Z2CNN should not be invariant (relative error {InvarianceError(z2, x):E3})");
    }

    [Fact]
    public void P4cnn_stays_invariant_after_training()
    {
        using var data = RotatedMnist.Create(MnistDigits.Embedded(), new RotatedMnistOptions { TrainCount = 300, ValidationCount = 50, TestCount = 50 });
        torch.manual_seed(3);
        using var model = new P4Cnn();
        Trainer.Fit(model, data, new TrainingOptions { Epochs = 2, BatchSize = 50, LearningRate = 1e-3 });
        Assert.True(InvarianceError(model, data.Test.Inputs[..8]) < 1e-5);
    }

    [Fact]
    public void Parameter_counts_match_the_documented_formulas_and_are_comparable()
    {
        using var z2 = new Z2Cnn();
        using var p4 = new P4Cnn();
        using var p4Pooled = new P4Cnn(pooling: RotationPooling.EveryLayer);
        Assert.Equal(Z2Cnn.ParameterCount(), z2.parameters().Sum(p => p.numel()));
        Assert.Equal(P4Cnn.ParameterCount(), p4.parameters().Sum(p => p.numel()));
        Assert.Equal(P4Cnn.ParameterCount(pooling: RotationPooling.EveryLayer), p4Pooled.parameters().Sum(p => p.numel()));
        // Cohen & Welling (2016), Table 1: Z2CNN 22k parameters, P4CNN 25k.
        Assert.InRange(Z2Cnn.ParameterCount(), 21_000, 23_000);
        Assert.InRange(P4Cnn.ParameterCount(), 24_000, 26_000);
    }

    [Fact]
    public void Outputs_are_logits_for_ten_classes()
    {
        using var p4 = new P4Cnn();
        using var z2 = new Z2Cnn();
        Assert.Equal([5L, 10], p4.forward(Digits(5, 1)).shape);
        Assert.Equal([5L, 10], z2.forward(Digits(5, 1).unsqueeze(1)).shape);
    }

    [Fact]
    public void Z2cnn_forward_with_channels_last_maps_equals_its_layers_composed_in_the_default_layout()
    {
        using var z2 = new Z2Cnn(channels: 20).to(ScalarType.Float64);
        z2.eval();
        using var _ = no_grad();
        var x = Digits(6, 3).to(ScalarType.Float64);
        var composed = z2.EquivariantLayers.Aggregate(x, (h, layer) => layer.Forward(h));
        TensorComparison.AssertClose(composed, z2.forward(x), 1e-12);
    }
}
