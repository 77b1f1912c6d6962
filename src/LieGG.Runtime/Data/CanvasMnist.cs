using LieGG.Dsl;

namespace LieGG.Runtime.Data;

/// <summary>Settings of MNIST on a larger canvas (ELLA's Table 3 datasets).</summary>
public sealed record CanvasMnistOptions
{
    /// <summary>Seed of the angles, the offsets and the split.</summary>
    public int Seed { get; init; }

    public int Canvas { get; init; } = Defaults.CanvasMnistCanvas;

    /// <summary>Side the 28×28 digit is resized to; at most the canvas.</summary>
    public int DigitSize { get; init; } = Defaults.CanvasMnistDigitSize;

    /// <summary>A seeded offset per digit instead of the centre.</summary>
    public bool Translate { get; init; }

    /// <summary>A seeded angle per digit, applied to the 28×28 digit before resizing.</summary>
    public bool Rotate { get; init; }

    public int TrainCount { get; init; } = Defaults.MnistTrainCount;

    public int ValidationCount { get; init; } = Defaults.MnistValidationCount;

    public int TestCount { get; init; } = Defaults.MnistTestCount;

    public void Validate()
    {
        if (Canvas < 1) throw new ArgumentOutOfRangeException(nameof(Canvas), Canvas, "Canvas must be at least one pixel.");
        if (DigitSize < 1 || DigitSize > Canvas)
            throw new ArgumentOutOfRangeException(nameof(DigitSize), DigitSize, $"DigitSize must lie in 1…{Canvas} (the canvas side).");
        if (TrainCount <= 0 || ValidationCount < 0 || TestCount <= 0)
            throw new ArgumentException($"Canvas MNIST split sizes must be positive (train {TrainCount}, validation {ValidationCount}, test {TestCount}).");
    }
}

/// <summary>
/// MNIST, translated MNIST and rotated MNIST as ELLA's Table 3 uses them, on a canvas a [RelaxedCnn] can halve down to
/// 2×2: each digit — rotated about its centre by its seeded angle when <c>Rotate</c> (the angles of
/// <see cref="RotatedMnist.AnglesDegrees"/>) — is resized to <c>DigitSize</c>² (bilinear, antialiased) and pasted on a
/// zero canvas at the centre or, when <c>Translate</c>, at a seeded offset drawn uniformly from every position where it
/// fits; then normalised (mean 0.1307, std 0.3081). Labels are the digits.
/// </summary>
public static class CanvasMnist
{
    /// <summary>The top-left corner (row, column) of digit i for <paramref name="seed"/>: uniform over the canvas − size + 1 positions per axis.</summary>
    public static (int Row, int Column)[] Offsets(int seed, int count, int canvas, int size)
    {
        var random = new SeededRandom(seed, stream: 4);
        var offsets = new (int, int)[count];
        for (int i = 0; i < count; i++) offsets[i] = (random.NextInt(canvas - size + 1), random.NextInt(canvas - size + 1));
        return offsets;
    }

    public static TensorDataset Create(MnistDigits digits, CanvasMnistOptions options)
    {
        options.Validate();
        DigitCanvas.RequireDigits("Canvas MNIST", digits, options.TrainCount, options.ValidationCount, options.TestCount);

        int canvas = options.Canvas, size = options.DigitSize;
        var unit = ImageTransforms.ToUnitRange(digits.Images.Pixels);
        if (options.Rotate)
            unit = ImageTransforms.RotateAll(unit, digits.Rows, digits.Columns, RotatedMnist.AnglesDegrees(options.Seed, digits.Count).Select(d => d * Math.PI / 180).ToList());
        var small = ImageTransforms.Resize(unit, digits.Count, digits.Rows, digits.Columns, size);
        var offsets = options.Translate ? Offsets(options.Seed, digits.Count, canvas, size) : null;
        int centre = (canvas - size) / 2;
        var images = DigitCanvas.Paste(small, digits.Count, size, canvas, i => offsets?[i] ?? (centre, centre));
        var order = RotatedMnist.SplitOrder(options.Seed, digits.Count);
        string kind = (options.Translate, options.Rotate) switch
        {
            (false, false) => "MNIST",
            (true, false) => "translated MNIST",
            (false, true) => "rotated MNIST",
            _ => "rotated and translated MNIST",
        };
        string description = $"{kind} ({size}×{size} digits on a {canvas}×{canvas} canvas) from {digits.Source}, seed {options.Seed}, normalised";
        return ImageDatasets.Split($"canvas-mnist{(options.Translate ? "-translated" : "")}{(options.Rotate ? "-rotated" : "")}", images, digits.Labels.ToArray(), canvas, canvas, order,
            options.TrainCount, options.ValidationCount, options.TestCount, description);
    }
}
