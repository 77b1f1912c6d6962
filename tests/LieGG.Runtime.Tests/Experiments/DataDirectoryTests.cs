using System.Globalization;
using LieGG.Runtime.Data;
using LieGG.Runtime.Experiments;

namespace LieGG.Runtime.Tests.Experiments;

/// <summary>--data-dir: IDX digits are rotated like the embedded ones; rot-MNIST .amat images are used as they are.</summary>
public sealed class DataDirectoryTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("liegg-data-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static float[] Image(int index) => Enumerable.Range(0, 784).Select(p => (p * 7 + index * 13) % 17 == 0 ? 1f : 0f).ToArray();

    [Fact]
    public void Amat_images_are_used_without_a_second_rotation()
    {
        var lines = Enumerable.Range(0, 50).Select(i =>
            string.Join(' ', Image(i).Select(v => v.ToString(CultureInfo.InvariantCulture))) + " " + (i % 10).ToString(CultureInfo.InvariantCulture));
        File.WriteAllLines(Path.Combine(directory, "mnist_all_rotation_normalized_float_test.amat"), lines);

        var spec = new MnistDatasetSpec(Rotate: true, TrainCount: 30, ValidationCount: 10, TestCount: 10, Normalize: false);
        using var data = spec.Load(new DatasetContext(Seed: 1, DataDirectory: directory, Quick: false));

        var originals = Enumerable.Range(0, 50).Select(i => string.Join(",", Image(i))).ToHashSet();
        var train = data.Train.Inputs.reshape(30, 784);
        for (int i = 0; i < 30; i++)
            Assert.Contains(string.Join(",", train[i].data<float>().ToArray()), originals);
    }

    [Fact]
    public void Idx_digits_in_a_directory_are_rotated()
    {
        var digits = MnistDigits.Embedded();
        var pixels = digits.Images.Pixels.AsSpan(0, 60 * 784).ToArray();
        IdxFile.WriteImages(Path.Combine(directory, "train-images-idx3-ubyte.gz"), new IdxImages(60, 28, 28, pixels));
        IdxFile.WriteLabels(Path.Combine(directory, "train-labels-idx1-ubyte.gz"), digits.Labels.AsSpan(0, 60).ToArray());

        var rotated = new MnistDatasetSpec(Rotate: true, TrainCount: 40, ValidationCount: 10, TestCount: 10, Normalize: false);
        var plain = rotated with { Rotate = false };
        using var a = rotated.Load(new DatasetContext(2, directory, false));
        using var b = plain.Load(new DatasetContext(2, directory, false));

        Assert.Equal(a.Train.Targets.data<long>().ToArray(), b.Train.Targets.data<long>().ToArray());
        Assert.False(TensorComparison.SameValues(a.Train.Inputs, b.Train.Inputs));
    }
}
