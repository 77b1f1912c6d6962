using LieGG.Dsl;
using LieGG.Runtime.Data;

namespace LieGG.Runtime.Tests.Data;

public sealed class ImageTransformTests
{
    private static float[] RandomImage(int rows, int columns, int seed)
    {
        var random = new SeededRandom(seed);
        return Enumerable.Range(0, rows * columns).Select(_ => (float)random.NextDouble()).ToArray();
    }

    [Fact]
    public void Rotation_by_zero_is_the_identity()
    {
        var image = RandomImage(28, 28, 1);
        var rotated = new float[image.Length];
        ImageTransforms.Rotate(image, rotated, 28, 28, 0);
        Assert.Equal(image, rotated);
    }

    [Theory]
    [InlineData(28, 28)]
    [InlineData(7, 9)]
    [InlineData(6, 8)]
    public void Rotation_by_90_degrees_is_an_exact_pixel_permutation(int rows, int columns)
    {
        // Counter-clockwise by 90° about the centre: out[r, c] = in[cr + (c − cc), cc + (cr − r)]; for square
        // images that is numpy.rot90. Sources outside the frame give 0.
        var image = RandomImage(rows, columns, 2);
        var rotated = new float[image.Length];
        ImageTransforms.Rotate(image, rotated, rows, columns, Math.PI / 2);
        double centreRow = (rows - 1) / 2.0, centreColumn = (columns - 1) / 2.0;
        for (int r = 0; r < rows; r++)
        for (int c = 0; c < columns; c++)
        {
            int sourceRow = checked((int)(centreRow + (c - centreColumn)));
            int sourceColumn = checked((int)(centreColumn + (centreRow - r)));
            bool inside = sourceRow >= 0 && sourceRow < rows && sourceColumn >= 0 && sourceColumn < columns;
            Assert.Equal(inside ? image[sourceRow * columns + sourceColumn] : 0f, rotated[r * columns + c]);
        }
        if (rows == columns)
        {
            for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                Assert.Equal(image[c * columns + (columns - 1 - r)], rotated[r * columns + c]);
        }
    }

    [Fact]
    public void Four_quarter_turns_return_the_image()
    {
        var image = RandomImage(28, 28, 3);
        var a = new float[image.Length];
        var b = new float[image.Length];
        ImageTransforms.Rotate(image, a, 28, 28, Math.PI / 2);
        ImageTransforms.Rotate(a, b, 28, 28, Math.PI / 2);
        ImageTransforms.Rotate(b, a, 28, 28, Math.PI);
        Assert.Equal(image, a);
    }

    [Fact]
    public void Rotated_mnist_is_deterministic_per_seed_and_differs_across_seeds()
    {
        var digits = MnistDigits.Embedded();
        var options = new RotatedMnistOptions { Seed = 5, TrainCount = 200, ValidationCount = 50, TestCount = 50 };
        using var first = RotatedMnist.Create(digits, options);
        using var second = RotatedMnist.Create(digits, options);
        using var other = RotatedMnist.Create(digits, options with { Seed = 6 });

        Assert.True(TensorComparison.SameValues(first.Train.Inputs, second.Train.Inputs));
        Assert.True(TensorComparison.SameValues(first.Test.Targets, second.Test.Targets));
        Assert.False(TensorComparison.SameValues(first.Train.Inputs, other.Train.Inputs));
        Assert.Equal([200L, 28, 28], first.Train.Inputs.shape);
        Assert.Equal(TorchSharp.torch.ScalarType.Int64, first.Train.Targets.dtype);
    }

    [Fact]
    public void Rotated_mnist_angles_are_uniform_on_the_circle()
    {
        var angles = RotatedMnist.AnglesDegrees(seed: 0, count: 20_000);
        Assert.All(angles, a => Assert.InRange(a, 0, 360));
        var quarters = angles.GroupBy(a => (int)(a / 90)).Select(g => g.Count()).ToArray();
        Assert.Equal(4, quarters.Length);
        Assert.All(quarters, q => Assert.InRange(q, 4700, 5300));
    }

    [Fact]
    public void Rotated_mnist_split_uses_disjoint_digits()
    {
        var order = RotatedMnist.SplitOrder(seed: 3, count: 10_000);
        Assert.Equal(Enumerable.Range(0, 10_000), order.Order());
    }

    [Fact]
    public void Rotated_mnist_normalisation_uses_the_documented_constants()
    {
        var digits = MnistDigits.Embedded();
        var raw = new RotatedMnistOptions { TrainCount = 100, ValidationCount = 0, TestCount = 10, Normalize = false };
        using var plain = RotatedMnist.Create(digits, raw);
        using var normalised = RotatedMnist.Create(digits, raw with { Normalize = true });
        var expected = (plain.Train.Inputs - ImageTransforms.RotatedMnistMean) / ImageTransforms.RotatedMnistStd;
        Assert.True(expected.allclose(normalised.Train.Inputs, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void Asking_for_more_digits_than_exist_names_the_sizes()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            RotatedMnist.Create(MnistDigits.Embedded(), new RotatedMnistOptions { TrainCount = 9000, ValidationCount = 1000, TestCount = 1000 }));
        Assert.Contains("11000 digits", error.Message);
        Assert.Contains("10000", error.Message);
    }

    [Theory]
    [InlineData(0.5, 2)]
    [InlineData(1.5, 6)]
    [InlineData(2.0, 8)]
    public void Gaussian_kernel_is_truncated_at_four_sigma_and_normalised(double sigma, int radius)
    {
        var kernel = ImageTransforms.GaussianKernel(sigma);
        Assert.Equal(2 * radius + 1, kernel.Length);
        Assert.Equal(1.0, kernel.Sum(), 12);
        Assert.Equal(Math.Exp(-0.5 / (sigma * sigma)), kernel[radius + 1] / kernel[radius], 12);
    }

    [Fact]
    public void Blur_of_an_impulse_is_the_outer_product_of_the_kernel()
    {
        const int size = 21;
        var image = new float[size * size];
        image[10 * size + 10] = 1;
        var blurred = ImageTransforms.GaussianBlur(image, size, size, 1.5);
        var kernel = ImageTransforms.GaussianKernel(1.5);
        for (int r = 0; r < size; r++)
        for (int c = 0; c < size; c++)
        {
            int dr = r - 10, dc = c - 10;
            double expected = Math.Abs(dr) <= 6 && Math.Abs(dc) <= 6 ? kernel[dr + 6] * kernel[dc + 6] : 0;
            Assert.Equal(expected, blurred[r * size + c], 6);
        }
    }

    [Fact]
    public void Blur_keeps_a_constant_image_constant_up_to_the_border()
    {
        var image = Enumerable.Repeat(0.25f, 12 * 12).ToArray();
        var blurred = ImageTransforms.GaussianBlur(image, 12, 12, 2.0);
        Assert.All(blurred, v => Assert.Equal(0.25, v, 6));
    }

    // A separable image u ⊗ v blurs to blur(u) ⊗ blur(v); each 1-D blur is written out here on the signal padded by
    // hand (σ = 0.5: radius 2), so the border rule under test is not the one that computes the expectation.
    [Theory]
    [InlineData(BlurEdge.Nearest, new double[] { 1, 1, 1, 2, 3, 4, 4, 4 }, new double[] { 5, 5, 5, 0, 2, 2, 2 })]
    [InlineData(BlurEdge.Reflect, new double[] { 2, 1, 1, 2, 3, 4, 4, 3 }, new double[] { 0, 5, 5, 0, 2, 2, 0 })]
    public void Blur_extends_the_border_as_asked(BlurEdge edge, double[] paddedRows, double[] paddedColumns)
    {
        double[] rows = [1, 2, 3, 4], columns = [5, 0, 2];
        double[] weights = [Math.Exp(-8), Math.Exp(-2), 1, Math.Exp(-2), Math.Exp(-8)];
        double total = weights.Sum();
        double[] Blur1D(double[] padded, int length) => Enumerable.Range(0, length).Select(i => Enumerable.Range(0, 5).Sum(k => weights[k] * padded[i + k]) / total).ToArray();
        var expectedRows = Blur1D(paddedRows, rows.Length);
        var expectedColumns = Blur1D(paddedColumns, columns.Length);
        var image = new float[rows.Length * columns.Length];
        for (int r = 0; r < rows.Length; r++)
        for (int c = 0; c < columns.Length; c++) image[r * columns.Length + c] = (float)(rows[r] * columns[c]);

        var blurred = ImageTransforms.GaussianBlur(image, rows.Length, columns.Length, 0.5, edge);

        for (int r = 0; r < rows.Length; r++)
        for (int c = 0; c < columns.Length; c++) Assert.Equal(expectedRows[r] * expectedColumns[c], blurred[r * columns.Length + c], 5);
    }

    [Fact]
    public void Nearest_and_reflect_differ_only_near_the_border()
    {
        var random = new Random(3);
        var image = Enumerable.Range(0, 28 * 28).Select(_ => (float)random.NextDouble()).ToArray();
        var nearest = ImageTransforms.GaussianBlur(image, 28, 28, 1.5, BlurEdge.Nearest);
        var reflect = ImageTransforms.GaussianBlur(image, 28, 28, 1.5, BlurEdge.Reflect);
        // Radius ⌊4·1.5 + ½⌋ = 6; the modes extend the image differently from two pixels beyond the border on, which the kernel reaches from 4 pixels inside.
        for (int r = 0; r < 28; r++)
        for (int c = 0; c < 28; c++)
        {
            int depth = Math.Min(Math.Min(r, 27 - r), Math.Min(c, 27 - c));
            if (depth >= 5) Assert.Equal(nearest[r * 28 + c], reflect[r * 28 + c], 6);
        }
        Assert.NotEqual(nearest[0], reflect[0]);
    }
}
