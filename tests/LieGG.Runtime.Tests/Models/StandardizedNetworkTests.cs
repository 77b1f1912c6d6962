using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Models;
using LieGG.Runtime.Orchestration;
using LieGG.Runtime.Symmetry;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Models;

/// <summary>EMLP's standardising wrapper: F(x) = σ·net(x / s) + μ, in every route the analysis takes.</summary>
public sealed class StandardizedNetworkTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "liegg-standardized-" + Guid.NewGuid().ToString("N"));

    // Two outputs, so μ and σ are vectors; the scales differ per 5-vector as the O(5) task's do.
    private static readonly Standardization Scaling = new(
        Enumerable.Repeat(0.8, 5).Concat(Enumerable.Repeat(1.25, 5)).ToArray(), [-5.5, 2.0], [6.0, 0.5], "test");

    private static StandardizedNetwork Create(int seed = 3)
        => new(Mlp.Create(new MlpOptions(10, 2, Hidden: 2, Width: 7, Activation.Swish, Bias: true), seed), Scaling, [10]);

    public void Dispose()
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void Forward_is_the_network_between_the_scalings()
    {
        using var scope = NewDisposeScope();
        using var model = Create();
        var x = randn(6, 10, generator: new Generator(1));
        var scale = tensor(Scaling.InputScale.Select(v => (float)v).ToArray());
        var expected = model.Network.forward(x / scale) * tensor(new[] { 6f, 0.5f }) + tensor(new[] { -5.5f, 2f });
        Assert.True(model.forward(x).allclose(expected, rtol: 1e-6, atol: 1e-6));
        Assert.Equal(model.Network.parameters().Count(), model.parameters().Count());
    }

    [Fact]
    public void Tangents_equal_the_jacobian_of_the_whole_function()
    {
        using var scope = NewDisposeScope();
        using var model = Create();
        var x = randn(4, 10, generator: new Generator(2), dtype: ScalarType.Float64);
        model.to(ScalarType.Float64);
        var tangents = randn(4, 3, 10, generator: new Generator(3), dtype: ScalarType.Float64);
        var output = model.ForwardWithTangents(x, tangents, out var jvp);
        Assert.True(output.allclose(model.forward(x), rtol: 1e-12, atol: 1e-12));
        // Central differences of F along each tangent: independent of the wrapper's chain rule.
        const double h = 1e-5;
        for (int k = 0; k < 3; k++)
        {
            var direction = tangents[.., k];
            var difference = (model.forward(x + h * direction) - model.forward(x - h * direction)) / (2 * h);
            Assert.True(difference.allclose(jvp[.., k], rtol: 1e-6, atol: 1e-7), $"tangent {k}");
        }
    }

    [Fact]
    public void Equivariant_layers_compose_to_the_forward_pass()
    {
        using var scope = NewDisposeScope();
        using var model = Create();
        var x = randn(5, 10, generator: new Generator(4));
        var composed = model.EquivariantLayers.Aggregate(x, (h, layer) => layer.Forward(h));
        Assert.True(composed.allclose(model.forward(x), rtol: 1e-6, atol: 1e-6));
        Assert.True(model.ForwardHidden(x, 1).allclose(((Mlp)model.Network).ForwardHidden(x / tensor(Scaling.InputScale.Select(v => (float)v).ToArray()), 1), rtol: 1e-6, atol: 1e-6));
    }

    [Fact]
    public void The_state_dict_keeps_the_scaling_and_a_bare_network_loads_into_the_wrapped_one()
    {
        Directory.CreateDirectory(directory);
        using var saved = Create(seed: 3);
        var keys = saved.state_dict().Keys.ToList();
        Assert.Contains("input_scale", keys);
        Assert.Contains("target_mean", keys);
        Assert.Contains("target_std", keys);
        Assert.All(keys.Where(k => !k.StartsWith("input_", StringComparison.Ordinal) && !k.StartsWith("target_", StringComparison.Ordinal)),
            k => Assert.StartsWith(StandardizedNetwork.NetworkKey + ".", k));

        // The whole wrapper: the file's scaling replaces the one the module was built with.
        var whole = Path.Combine(directory, "whole.safetensors");
        StateDict.Save(saved, whole);
        using var other = new StandardizedNetwork(Mlp.Create(new MlpOptions(10, 2, 2, 7, Activation.Swish, Bias: true), seed: 9),
            new Standardization(Enumerable.Repeat(1.0, 10).ToArray(), [0.0, 0.0], [1.0, 1.0], "other"), [10]);
        TrainedNetwork.LoadWeights(other, whole);
        var x = randn(3, 10, generator: new Generator(5));
        Assert.True(other.forward(x).allclose(saved.forward(x), rtol: 1e-6, atol: 1e-6));
        Assert.Equal(Scaling.TargetStd, other.ToStandardization("file").TargetStd);

        // A bare network (saved before the wrapper existed): loaded as the wrapped network, the wrapper's scaling kept.
        var bare = Path.Combine(directory, "bare.safetensors");
        StateDict.Save(saved.Network, bare);
        using var wrapped = Create(seed: 11);
        TrainedNetwork.LoadWeights(wrapped, bare);
        Assert.True(wrapped.forward(x).allclose(saved.forward(x), rtol: 1e-6, atol: 1e-6));
    }

    [Fact]
    public void Variance_scales_by_the_target_variance_between_the_units()
    {
        // The same network analysed in task units and in standardised units: every polarization row scales by σ_y and
        // is unchanged by the input scales (they commute with gl(5) acting on each vector), so λ scales by σ_y² exactly.
        var single = new Standardization(Scaling.InputScale, [-5.5], [6.0], "test");
        using var model = new StandardizedNetwork(Mlp.Create(new MlpOptions(10, 1, 2, 7, Activation.Swish, Bias: false), seed: 6), single, [10]);
        using var x = randn(400, 10, generator: new Generator(7));
        using var scaled = x / tensor(single.InputScale.Select(v => (float)v).ToArray());
        var prior = new GenericPrior(5, 2);
        var task = SymmetryAnalyzer.Analyze(Polarization.Compute(model, x, prior), null, new SymmetryOptions { BootstrapResamples = 0 });
        var standardized = SymmetryAnalyzer.Analyze(Polarization.Compute(model.Network, scaled, prior), null, new SymmetryOptions { BootstrapResamples = 0 });
        for (int i = 0; i < task.Spectrum.Length; i++)
            Assert.Equal(36 * standardized.Spectrum[i], task.Spectrum[i], 36 * standardized.Spectrum[i] * 1e-4 + 1e-12);
    }
}
