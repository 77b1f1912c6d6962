using LieGG.Runtime.Data;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Data;

/// <summary>ELLA's Table 3 datasets: each digit, resized (and rotated), sits where its seed says on the canvas, labelled by the digit.</summary>
public sealed class CanvasMnistTests
{
    private static readonly float Background = (float)(-QuadrantMnist.Mean / QuadrantMnist.Std);

    private static TensorDataset Create(bool translate, bool rotate, int seed = 3)
        => CanvasMnist.Create(MnistDigits.Embedded(), new CanvasMnistOptions { Seed = seed, Translate = translate, Rotate = rotate, Canvas = 32, DigitSize = 16, TrainCount = 300, ValidationCount = 50, TestCount = 50 });

    /// <summary>Digit <paramref name="source"/> resized to 16×16 by torch directly, normalised: what must appear on the canvas.</summary>
    private static Tensor Expected(float[] unit, int source)
    {
        var digit = tensor(unit.AsSpan(source * 784, 784).ToArray(), new long[] { 1, 1, 28, 28 });
        var resized = nn.functional.interpolate(digit, new long[] { 16, 16 }, mode: InterpolationMode.Bilinear, align_corners: false, antialias: true)[0, 0];
        return (resized - QuadrantMnist.Mean) / QuadrantMnist.Std;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Each_digit_is_its_resized_image_at_its_place_on_a_blank_canvas_with_its_label(bool translate, bool rotate)
    {
        var digits = MnistDigits.Embedded();
        using var data = Create(translate, rotate);
        Assert.Equal(new[] { 32, 32 }, data.InputShape);
        Assert.Equal(10, data.OutputSize);
        var unit = ImageTransforms.ToUnitRange(digits.Images.Pixels);
        var angles = RotatedMnist.AnglesDegrees(3, digits.Count);
        var offsets = CanvasMnist.Offsets(3, digits.Count, 32, 16);
        var order = RotatedMnist.SplitOrder(3, digits.Count);
        for (int i = 0; i < 40; i++)
        {
            int source = order[i];
            var digit = unit;
            if (rotate)
            {
                // The digit alone, rotated by its seeded angle: an independent rotation of one image.
                digit = new float[unit.Length];
                ImageTransforms.Rotate(unit.AsSpan(source * 784, 784), digit.AsSpan(source * 784, 784), 28, 28, angles[source] * Math.PI / 180);
            }
            var (top, left) = translate ? offsets[source] : (8, 8);
            var image = data.Train.Inputs[i];
            Assert.True((image[top..(top + 16), left..(left + 16)] - Expected(digit, source)).abs().max().item<float>() < 1e-5);
            var outside = image.clone();
            outside[top..(top + 16), left..(left + 16)] = Background;
            Assert.True((outside - Background).abs().max().item<float>() < 1e-6);
            Assert.Equal(digits.Labels[source], data.Train.Targets[i].item<long>());
        }
    }

    [Fact]
    public void Translations_cover_the_canvas_and_follow_the_seed()
    {
        var offsets = CanvasMnist.Offsets(3, 10_000, 32, 16);
        Assert.All(offsets, o => { Assert.InRange(o.Row, 0, 16); Assert.InRange(o.Column, 0, 16); });
        // 17 positions per axis, each drawn about 10 000 / 17 ≈ 588 times.
        Assert.All(Enumerable.Range(0, 17), p => Assert.InRange(offsets.Count(o => o.Row == p), 450, 730));
        Assert.Equal(offsets, CanvasMnist.Offsets(3, 10_000, 32, 16));
        Assert.NotEqual(offsets, CanvasMnist.Offsets(4, 10_000, 32, 16));
    }

    [Fact]
    public void A_digit_larger_than_the_canvas_is_refused_with_the_field_named()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => CanvasMnist.Create(MnistDigits.Embedded(), new CanvasMnistOptions { Canvas = 16, DigitSize = 20 }));
        Assert.Equal("DigitSize", error.ParamName);
    }
}
