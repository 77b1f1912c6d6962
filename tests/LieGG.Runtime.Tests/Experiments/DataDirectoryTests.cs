using System.Globalization;
using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Experiments;

namespace LieGG.Runtime.Tests.Experiments;

/// <summary>
/// --data-dir: the files' own split is kept (validation carved from train only when there are no validation files),
/// IDX digits are rotated unless declared prerotated, rot-MNIST .amat images are used as they are, and the run
/// records where every split came from.
/// </summary>
public sealed class DataDirectoryTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("liegg-data-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>A distinct image per index (pixel 0 encodes it).</summary>
    private static float[] Image(int index) => Enumerable.Range(0, 784).Select(p => p == 0 ? (index + 1) / 256f : (p * 7 + index * 13) % 17 == 0 ? 1f : 0f).ToArray();

    private static string Key(float[] pixels) => string.Join(",", pixels.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    private static HashSet<string> Rows(TorchSharp.torch.Tensor images)
    {
        var flat = images.reshape(images.shape[0], -1);
        return Enumerable.Range(0, (int)flat.shape[0]).Select(i => Key(flat[i].data<float>().ToArray())).ToHashSet();
    }

    private void WriteAmat(string name, int first, int count)
    {
        var lines = Enumerable.Range(first, count).Select(i =>
            string.Join(' ', Image(i).Select(v => v.ToString(CultureInfo.InvariantCulture))) + " " + (i % 10).ToString(CultureInfo.InvariantCulture));
        File.WriteAllLines(Path.Combine(directory, name), lines);
    }

    /// <summary>Writes embedded digits first … first+count−1 as one IDX pair with the given prefix.</summary>
    private void WriteIdx(string prefix, int first, int count)
    {
        var digits = MnistDigits.Embedded();
        IdxFile.WriteImages(Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz"), new IdxImages(count, 28, 28, digits.Images.Pixels.AsSpan(first * 784, count * 784).ToArray()));
        IdxFile.WriteLabels(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte.gz"), digits.Labels.AsSpan(first, count).ToArray());
    }

    private static HashSet<string> UnitImages(int first, int count)
    {
        var digits = MnistDigits.Embedded();
        return Enumerable.Range(first, count).Select(i => Key(digits.Images.Pixels.AsSpan(i * 784, 784).ToArray().Select(b => b / 255f).ToArray())).ToHashSet();
    }

    [Fact]
    public void Amat_images_are_used_as_given_and_keep_their_train_test_files()
    {
        WriteAmat("mnist_all_rotation_normalized_float_train_valid.amat", 0, 40);
        WriteAmat("mnist_all_rotation_normalized_float_test.amat", 100, 30);

        var spec = new MnistDatasetSpec(Rotate: true, TrainCount: 30, ValidationCount: 10, TestCount: 20, Normalize: false);
        using var data = (TensorDataset)spec.Load(new DatasetContext(Seed: 1, DataDirectory: directory, Quick: false));

        var trainFile = Enumerable.Range(0, 40).Select(i => Key(Image(i))).ToHashSet();
        var testFile = Enumerable.Range(100, 30).Select(i => Key(Image(i))).ToHashSet();
        Assert.Subset(trainFile, Rows(data.Train.Inputs));
        Assert.Subset(trainFile, Rows(data.Validation.Inputs));
        Assert.Subset(testFile, Rows(data.Test.Inputs));
        Assert.Empty(Rows(data.Train.Inputs).Intersect(Rows(data.Validation.Inputs)));
        Assert.StartsWith("given rotated", data.Provenance!.Rotation);
        Assert.True(data.Provenance.GivenRotated);
    }

    [Fact]
    public void A_directory_keeps_its_train_and_test_files_apart_and_rotates_idx_digits()
    {
        WriteIdx("train", 0, 60);
        WriteIdx("t10k", 60, 20);

        var rotated = new MnistDatasetSpec(Rotate: true, TrainCount: 40, ValidationCount: 10, TestCount: 20, Normalize: false);
        var plain = rotated with { Rotate = false };
        using var a = (TensorDataset)rotated.Load(new DatasetContext(2, directory, false));
        using var b = (TensorDataset)plain.Load(new DatasetContext(2, directory, false));

        Assert.Subset(UnitImages(0, 60), Rows(b.Train.Inputs));
        Assert.Subset(UnitImages(0, 60), Rows(b.Validation.Inputs));
        Assert.Equal(UnitImages(60, 20), Rows(b.Test.Inputs));
        Assert.Equal(a.Train.Targets.data<long>().ToArray(), b.Train.Targets.data<long>().ToArray());
        Assert.False(TensorComparison.SameValues(a.Train.Inputs, b.Train.Inputs));
        Assert.StartsWith("rotated here", a.Provenance!.Rotation);
        Assert.Equal("not rotated", b.Provenance!.Rotation);
        Assert.False(a.Provenance.GivenRotated || b.Provenance.GivenRotated);
        Assert.Contains("train-images-idx3-ubyte.gz", a.Provenance.Train.Origin);
        Assert.Contains("no validation files", a.Provenance.Validation.Origin);
        Assert.Equal("all 20 of t10k-images-idx3-ubyte.gz + t10k-labels-idx1-ubyte.gz", a.Provenance.Test.Origin);
        Assert.Equal(4, a.Provenance.Files.Count);
    }

    [Fact]
    public void Validation_files_are_used_when_present()
    {
        WriteIdx("train", 0, 30);
        WriteIdx("val", 30, 10);
        WriteIdx("test", 40, 10);

        var spec = new MnistDatasetSpec(Rotate: false, TrainCount: 30, ValidationCount: 10, TestCount: 10, Normalize: false);
        using var data = (TensorDataset)spec.Load(new DatasetContext(3, directory, false));

        Assert.Equal(UnitImages(0, 30), Rows(data.Train.Inputs));
        Assert.Equal(UnitImages(30, 10), Rows(data.Validation.Inputs));
        Assert.Equal(UnitImages(40, 10), Rows(data.Test.Inputs));
    }

    [Fact]
    public void Prerotated_idx_digits_are_used_as_they_are()
    {
        WriteIdx("train", 0, 50);
        WriteIdx("t10k", 50, 10);

        var spec = new MnistDatasetSpec(Rotate: true, TrainCount: 40, ValidationCount: 10, TestCount: 10, Normalize: false);
        using var byOption = (TensorDataset)spec.Load(new DatasetContext(4, directory, false, Prerotated: true));
        using var byDeclaration = (TensorDataset)(spec with { Prerotated = true }).Load(new DatasetContext(4, directory, false));

        Assert.Subset(UnitImages(0, 50), Rows(byOption.Train.Inputs));
        Assert.Equal(UnitImages(50, 10), Rows(byOption.Test.Inputs));
        Assert.True(TensorComparison.SameValues(byOption.Train.Inputs, byDeclaration.Train.Inputs));
        Assert.StartsWith("given rotated", byOption.Provenance!.Rotation);
        Assert.True(byOption.Provenance.GivenRotated && byDeclaration.Provenance!.GivenRotated);
    }

    [Fact]
    public void What_a_spec_says_it_will_do_with_the_files_is_what_loading_them_does()
    {
        WriteIdx("train", 0, 50);
        WriteIdx("t10k", 50, 10);
        var rotated = new MnistDatasetSpec(Rotate: true, TrainCount: 40, ValidationCount: 10, TestCount: 10, Normalize: false);
        var ways = new (MnistDatasetSpec Spec, DatasetContext Context, bool GivenRotated)[]
        {
            (rotated, new DatasetContext(1, directory, false), false),
            (rotated, new DatasetContext(1, directory, false, Prerotated: true), true),
            (rotated with { Prerotated = true }, new DatasetContext(1, directory, false), true),
            (rotated with { Rotate = false }, new DatasetContext(1, directory, false), false),
            (rotated, new DatasetContext(1, null, false), false),
        };
        foreach (var (spec, context, given) in ways)
        {
            using var data = (TensorDataset)spec.Load(context);
            Assert.Equal(given, data.Provenance!.GivenRotated);
            Assert.Equal(given, spec.UsesGivenRotatedDigits(context));
        }
        WriteAmat("mnist_all_rotation_normalized_float_train_valid.amat", 0, 60);
        WriteAmat("mnist_all_rotation_normalized_float_test.amat", 100, 30);
        var amat = new DatasetContext(1, directory, false);
        using (var data = (TensorDataset)rotated.Load(amat)) Assert.True(data.Provenance!.GivenRotated);
        Assert.True(rotated.UsesGivenRotatedDigits(amat));
    }

    [Fact]
    public void A_run_records_the_digits_as_given_rotated_whichever_way_it_was_asked()
    {
        WriteIdx("train", 0, 120);
        WriteIdx("t10k", 120, 30);
        var declared = new ExperimentSpec
        {
            Name = "prerotated-record",
            Dataset = new MnistDatasetSpec(Rotate: true, TrainCount: 100, ValidationCount: 10, TestCount: 20, Prerotated: true),
            Architecture = new MlpSpec(Hidden: 1, Width: 8),
            Training = new LieGG.Runtime.Training.TrainingOptions { Epochs = 1, BatchSize = 50 },
            Prior = new LieGG.Runtime.Symmetry.SpatialPrior(),
        };
        var options = new ExperimentRunOptions { DataDirectory = directory, Epochs = 1 };
        // The declaration alone (the reported case: the record said false), the flag alone, and neither; the settings text
        // says the same, and names the files as the digits instead of the declared (unused) embedded set.
        var undeclared = declared with { Dataset = ((MnistDatasetSpec)declared.Dataset) with { Prerotated = false } };
        foreach (var (spec, runOptions, given) in new[] { (declared, options, true), (undeclared, options with { Prerotated = true }, true), (undeclared, options, false) })
        {
            var result = LieGG.Runtime.Orchestration.ExperimentRunner.Run(spec, runOptions);
            Assert.Equal(given, result.Prerotated);
            var record = LieGG.Runtime.Results.RunRecord.Create(spec, result, DateTimeOffset.UnixEpoch);
            var settings = LieGG.Runtime.Reports.RunSettings.Rows(record).ToDictionary(r => r.Setting);
            Assert.Equal("the --data-dir files", settings["RotatedMnist.Digits"].Value);
            Assert.Equal(given ? "true" : "false", settings["RotatedMnist.Prerotated"].Value);
            Assert.Contains(directory, settings["RotatedMnist.Digits"].Note);
        }
    }

    [Fact]
    public void A_directory_without_test_files_is_an_error_unless_pooling_is_asked_for()
    {
        WriteIdx("train", 0, 60);
        var spec = new MnistDatasetSpec(Rotate: true, TrainCount: 40, ValidationCount: 10, TestCount: 10, Normalize: false);

        var error = Assert.Throws<ArgumentException>(() => spec.Load(new DatasetContext(2, directory, false)));
        Assert.Contains("no test files", error.Message);
        Assert.Contains("--pool-splits", error.Message);

        using var pooled = (TensorDataset)spec.Load(new DatasetContext(2, directory, false, PoolSplits: true));
        Assert.Equal(10, pooled.Test.Count);
        Assert.Contains("pooled", pooled.Provenance!.Test.Origin);
    }

    [Fact]
    public void Prerotated_contradicting_the_declaration_or_without_files_is_an_error()
    {
        WriteIdx("train", 0, 60);
        WriteIdx("t10k", 60, 20);
        var plain = new MnistDatasetSpec(Rotate: false, TrainCount: 40, ValidationCount: 10, TestCount: 10);
        Assert.Contains("[Mnist]", Assert.Throws<ArgumentException>(() => plain.Load(new DatasetContext(2, directory, false, Prerotated: true))).Message);
        var rotated = new MnistDatasetSpec(Rotate: true, TrainCount: 40, ValidationCount: 10, TestCount: 10, Prerotated: true);
        Assert.Contains("--data-dir", Assert.Throws<ArgumentException>(() => rotated.Load(new DatasetContext(2, null, false))).Message);
    }

    [Fact]
    public void Each_split_is_its_file_unless_fewer_are_asked_and_the_origins_say_which()
    {
        WriteIdx("train", 0, 60);
        WriteIdx("val", 60, 10);
        WriteIdx("t10k", 70, 20);
        // The classic protocol asks for 10 000 / 2 000 / 50 000: every file is smaller, so each split is its whole file.
        var classic = new MnistDatasetSpec(Rotate: true, Digits: DigitSet.ClassicRotation, Normalize: false, Prerotated: true);
        using var files = (TensorDataset)classic.Load(new DatasetContext(2, directory, false));
        Assert.Equal((60, 10, 20), (files.Train.Count, files.Validation.Count, files.Test.Count));
        Assert.Equal(UnitImages(0, 60), Rows(files.Train.Inputs));
        Assert.Equal(UnitImages(60, 10), Rows(files.Validation.Inputs));
        Assert.Equal(UnitImages(70, 20), Rows(files.Test.Inputs));
        Assert.Equal("all 60 of train-images-idx3-ubyte.gz + train-labels-idx1-ubyte.gz (the file's split; 10000 asked)", files.Provenance!.Train.Origin);
        Assert.Contains("(the file's split; 50000 asked)", files.Provenance.Test.Origin);

        // Fewer asked (a declaration's or an override's counts): that many, drawn by the seed from the file.
        var fewer = classic with { TrainCount = 25, TestCount = 5 };
        using var drawn = (TensorDataset)fewer.Load(new DatasetContext(2, directory, false));
        Assert.Equal((25, 10, 5), (drawn.Train.Count, drawn.Validation.Count, drawn.Test.Count));
        Assert.Subset(UnitImages(0, 60), Rows(drawn.Train.Inputs));
        Assert.Subset(UnitImages(70, 20), Rows(drawn.Test.Inputs));
        Assert.Contains("25 of train-images-idx3-ubyte.gz", drawn.Provenance!.Train.Origin);
        Assert.Contains("drawn by seed 2", drawn.Provenance.Train.Origin);
    }

    [Fact]
    public void Without_validation_files_at_most_a_sixth_of_the_training_file_becomes_validation()
    {
        WriteIdx("train", 0, 60);
        WriteIdx("t10k", 60, 20);
        var spec = new MnistDatasetSpec(Rotate: false, TrainCount: 1000, ValidationCount: 500, TestCount: 30, Normalize: false);
        using var data = (TensorDataset)spec.Load(new DatasetContext(2, directory, false));
        Assert.Equal((50, 10, 20), (data.Train.Count, data.Validation.Count, data.Test.Count));
        var train = Rows(data.Train.Inputs);
        var validation = Rows(data.Validation.Inputs);
        Assert.Empty(train.Intersect(validation));
        Assert.Equal(UnitImages(0, 60), train.Union(validation).ToHashSet());
        Assert.Contains("500 asked, at most a sixth of the training file", data.Provenance!.Validation.Origin);
    }
}
