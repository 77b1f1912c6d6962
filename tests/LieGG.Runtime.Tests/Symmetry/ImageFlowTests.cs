using LieGG.Runtime.Data;
using LieGG.Runtime.Symmetry;

namespace LieGG.Runtime.Tests.Symmetry;

public sealed class ImageFlowTests
{
    private static float[] RandomImage(int seed)
    {
        var random = new SeededRandom(seed);
        return Enumerable.Range(0, 28 * 28).Select(_ => (float)random.NextDouble()).ToArray();
    }

    [Fact]
    public void Unit_rotation_generator_for_a_quarter_period_is_rotation_by_90_degrees()
    {
        // h = J/√2 has unit norm; exp(−t·h) rotates by t/√2, so t = √2·π/2 is a quarter turn.
        var image = RandomImage(1);
        double s = Math.Sqrt(0.5);
        var generator = new[] { new[] { 0, s }, new[] { -s, 0 } };
        var flowed = ImageFlow.Transform(image, 28, 28, generator, Math.Sqrt(2) * Math.PI / 2, new SpatialPrior());

        var clockwise = new float[image.Length];
        var counterClockwise = new float[image.Length];
        ImageTransforms.Rotate(image, clockwise, 28, 28, -Math.PI / 2);
        ImageTransforms.Rotate(image, counterClockwise, 28, 28, Math.PI / 2);
        bool matches = flowed.SequenceEqual(clockwise) || flowed.SequenceEqual(counterClockwise);
        Assert.True(matches, "a quarter turn of the flow must be an exact 90° pixel permutation");
    }

    [Fact]
    public void Translation_generator_shifts_by_whole_pixels()
    {
        var image = RandomImage(2);
        var generator = new[] { new double[] { 0, 0, 1 }, new double[] { 0, 0, 0 } };
        // One pixel is 1/14 in centred coordinates of a 28×28 image: I_t(p) = I(p − t·e_row).
        var flowed = ImageFlow.Transform(image, 28, 28, generator, 2.0 / 14, new SpatialPrior(Affine: true));
        for (int r = 0; r < 28; r++)
        for (int c = 0; c < 28; c++)
            Assert.Equal(r >= 2 ? image[(r - 2) * 28 + c] : 0f, flowed[r * 28 + c]);
    }

    [Fact]
    public void Zero_time_is_the_identity()
    {
        var image = RandomImage(3);
        var flowed = ImageFlow.Transform(image, 28, 28, [[0.3, 0.1], [0.5, -0.2]], 0, new SpatialPrior());
        Assert.Equal(image, flowed);
    }
}
