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

    /// <summary>How the blur extends images beyond their border.</summary>
    public BlurEdge BlurEdge { get; init; } = BlurEdge.Nearest;

    /// <summary>Normalise with <see cref="ImageTransforms.RotatedMnistMean"/> / <see cref="ImageTransforms.RotatedMnistStd"/>.</summary>
    public bool Normalize { get; init; } = true;
}

/// <summary>
/// Rotated MNIST generated from any MNIST digits: each digit gets an angle ~ U[0°, 360°) from a seeded
/// generator and is rotated bilinearly about its centre with zero fill, then (optionally) blurred and
/// normalised. The splits are drawn by <see cref="DigitSplits"/>: from one pool, or keeping the files' own split.
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

    public static TensorDataset Create(MnistDigits digits, RotatedMnistOptions options) => Pooled(DigitSource.Pooled(digits), options, rotate: true);

    /// <summary>The same pipeline without the rotation: plain MNIST with the same split, blur and normalisation.</summary>
    public static TensorDataset CreateUnrotated(MnistDigits digits, RotatedMnistOptions options) => Pooled(DigitSource.Pooled(digits), options, rotate: false);

    /// <summary>
    /// Images that are already rotated (e.g. the classic rot-MNIST <c>.amat</c> files): used as they are, then
    /// split, blurred and normalised like generated rotated MNIST.
    /// </summary>
    public static TensorDataset FromRotatedImages(LabelledImages images, RotatedMnistOptions options) => Pooled(DigitSource.PooledRotated(images), options, rotate: true);

    private static TensorDataset Pooled(DigitSource source, RotatedMnistOptions options, bool rotate)
        => Build(source, DigitSplits.Pooled(source, options.Seed, options.TrainCount, options.ValidationCount, options.TestCount), options, rotate);

    /// <summary>
    /// The digits <paramref name="splits"/> selects, rotated (when <paramref name="rotate"/> and the source is not rotated
    /// already: digit i of the source by <see cref="AnglesDegrees"/>[i]), blurred and normalised.
    /// </summary>
    public static TensorDataset Build(DigitSource source, DigitSplits splits, RotatedMnistOptions options, bool rotate)
    {
        int rows = source.Rows, columns = source.Columns, size = rows * columns;
        var selected = splits.Train.Concat(splits.Validation).Concat(splits.Test).ToArray();
        var images = new float[selected.Length * size];
        Parallel.For(0, selected.Length, i => source.CopyUnit(selected[i], images.AsSpan(i * size, size)));
        bool rotateHere = rotate && !source.Rotated;
        if (rotateHere)
        {
            var angles = AnglesDegrees(options.Seed, source.Count);
            images = ImageTransforms.RotateAll(images, rows, columns, selected.Select(index => angles[index] * Math.PI / 180).ToArray());
        }
        string rotation = rotateHere
            ? $"rotated here: one uniform angle in [0°, 360°) per digit (seed {options.Seed}), bilinear about the centre, zero fill"
            : source.Rotated ? "given rotated: the files' images are used as they are" : "not rotated";
        string description = source.Rotated ? $"rotated MNIST as given in {source.Description}" : $"{(rotate ? "rotated " : "")}MNIST from {source.Description}, seed {options.Seed}";
        string blur = "none";
        if (options.BlurSigma > 0)
        {
            images = ImageTransforms.GaussianBlur(images, rows, columns, options.BlurSigma, options.BlurEdge);
            blur = $"Gaussian σ = {options.BlurSigma.ToString(System.Globalization.CultureInfo.InvariantCulture)} px, {options.BlurEdge.ToString().ToLowerInvariant()} edges{(rotateHere ? ", after the rotation" : "")}";
            description += $", blur σ = {options.BlurSigma} ({options.BlurEdge.ToString().ToLowerInvariant()} edges)";
        }
        string normalization = "none";
        if (options.Normalize)
        {
            ImageTransforms.Normalize(images, ImageTransforms.RotatedMnistMean, ImageTransforms.RotatedMnistStd);
            normalization = FormattableString.Invariant($"(x − {ImageTransforms.RotatedMnistMean}) / {ImageTransforms.RotatedMnistStd}, pixels x in [0, 1]");
            description += ", normalised";
        }
        var labels = selected.Select(index => source.Labels[index]).ToArray();
        var provenance = new DataProvenance(source.Description, source.Files,
            new SplitProvenance(splits.Train.Length, splits.TrainOrigin), new SplitProvenance(splits.Validation.Length, splits.ValidationOrigin), new SplitProvenance(splits.Test.Length, splits.TestOrigin),
            rotation, blur, normalization) { GivenRotated = source.Rotated };
        var identity = Enumerable.Range(0, selected.Length).ToArray();
        return ImageDatasets.Split(rotate ? "rotated-mnist" : "mnist", images, labels, rows, columns, identity, splits.Train.Length, splits.Validation.Length, splits.Test.Length, description,
            provenance: provenance);
    }
}

/// <summary>Helpers that turn image arrays into a <see cref="TensorDataset"/> of [N, H, W] float inputs and int64 labels.</summary>
public static class ImageDatasets
{
    public static TensorDataset Split(string name, float[] images, byte[] labels, int rows, int columns, int[] order, int trainCount, int validationCount, int testCount, string description, int classes = 10,
        DataProvenance? provenance = null)
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
            Take(0, trainCount), Take(trainCount, validationCount), Take(trainCount + validationCount, testCount), description)
        {
            Provenance = provenance,
        };
    }
}
