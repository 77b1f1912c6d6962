using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Models;
using LieGG.Runtime.Symmetry;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Symmetry;

/// <summary>Forward-mode tangents and reverse-mode gradients are two independent routes to the same matrix.</summary>
public sealed class DifferentiationModeTests
{
    public static TheoryData<Activation, OutputTransform, OutputReduction, bool> Cases()
    {
        var data = new TheoryData<Activation, OutputTransform, OutputReduction, bool>();
        foreach (var activation in Enum.GetValues<Activation>())
        foreach (var transform in new[] { OutputTransform.L2Normalize, OutputTransform.None, OutputTransform.Softmax, OutputTransform.LogSoftmax })
        foreach (var spatial in new[] { false, true })
        {
            // Softmax outputs sum to 1: their summed row is identically zero, so only per-output rows say anything.
            bool perOutput = spatial || transform == OutputTransform.Softmax;
            data.Add(activation, transform, perOutput ? OutputReduction.PerOutput : OutputReduction.Sum, spatial);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_reverse_modes_agree(Activation activation, OutputTransform transform, OutputReduction reduction, bool spatial)
    {
        var random = new SeededRandom(3);
        Tensor inputs;
        ISymmetryPrior prior;
        if (spatial)
        {
            inputs = SmoothImages.Blobs(12, 10, 12, seed: 4).Render();
            prior = new SpatialPrior(Affine: true);
        }
        else
        {
            inputs = tensor(Enumerable.Range(0, 24 * 12).Select(_ => random.NextGaussian()).ToArray(), new long[] { 24, 12 });
            prior = new GenericPrior(4, 3);
        }
        int features = (int)(inputs.numel() / inputs.shape[0]);
        using var mlp = Mlp.Create(new MlpOptions(features, 4, 2, 9, activation, Bias: true), seed: 5);
        mlp.to(ScalarType.Float64);
        nn.Module<Tensor, Tensor> model = transform == OutputTransform.L2Normalize ? new L2NormalizedOutput(mlp) : mlp;
        var options = new PolarizationOptions { Transform = transform == OutputTransform.L2Normalize ? OutputTransform.None : transform, Reduction = reduction, BatchSize = 5 };

        var forward = Polarization.Compute(model, inputs, prior, options with { Mode = DifferentiationMode.Forward });
        var reverse = Polarization.Compute(model, inputs, prior, options with { Mode = DifferentiationMode.Reverse });

        Assert.Equal(reverse.Rows, forward.Rows);
        double scale = reverse.Values.Max(Math.Abs);
        for (int i = 0; i < reverse.Values.Length; i++) Assert.Equal(reverse.Values[i], forward.Values[i], 1e-10 * scale);
    }

    [Fact]
    public void The_summed_pass_with_the_written_out_normalisation_cotangent_equals_autograd_through_normalize()
    {
        var inputs = SmoothImages.Blobs(12, 10, 12, seed: 6).Render();
        var prior = new SpatialPrior(Affine: true);
        using var mlp = Mlp.Create(new MlpOptions(120, 5, 2, 9, Activation.Swish, Bias: true), seed: 7);
        mlp.to(ScalarType.Float64);

        var written = Polarization.Compute(mlp, inputs, prior, new PolarizationOptions { Transform = OutputTransform.L2Normalize, BatchSize = 5 });
        var autograd = Polarization.Compute(x => nn.functional.normalize(mlp.forward(x), p: 2, dim: 1), inputs, prior,
            new PolarizationOptions { Transform = OutputTransform.None, BatchSize = 5 });

        double scale = autograd.Values.Max(Math.Abs);
        Assert.True(scale > 0);
        for (int i = 0; i < autograd.Values.Length; i++) Assert.Equal(autograd.Values[i], written.Values[i], 1e-12 * scale);
    }

    [Fact]
    public void Forward_mode_on_a_plain_function_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Polarization.Compute(x => x.sum(1), zeros(2, 10), new GenericPrior(5, 2),
            new PolarizationOptions { Transform = OutputTransform.None, Mode = DifferentiationMode.Forward }));
        Assert.Contains("ITangentModel", error.Message);
    }

    [Fact]
    public void Prepared_inputs_are_reusable_across_models()
    {
        var inputs = SmoothImages.Blobs(20, 12, 12, seed: 1).Render().to_type(ScalarType.Float32);
        using var prepared = PolarizationInputs.Prepare(inputs, new SpatialPrior());
        using var a = Mlp.Create(new MlpOptions(144, 3, 1, 8), seed: 1);
        using var b = Mlp.Create(new MlpOptions(144, 3, 1, 8), seed: 2);

        Assert.Equal(Polarization.Compute(a, inputs, new SpatialPrior()).Values, Polarization.Compute(a, prepared).Values);
        Assert.Equal(Polarization.Compute(b, inputs, new SpatialPrior()).Values, Polarization.Compute(b, prepared).Values);
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void A_summed_pass_that_writes_rows_in_place_equals_one_through_the_rows_tensor(ScalarType dtype)
    {
        // 23 images in batches of 10: two full batches and a short one.
        var images = SmoothImages.Blobs(23, 14, 14, seed: 6).Render().to_type(dtype);
        using var mlp = Mlp.Create(new MlpOptions(14 * 14, 5, 2, 16, Activation.Tanh, Bias: true), seed: 8);
        mlp.to(dtype);
        var options = new PolarizationOptions { BatchSize = 10 };
        var prior = new SpatialPrior(Affine: true);

        var inPlace = Polarization.Compute(mlp, images, prior, options);
        var throughTensor = Polarization.Compute(mlp, images, new RowsOnly(prior), options);

        Assert.Equal(throughTensor.Values, inPlace.Values);
        Assert.Equal(throughTensor.Epsilon, inPlace.Epsilon);
        Assert.Equal(dtype == ScalarType.Float32 ? 1.1920928955078125e-07 : 2.220446049250313e-16, inPlace.Epsilon);
    }

    /// <summary>A prior whose contraction only has <see cref="IPolarizationContraction.Rows"/>, as any prior may.</summary>
    private sealed class RowsOnly(ISymmetryPrior prior) : ISymmetryPrior
    {
        public string Description => prior.Description;

        public int GeneratorRows => prior.GeneratorRows;

        public int GeneratorColumns => prior.GeneratorColumns;

        public IPolarizationContraction Prepare(Tensor inputs) => new Contraction(prior.Prepare(inputs));

        private sealed class Contraction(IPolarizationContraction inner) : IPolarizationContraction
        {
            public Tensor Rows(Tensor inputGradient, long start) => inner.Rows(inputGradient, start);

            public Tensor Tangents(long start, long count) => inner.Tangents(start, count);

            public void Dispose() => inner.Dispose();
        }
    }
}
