using LieGG.Dsl;
using LieGG.Runtime.Models;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Models;

public sealed class MlpTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("liegg-mlp-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData(10, 1, 2, 32, false)]
    [InlineData(784, 10, 5, 128, false)]
    [InlineData(784, 10, 3, 57, true)]
    [InlineData(7, 3, 0, 0, true)]
    public void Parameter_count_formula_matches_the_built_network(int inputs, int outputs, int hidden, int width, bool bias)
    {
        var options = new MlpOptions(inputs, outputs, hidden, width, Activation.ReLU, bias);
        using var mlp = new Mlp(options);
        long counted = mlp.parameters().Sum(p => p.numel());
        Assert.Equal(counted, options.ParameterCount);
    }

    [Fact]
    public void Paper_o5_network_has_1376_parameters()
        => Assert.Equal(10 * 32 + 32 * 32 + 32, new MlpOptions(10, 1, 2, 32).ParameterCount);

    [Theory]
    [InlineData(40_000, 1)]
    [InlineData(120_000, 3)]
    [InlineData(200_000, 5)]
    public void Width_from_budget_is_the_largest_width_within_the_budget(long budget, int hidden)
    {
        int width = Mlp.WidthForBudget(budget, 784, 10, hidden, bias: false);
        Assert.True(Mlp.ParameterCount(784, 10, hidden, width, false) <= budget);
        Assert.True(Mlp.ParameterCount(784, 10, hidden, width + 1, false) > budget);
    }

    [Fact]
    public void Budget_below_the_smallest_network_is_explained()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Mlp.WidthForBudget(100, 784, 10, 2, false));
        Assert.Contains("below the smallest", error.Message);
    }

    [Fact]
    public void Same_seed_gives_same_weights_and_hidden_outputs_have_the_width()
    {
        var options = new MlpOptions(12, 4, 3, 16);
        using var a = Mlp.Create(options, seed: 3);
        using var b = Mlp.Create(options, seed: 3);
        using var c = Mlp.Create(options, seed: 4);
        var x = randn(5, 3, 4);
        Assert.True(TensorComparison.SameValues(a.forward(x), b.forward(x)));
        Assert.False(TensorComparison.SameValues(a.forward(x), c.forward(x)));
        Assert.Equal([5L, 16], a.ForwardHidden(x, 2).shape);
        Assert.Equal([5L, 4], a.forward(x).shape);
    }

    [Fact]
    public void Default_initialisation_is_pytorchs_kaiming_uniform()
    {
        // PyTorch's Linear default: U(−1/√fan_in, 1/√fan_in).
        using var mlp = Mlp.Create(new MlpOptions(400, 10, 1, 300), seed: 1);
        var weight = mlp.Layers[0].weight!;
        double bound = 1 / Math.Sqrt(400);
        Assert.True(weight.abs().max().item<float>() <= bound);
        Assert.InRange(weight.std().item<float>(), bound / Math.Sqrt(3) * 0.98, bound / Math.Sqrt(3) * 1.02);
    }

    [Fact]
    public void L2_normalised_output_has_unit_norm()
    {
        using var model = new L2NormalizedOutput(Mlp.Create(new MlpOptions(6, 5, 1, 8), seed: 0));
        var norms = model.forward(randn(7, 6)).norm(1);
        Assert.True(norms.allclose(ones(7), rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void Weights_round_trip_and_a_wrong_architecture_is_rejected()
    {
        var path = Path.Combine(directory, "mlp.bin");
        var options = new MlpOptions(6, 2, 2, 8, Activation.Tanh, Bias: true);
        using var saved = Mlp.Create(options, seed: 1);
        ModelWeights.Save(saved, path);

        using var loaded = Mlp.Create(options, seed: 2);
        ModelWeights.Load(loaded, path);
        var x = randn(4, 6);
        Assert.True(TensorComparison.SameValues(saved.forward(x), loaded.forward(x)));

        using var other = Mlp.Create(options with { Width = 9 }, seed: 1);
        var error = Assert.ThrowsAny<Exception>(() => ModelWeights.Load(other, path));
        Assert.Contains(path, error.Message);
    }
}
