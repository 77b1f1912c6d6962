using LieGG.Dsl;
using LieGG.Runtime.Symmetry;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Symmetry;

/// <summary>The fused CPU contraction must equal the tensor formulation g · ∂I · C it replaces.</summary>
public sealed class ImageDerivativesTests
{
    [Theory]
    [InlineData(SpatialConvention.Centered, false, ScalarType.Float32, 28, 28)]
    [InlineData(SpatialConvention.Centered, true, ScalarType.Float32, 28, 28)]
    [InlineData(SpatialConvention.Reference, false, ScalarType.Float32, 28, 28)]
    [InlineData(SpatialConvention.Reference, true, ScalarType.Float64, 28, 28)]
    [InlineData(SpatialConvention.Centered, true, ScalarType.Float64, 7, 11)]
    [InlineData(SpatialConvention.Reference, false, ScalarType.Float32, 13, 40)]
    [InlineData(SpatialConvention.Centered, false, ScalarType.Float32, 40, 9)]
    // Interiors of exactly one and two vectors (no masked vector), and one just over (a masked vector of one fresh lane).
    [InlineData(SpatialConvention.Reference, false, ScalarType.Float32, 6, 17)]
    [InlineData(SpatialConvention.Centered, true, ScalarType.Float32, 5, 10)]
    [InlineData(SpatialConvention.Centered, false, ScalarType.Float32, 7, 11)]
    // Centered rows in blocks of eight: one block holding both boundary columns, two without overlap, two overlapping.
    [InlineData(SpatialConvention.Centered, true, ScalarType.Float32, 6, 8)]
    [InlineData(SpatialConvention.Centered, false, ScalarType.Float32, 5, 16)]
    [InlineData(SpatialConvention.Centered, true, ScalarType.Float32, 4, 12)]
    public void Fused_contraction_equals_the_tensor_formulation(SpatialConvention convention, bool affine, ScalarType dtype, int height, int width)
    {
        var generator = new torch.Generator(7);
        var images = randn(new long[] { 33, height, width }, generator: generator).to_type(dtype);
        var gradient = randn(new long[] { 33, height, width }, generator: generator).to_type(dtype);
        var derivatives = new ImageDerivatives(new SpatialPrior(convention, affine), height, width);

        var fused = derivatives.Contract(gradient, images).to_type(ScalarType.Float64);
        var reference = derivatives.ContractWithTensors(gradient.to_type(ScalarType.Float64), images.to_type(ScalarType.Float64));

        Assert.Equal(reference.shape, fused.shape);
        double tolerance = (dtype == ScalarType.Float32 ? 1e-4 : 1e-12) * reference.abs().max().item<double>();
        var difference = (fused - reference).abs().max().item<double>();
        Assert.True(difference <= tolerance, $"max difference {difference:E3} > {tolerance:E3}");
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Rows_contracted_on_two_threads_equal_those_of_one_bit_for_bit(ScalarType dtype)
    {
        var generator = new torch.Generator(13);
        var images = randn(new long[] { 301, 28, 28 }, generator: generator).to_type(dtype);
        var gradient = randn(new long[] { 301, 28, 28 }, generator: generator).to_type(dtype);
        var derivatives = new ImageDerivatives(new SpatialPrior(SpatialConvention.Centered, Affine: true), 28, 28);
        double[] Rows(int threads)
        {
            int before = torch.get_num_threads();
            torch.set_num_threads(threads);
            try
            {
                var rows = new double[301 * 6];
                Assert.True(derivatives.TryContractInto(gradient, images, rows));
                return rows;
            }
            finally { torch.set_num_threads(before); }
        }

        Assert.Equal(Rows(1), Rows(2));
    }

    [Theory]
    [InlineData(SpatialConvention.Centered, true, ScalarType.Float32)]
    [InlineData(SpatialConvention.Reference, false, ScalarType.Float32)]
    [InlineData(SpatialConvention.Centered, false, ScalarType.Float64)]
    public void Rows_written_in_place_are_the_rows_tensor_bit_for_bit(SpatialConvention convention, bool affine, ScalarType dtype)
    {
        var generator = new torch.Generator(11);
        var images = randn(new long[] { 19, 28, 28 }, generator: generator).to_type(dtype);
        var gradient = randn(new long[] { 19, 28, 28 }, generator: generator).to_type(dtype);
        var derivatives = new ImageDerivatives(new SpatialPrior(convention, affine), 28, 28);

        var tensorRows = derivatives.Contract(gradient, images).to_type(ScalarType.Float64).data<double>().ToArray();
        var written = new double[tensorRows.Length + 3];
        Assert.True(derivatives.TryContractInto(gradient, images, written));

        Assert.Equal(tensorRows, written[..tensorRows.Length]);
        Assert.Equal([0.0, 0.0, 0.0], written[tensorRows.Length..]);
    }

    [Fact]
    public void Rows_are_not_written_in_place_for_integer_gradients()
    {
        var derivatives = new ImageDerivatives(new SpatialPrior(), 6, 6);
        var written = new double[4 * 4];
        Assert.False(derivatives.TryContractInto(ones(new long[] { 4, 6, 6 }, ScalarType.Int32), ones(new long[] { 4, 6, 6 }), written));
        Assert.All(written, value => Assert.Equal(0.0, value));
    }

    [Theory]
    [InlineData(SpatialConvention.Centered, false, 28, 28)]
    [InlineData(SpatialConvention.Centered, true, 9, 14)]
    [InlineData(SpatialConvention.Reference, false, 28, 28)]
    [InlineData(SpatialConvention.Reference, true, 15, 8)]
    public void Single_pass_tangents_equal_gradients_times_coordinates(SpatialConvention convention, bool affine, int height, int width)
    {
        var images = randn(new long[] { 21, height, width }, generator: new torch.Generator(3));
        var derivatives = new ImageDerivatives(new SpatialPrior(convention, affine), height, width);

        var fused = derivatives.Tangents(images);
        var reference = derivatives.Tangents(images.to_type(ScalarType.Float64));

        Assert.Equal(ScalarType.Float32, fused.dtype);
        Assert.Equal(reference.shape, fused.shape);
        Assert.True(fused.to_type(ScalarType.Float64).allclose(reference, rtol: 1e-5, atol: 1e-5 * reference.abs().max().item<double>()));
    }

    [Theory]
    [InlineData(SpatialConvention.Centered, false, 28, 28)]
    [InlineData(SpatialConvention.Centered, true, 9, 14)]
    [InlineData(SpatialConvention.Centered, true, 5, 30)]
    [InlineData(SpatialConvention.Centered, false, 4, 3)]
    [InlineData(SpatialConvention.Reference, false, 28, 28)]
    [InlineData(SpatialConvention.Reference, true, 15, 8)]
    [InlineData(SpatialConvention.Reference, true, 6, 21)]
    public void Float32_tangents_are_the_stencil_rounded_once_on_two_threads(SpatialConvention convention, bool affine, int height, int width)
    {
        const int count = 70; // two ranges of the team at two threads
        var images = randn(new long[] { count, height, width }, generator: new torch.Generator(5));
        var prior = new SpatialPrior(convention, affine);
        var derivatives = new ImageDerivatives(prior, height, width);
        int before = torch.get_num_threads();
        torch.set_num_threads(2);
        float[] tangents;
        try { tangents = derivatives.Tangents(images).data<float>().ToArray(); }
        finally { torch.set_num_threads(before); }

        // Written out from the convention: (float32 difference) · stencil factor · coordinate in float64, one rounding.
        double scale = convention == SpatialConvention.Centered ? 1 / (prior.Coordinates(0, 1, height, width).Column - prior.Coordinates(0, 0, height, width).Column) : 1;
        (int From, int To, double Factor)? Stencil(int i, int n) => convention == SpatialConvention.Reference
            ? (i < n - 1 ? (i, i + 1, 1.0) : null)
            : i == 0 ? (0, 1, scale) : i == n - 1 ? (n - 2, n - 1, scale) : (i - 1, i + 1, scale / 2);
        var pixels = images.data<float>().ToArray();
        int size = height * width, j = affine ? 3 : 2;
        var expected = new float[count * 2 * j * size];
        for (int b = 0; b < count; b++)
        for (int r = 0; r < height; r++)
        for (int c = 0; c < width; c++)
        {
            if (Stencil(r, height) is not var (above, below, rowFactor) || Stencil(c, width) is not var (left, right, columnFactor)) continue;
            float I(int row, int column) => pixels[b * size + row * width + column];
            double dRow = (I(below, c) - I(above, c)) * rowFactor, dColumn = (I(r, right) - I(r, left)) * columnFactor;
            var (pr, pc) = prior.Coordinates(r, c, height, width);
            double[] values = affine ? [dRow * pr, dRow * pc, dRow, dColumn * pr, dColumn * pc, dColumn] : [dRow * pr, dRow * pc, dColumn * pr, dColumn * pc];
            for (int k = 0; k < values.Length; k++) expected[(b * 2 * j + k) * size + r * width + c] = (float)values[k];
        }
        Assert.Equal(expected, tangents);
    }

    [Fact]
    public void Centered_gradients_are_exact_for_a_linear_ramp()
    {
        // I = 3·row + 5·column in pixels; normalised coordinates have 14 pixels per unit on 28×28.
        var ramp = arange(28, dtype: ScalarType.Float64).reshape(28, 1) * 3 + arange(28, dtype: ScalarType.Float64).reshape(1, 28) * 5;
        var derivatives = new ImageDerivatives(new SpatialPrior(), 28, 28);
        var gradients = derivatives.Gradients(ramp.unsqueeze(0));
        Assert.True(gradients[0, 0].allclose(full(784, 3.0 * 14, dtype: ScalarType.Float64)));
        Assert.True(gradients[0, 1].allclose(full(784, 5.0 * 14, dtype: ScalarType.Float64)));
    }
}
