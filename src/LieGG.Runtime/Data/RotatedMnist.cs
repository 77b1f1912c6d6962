using LieGG.Dsl;
using static TorchSharp.torch;

namespace LieGG.Runtime.Data;

/// <summary>Settings of a generated rotated-MNIST dataset.</summary>
public sealed record RotatedMnistOptions
{
    /// <summary>Seed of the per-digit angles and of the split.</summary>
    public int Seed { get; init; }

    public int TrainCount { get; init; } = 8000;

    public int ValidationCount { get; init; } = 1000;

    public int TestCount { get; init; } = 1000;

    /// <summary>Gaussian blur σ in pixels applied after rotation; 0 = none.</summary>
    public double BlurSigma { get; init; }

    /// <summary>Normalise with <see cref="ImageTransforms.RotatedMnistMean"/> / <see cref="ImageTransforms.RotatedMnistStd"/>.</summary>
    public bool Normalize { get; init; } = true;
}

/// <summary>
/// Rotated MNIST generated from any MNIST digits: each digit gets an angle ~ U[0°, 360°) from a seeded
/// generator and is rotated bilinearly about its centre with zero fill, then (optionally) blurred and
/// normalised. The pooled digits are split into train / validation / test by a seeded permutation.
/// </summary>
public static class RotatedMnist
{
    /// <summary>The angle (degrees, counter-clockwise) given to digit i for <paramref name="seed"/>.</summary>
    public static double[] AnglesDegrees(int seed, int count)
    {
        var random = new SeededRandom(seed, stream: 1);
        var angles = new double[count];
        for (int i = 0; i < count; i++) angles[i] = 360.0 * random.NextDouble();
        return angles;
    }

    /// <summary>The seeded permutation whose first TrainCount entries are the training digits, and so on.</summary>
    public static int[] SplitOrder(int seed, int count) => new SeededRandom(seed, stream: 2).Permutation(count);

    public static TensorDataset Create(MnistDigits digits, RotatedMnistOptions options) => Build(digits, options, rotate: true);

    /// <summary>The same pipeline without the rotation: plain MNIST with the same split, blur and normalisation.</summary>
    public static TensorDataset CreateUnrotated(MnistDigits digits, RotatedMnistOptions options) => Build(digits, options, rotate: false);

    /// <summary>
    /// Images that are already rotated (e.g. the classic rot-MNIST <c>.amat</c> files): used as they are, then
    /// split, blurred and normalised like generated rotated MNIST.
    /// </summary>
    public static TensorDataset FromRotatedImages(LabelledImages images, RotatedMnistOptions options)
    {
        CheckSizes(options, images.Count, images.Source);
        var pixels = (float[])images.Pixels.Clone();
        var description = $"rotated MNIST as given in {images.Source}";
        return Finish(pixels, images.Labels, images.Rows, images.Columns, options, description);
    }

    private static void CheckSizes(RotatedMnistOptions options, int available, string source)
    {
        int needed = options.TrainCount + options.ValidationCount + options.TestCount;
        if (options.TrainCount <= 0 || options.ValidationCount < 0 || options.TestCount <= 0)
            throw new ArgumentException($"Rotated MNIST split sizes must be positive (train {options.TrainCount}, validation {options.ValidationCount}, test {options.TestCount}).");
        if (needed > available)
            throw new ArgumentException($"Rotated MNIST asks for {needed} digits (train {options.TrainCount} + validation {options.ValidationCount} + test {options.TestCount}) but {source} has {available}; reduce the split sizes or supply more digits.");
    }

    private static TensorDataset Build(MnistDigits digits, RotatedMnistOptions options, bool rotate)
    {
        CheckSizes(options, digits.Count, digits.Source);
        var images = ImageTransforms.ToUnitRange(digits.Images.Pixels);
        if (rotate)
        {
            var angles = AnglesDegrees(options.Seed, digits.Count).Select(a => a * Math.PI / 180).ToArray();
            images = ImageTransforms.RotateAll(images, digits.Rows, digits.Columns, angles);
        }
        var description = $"{(rotate ? "rotated " : "")}MNIST from {digits.Source}, seed {options.Seed}";
        return Finish(images, digits.Labels, digits.Rows, digits.Columns, options, description, rotate ? "rotated-mnist" : "mnist");
    }

    private static TensorDataset Finish(float[] images, byte[] labels, int rows, int columns, RotatedMnistOptions options, string description, string name = "rotated-mnist")
    {
        if (options.BlurSigma > 0)
        {
            images = ImageTransforms.GaussianBlur(images, rows, columns, options.BlurSigma);
            description += $", blur σ = {options.BlurSigma}";
        }
        if (options.Normalize)
        {
            ImageTransforms.Normalize(images, ImageTransforms.RotatedMnistMean, ImageTransforms.RotatedMnistStd);
            description += ", normalised";
        }
        var order = SplitOrder(options.Seed, labels.Length);
        return ImageDatasets.Split(name, images, labels, rows, columns, order, options.TrainCount, options.ValidationCount, options.TestCount, description);
    }
}

/// <summary>Helpers that turn image arrays into a <see cref="TensorDataset"/> of [N, H, W] float inputs and int64 labels.</summary>
public static class ImageDatasets
{
    public static TensorDataset Split(string name, float[] images, byte[] labels, int rows, int columns, int[] order, int trainCount, int validationCount, int testCount, string description, int classes = 10)
    {
        int size = rows * columns;
        DataSplit Take(int start, int count)
        {
            var inputs = new float[count * size];
            var targets = new long[count];
            for (int i = 0; i < count; i++)
            {
                int source = order[start + i];
                Array.Copy(images, source * size, inputs, i * size, size);
                targets[i] = labels[source];
            }
            return new DataSplit(tensor(inputs, new long[] { count, rows, columns }), tensor(targets, new long[] { count }));
        }
        return new TensorDataset(name, TaskKind.Classification, new[] { rows, columns }, classes,
            Take(0, trainCount), Take(trainCount, validationCount), Take(trainCount + validationCount, testCount), description);
    }
}
