using LieGG.Dsl;
using LieGG.Runtime.Symmetry;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Symmetry;

public sealed class SpatialPriorTests
{
    /// <summary>F(I) = Σ_p w(|p − c|) I(p) with radial weights about the true centre: invariant to rotations about c.</summary>
    private static Func<Tensor, Tensor> RadialFunctional(int height, int width)
    {
        var weights = new double[height * width];
        double cr = (height - 1) / 2.0, cc = (width - 1) / 2.0;
        for (int r = 0; r < height; r++)
        for (int c = 0; c < width; c++)
        {
            double radius2 = (r - cr) * (r - cr) + (c - cc) * (c - cc);
            // Negligible at the frame (≤ 1e−3 of the peak 11 px out), so cropping does not break the invariance.
            weights[r * width + c] = Math.Exp(-radius2 / (2 * 3.0 * 3.0)) * (1 + radius2 / 9);
        }
        var w = tensor(weights, new long[] { 1, height * width });
        return images => (images.reshape(images.shape[0], -1) * w).sum(1);
    }

    private static SymmetryResult Analyze(Tensor images, SpatialPrior prior, int height, int width)
    {
        var matrix = Polarization.Compute(RadialFunctional(height, width), images, prior, new PolarizationOptions { Transform = OutputTransform.None });
        return SymmetryAnalyzer.Analyze(matrix, LieAlgebra.For(Group.SO, 2, prior.GeneratorColumns), new SymmetryOptions { BootstrapResamples = 0, SubspaceDimension = 1 });
    }

    [Theory]
    [InlineData(28, 28)]
    [InlineData(24, 32)]
    public void Rotation_invariant_functional_yields_a_rotation_generator(int height, int width)
    {
        var images = SmoothImages.Blobs(300, height, width, seed: 1).Render();
        var result = Analyze(images, new SpatialPrior(SpatialConvention.Centered), height, width);

        var h = result.Generators[0];
        Assert.True(result.Bias![0] < 0.02, $"bias {result.Bias[0]:F4} of the smallest generator [[{h[0][0]:F3}, {h[0][1]:F3}], [{h[1][0]:F3}, {h[1][1]:F3}]]");
        Assert.Equal(Math.Sqrt(0.5), Math.Abs(h[0][1]), 1);
        Assert.True(result.Spectrum[0] < 1e-3 * result.Spectrum[1], "the rotation direction must stand clearly apart");
    }

    [Fact]
    public void Centered_convention_has_strictly_lower_bias_than_reference()
    {
        var images = SmoothImages.Blobs(300, 28, 28, seed: 2).Render();
        var centered = Analyze(images, new SpatialPrior(SpatialConvention.Centered), 28, 28);
        var reference = Analyze(images, new SpatialPrior(SpatialConvention.Reference), 28, 28);

        Assert.True(centered.Bias![0] < reference.Bias![0], $"centered {centered.Bias[0]:E3} vs reference {reference.Bias[0]:E3}");
        Assert.True(centered.RelativeVariance < reference.RelativeVariance);
    }

    [Fact]
    public void Affine_prior_finds_rotation_about_the_centre_and_no_translation()
    {
        var images = SmoothImages.Blobs(300, 28, 28, seed: 3).Render();
        var result = Analyze(images, new SpatialPrior(SpatialConvention.Centered, Affine: true), 28, 28);
        var h = result.Generators[0];
        Assert.Equal(3, h[0].Length);
        Assert.True(result.Bias![0] < 0.05, $"bias {result.Bias[0]:F4}");
        Assert.True(Math.Abs(h[0][2]) < 0.05 && Math.Abs(h[1][2]) < 0.05, "a rotation about the true centre has no translation part");
    }

    [Fact]
    public void Reference_coordinates_follow_the_authors_code()
    {
        var prior = new SpatialPrior(SpatialConvention.Reference);
        Assert.Equal((-1.0, -1.0), prior.Coordinates(0, 0, 28, 28));
        Assert.Equal((0.0, 13.0 / 14 - 1), prior.Coordinates(14, 13, 28, 28));
        var centered = new SpatialPrior();
        Assert.Equal((-13.5 / 14, 13.5 / 14), centered.Coordinates(0, 27, 28, 28));
        Assert.Equal((3.0, 4.0), centered.PixelOf(centered.Coordinates(3, 4, 28, 28).Row, centered.Coordinates(3, 4, 28, 28).Column, 28, 28));
    }

    [Fact]
    public void Vector_data_is_rejected_with_the_alternative()
    {
        var error = Assert.Throws<ArgumentException>(() => new SpatialPrior().Prepare(zeros(4, 10)));
        Assert.Contains("generic prior", error.Message);
    }
}
