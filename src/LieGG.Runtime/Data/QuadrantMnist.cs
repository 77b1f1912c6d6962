using LieGG.Dsl;
using static TorchSharp.torch;

namespace LieGG.Runtime.Data;

/// <summary>Settings of the quadrant task of ELLA's Table 1.</summary>
public sealed record QuadrantMnistOptions
{
    /// <summary>Seed of the quadrants and of the split.</summary>
    public int Seed { get; init; }

    /// <summary>Side of the square canvas; the digit fills one quadrant of it.</summary>
    public int Canvas { get; init; } = 16;

    /// <summary>Side the 28×28 digit is resized to; at most half the canvas.</summary>
    public int DigitSize { get; init; } = 8;

    public QuadrantTask Task { get; init; } = QuadrantTask.Digit;

    public int TrainCount { get; init; } = 8000;

    public int ValidationCount { get; init; } = 500;

    public int TestCount { get; init; } = 1500;

    public void Validate()
    {
        if (Canvas < 2 || Canvas % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(Canvas), Canvas, "Canvas must be an even number of pixels (two quadrants per side).");
        if (DigitSize < 1 || DigitSize > Canvas / 2)
            throw new ArgumentOutOfRangeException(nameof(DigitSize), DigitSize, $"DigitSize must lie in 1…{Canvas / 2} (half the {Canvas}-pixel canvas) so the digit fits in one quadrant.");
        if (TrainCount <= 0 || ValidationCount < 0 || TestCount <= 0)
            throw new ArgumentException($"Quadrant MNIST split sizes must be positive (train {TrainCount}, validation {ValidationCount}, test {TestCount}).");
    }
}

/// <summary>
/// The strict-versus-partial symmetry task of ELLA (van der Ouderaa et al. 2023, Table 1): each digit is resized
/// to <c>DigitSize</c>² (bilinear, antialiased) and pasted at the top-left corner of a seeded quadrant of a zero
/// <c>Canvas</c>² canvas, then normalised (mean 0.1307, std 0.3081). <see cref="QuadrantTask.Digit"/> labels the
/// digit (10 classes, translation-invariant); <see cref="QuadrantTask.DigitQuadrant"/> labels digit + 10·quadrant
/// (40 classes), which no network invariant to shifts by half the canvas can solve beyond ≈ 25 %.
/// Quadrants are numbered row-major: 0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right.
/// </summary>
public static class QuadrantMnist
{
    public const double Mean = 0.1307;

    public const double Std = 0.3081;

    /// <summary>The quadrant (0–3) given to digit i for <paramref name="seed"/>.</summary>
    public static int[] Quadrants(int seed, int count)
    {
        var random = new SeededRandom(seed, stream: 3);
        var quadrants = new int[count];
        for (int i = 0; i < count; i++) quadrants[i] = random.NextInt(4);
        return quadrants;
    }

    public static TensorDataset Create(MnistDigits digits, QuadrantMnistOptions options)
    {
        options.Validate();
        DigitCanvas.RequireDigits("Quadrant MNIST", digits, options.TrainCount, options.ValidationCount, options.TestCount);

        int canvas = options.Canvas, size = options.DigitSize, half = canvas / 2;
        var small = ImageTransforms.Resize(ImageTransforms.ToUnitRange(digits.Images.Pixels), digits.Count, digits.Rows, digits.Columns, size);
        var quadrants = Quadrants(options.Seed, digits.Count);
        var images = DigitCanvas.Paste(small, digits.Count, size, canvas, i => (quadrants[i] / 2 * half, quadrants[i] % 2 * half));
        var labels = digits.Labels.Select((label, i) => (byte)(options.Task == QuadrantTask.Digit ? label : label + 10 * quadrants[i])).ToArray();
        var order = RotatedMnist.SplitOrder(options.Seed, digits.Count);
        string description = $"quadrant MNIST ({options.Task}, {size}×{size} digits on a {canvas}×{canvas} canvas) from {digits.Source}, seed {options.Seed}, normalised";
        return ImageDatasets.Split($"quadrant-mnist-{(options.Task == QuadrantTask.Digit ? "digit" : "digit-quadrant")}", images, labels, canvas, canvas, order,
            options.TrainCount, options.ValidationCount, options.TestCount, description, ClassCount(options.Task));
    }

    public static int ClassCount(QuadrantTask task) => task == QuadrantTask.Digit ? 10 : 40;
}
