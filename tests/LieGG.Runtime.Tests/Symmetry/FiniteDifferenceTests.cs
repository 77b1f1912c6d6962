using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Models;
using LieGG.Runtime.Symmetry;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Symmetry;

/// <summary>Each polarization row, applied to a generator h, is the derivative d/dt F(exp(t·h)·x) at t = 0.</summary>
public sealed class FiniteDifferenceTests
{
    private static double[,] RandomGenerator(int rows, int columns, SeededRandom random)
    {
        var h = new double[rows, columns];
        for (int i = 0; i < rows; i++) for (int j = 0; j < columns; j++) h[i, j] = random.NextGaussian();
        return h;
    }

    private static double Apply(ReadOnlySpan<double> row, double[,] h)
    {
        int columns = h.GetLength(1);
        double sum = 0;
        for (int i = 0; i < h.GetLength(0); i++) for (int j = 0; j < columns; j++) sum += row[i * columns + j] * h[i, j];
        return sum;
    }

    private static Mlp DoubleMlp(int inputs, int outputs, int seed)
    {
        var mlp = Mlp.Create(new MlpOptions(inputs, outputs, 2, 16, Activation.Swish, Bias: true), seed);
        mlp.to(ScalarType.Float64);
        return mlp;
    }

    [Theory]
    [InlineData(OutputReduction.Sum, OutputTransform.L2Normalize)]
    [InlineData(OutputReduction.PerOutput, OutputTransform.Softmax)]
    [InlineData(OutputReduction.PerOutput, OutputTransform.LogSoftmax)]
    public void Generic_prior_rows_are_lie_derivatives(OutputReduction reduction, OutputTransform transform)
    {
        const int n = 5, copies = 2, outputs = 3, samples = 20;
        using var mlp = DoubleMlp(n * copies, outputs, seed: 4);
        var random = new SeededRandom(8);
        var x = tensor(Enumerable.Range(0, samples * n * copies).Select(_ => random.NextGaussian()).ToArray(), new long[] { samples, n * copies });
        var options = new PolarizationOptions { Reduction = reduction, Transform = transform, BatchSize = 7 };
        var matrix = Polarization.Compute(mlp, x, new GenericPrior(n, copies), options);

        for (int trial = 0; trial < 3; trial++)
        {
            var h = RandomGenerator(n, n, random);
            const double eps = 1e-5;
            Tensor Moved(double t)
            {
                var g = MatrixExponential.Exp(h, t);
                var m = tensor(Enumerable.Range(0, n * n).Select(k => g[k / n, k % n]).ToArray(), new long[] { n, n });
                return x.reshape(samples, copies, n).matmul(m.T).reshape(samples, n * copies);
            }
            using var _ = no_grad();
            var derivative = (Polarization.ApplyTransform(mlp.forward(Moved(eps)), transform) - Polarization.ApplyTransform(mlp.forward(Moved(-eps)), transform)) / (2 * eps);
            var values = derivative.data<double>().ToArray();
            for (int i = 0; i < samples; i++)
            {
                if (reduction == OutputReduction.Sum)
                {
                    double expected = Enumerable.Range(0, outputs).Sum(o => values[i * outputs + o]);
                    Assert.Equal(expected, Apply(matrix.Row(i), h), 1e-7 * (1 + Math.Abs(expected)));
                }
                else
                {
                    for (int o = 0; o < outputs; o++)
                        Assert.Equal(values[i * outputs + o], Apply(matrix.Row(i * outputs + o), h), 1e-7 * (1 + Math.Abs(values[i * outputs + o])));
                }
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Spatial_prior_rows_are_derivatives_of_the_moved_image(bool affine)
    {
        // I_t(p) = I(exp(−t·h)·p) is rendered exactly from closed-form images; E·vec(h) must equal −d/dt F(I_t).
        // Quadratic images make the prior's central differences exact, and a network that ignores the
        // one-pixel frame makes the one-sided border differences irrelevant, so the two agree to rounding.
        const int size = 28, outputs = 3;
        var images = SmoothImages.Quadratics(30, size, size, seed: 5);
        var prior = new SpatialPrior(SpatialConvention.Centered, affine);
        using var mlp = DoubleMlp(size * size, outputs, seed: 6);
        var frame = ones(size, size, dtype: ScalarType.Float64);
        frame[0] = 0; frame[^1] = 0; frame[.., 0] = 0; frame[.., ^1] = 0;
        Tensor Network(Tensor image) => mlp.forward(image * frame);
        var matrix = Polarization.Compute(Network, images.Render(), prior, new PolarizationOptions { BatchSize = 16 });
        var random = new SeededRandom(9);

        for (int trial = 0; trial < 3; trial++)
        {
            var h = RandomGenerator(2, prior.GeneratorColumns, random);
            var homogeneous = new double[3, 3];
            for (int i = 0; i < 2; i++) for (int j = 0; j < prior.GeneratorColumns; j++) homogeneous[i, j] = h[i, j];
            const double eps = 1e-5;
            Tensor Moved(double t)
            {
                var flow = MatrixExponential.Exp(homogeneous, -t);
                return images.Render((r, c) =>
                {
                    var (pr, pc) = prior.Coordinates(r, c, size, size);
                    return prior.PixelOf(flow[0, 0] * pr + flow[0, 1] * pc + flow[0, 2], flow[1, 0] * pr + flow[1, 1] * pc + flow[1, 2], size, size);
                });
            }
            using var _ = no_grad();
            Tensor F(Tensor image) => Polarization.ApplyTransform(Network(image), OutputTransform.L2Normalize).sum(1);
            var derivative = ((F(Moved(eps)) - F(Moved(-eps))) / (2 * eps)).data<double>().ToArray();
            for (int i = 0; i < images.Count; i++)
                Assert.Equal(derivative[i], -Apply(matrix.Row(i), h), 1e-6 * (1 + Math.Abs(derivative[i])));
        }
    }
}
