using LieGG.Dsl;
using LieGG.Runtime.Data;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Data;

public sealed class QuadrantMnistTests
{
    [Theory]
    [InlineData(QuadrantTask.Digit, 10)]
    [InlineData(QuadrantTask.DigitQuadrant, 40)]
    public void Each_digit_lies_in_its_seeded_quadrant_and_the_label_says_so(QuadrantTask task, int classes)
    {
        var digits = MnistDigits.Embedded();
        var options = new QuadrantMnistOptions { Seed = 3, Task = task, Canvas = 16, DigitSize = 8, TrainCount = 300, ValidationCount = 50, TestCount = 50 };
        using var data = QuadrantMnist.Create(digits, options);
        Assert.Equal(classes, data.OutputSize);
        Assert.Equal(new[] { 16, 16 }, data.InputShape);
        var quadrants = QuadrantMnist.Quadrants(3, digits.Count);
        var order = RotatedMnist.SplitOrder(3, digits.Count);
        float background = (float)(-QuadrantMnist.Mean / QuadrantMnist.Std);
        for (int i = 0; i < 300; i++)
        {
            int source = order[i], q = quadrants[source];
            var image = data.Train.Inputs[i];
            // All ink inside the quadrant's top-left 8×8 corner; the rest of the canvas is background.
            var ink = (image - background).abs().gt(1e-6);
            var inside = ink[(q / 2 * 8)..(q / 2 * 8 + 8), (q % 2 * 8)..(q % 2 * 8 + 8)].sum().item<long>();
            Assert.Equal(ink.sum().item<long>(), inside);
            Assert.True(inside > 0);
            long label = data.Train.Targets[i].item<long>();
            Assert.Equal(task == QuadrantTask.Digit ? digits.Labels[source] : digits.Labels[source] + 10 * q, label);
        }
        var counts = Enumerable.Range(0, 4).Select(q => quadrants.Count(v => v == q)).ToArray();
        Assert.All(counts, c => Assert.InRange(c, 2300, 2700));
    }

    [Fact]
    public void A_digit_larger_than_a_quadrant_is_refused_with_the_field_named()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => QuadrantMnist.Create(MnistDigits.Embedded(), new QuadrantMnistOptions { Canvas = 16, DigitSize = 9 }));
        Assert.Contains("DigitSize", error.Message);
    }
}
