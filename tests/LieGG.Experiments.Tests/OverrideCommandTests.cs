using LieGG.Runtime.Data;

namespace LieGG.Experiments.Tests;

/// <summary>
/// --set on run, study and analyze, end to end: a declared paper experiment on a user's folder of pre-rotated files (their
/// split, or sizes set on the command line), typed errors before anything is written, the overrides recorded, reapplied by
/// analyze and compared by the stale-trial check; list NAME shows what can be set.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(TestHostCollection.Name)]
public sealed class OverrideCommandTests : IDisposable
{
    private readonly string output = Directory.CreateTempSubdirectory("liegg-set-").FullName;
    private readonly string data = Directory.CreateTempSubdirectory("liegg-set-data-").FullName;
    private readonly StringWriter console = new();

    public void Dispose()
    {
        Directory.Delete(output, recursive: true);
        Directory.Delete(data, recursive: true);
    }

    private int Run(params string[] args) => InProcessCli.Run(console, args, unwrapped: true);

    /// <summary>The embedded 10 000 digits as a user's pre-rotated folder: train 8000, validation 1000, test 1000 (IDX).</summary>
    private void WriteFolder()
    {
        var digits = MnistDigits.Embedded();
        foreach (var (prefix, first, count) in new[] { ("train", 0, 8000), ("val", 8000, 1000), ("t10k", 9000, 1000) })
        {
            IdxFile.WriteImages(Path.Combine(data, $"{prefix}-images-idx3-ubyte.gz"), new IdxImages(count, 28, 28, digits.Images.Pixels.AsSpan(first * 784, count * 784).ToArray()));
            IdxFile.WriteLabels(Path.Combine(data, $"{prefix}-labels-idx1-ubyte.gz"), digits.Labels.AsSpan(first, count).ToArray());
        }
    }

    private RunRecord OnlyRecord(string experiment) => RunRecord.Load(Directory.GetFiles(Path.Combine(output, experiment), "result.json", SearchOption.AllDirectories).Single());

    // One epoch and a small analysis: these tests check which data and values a run used, not what it learned.
    private static readonly string[] Short = ["--epochs", "1", "--set", "Analysis.Samples=200", "--set", "Analysis.Bootstrap=0"];

    [Fact]
    public void A_classic_protocol_experiment_runs_on_a_smaller_prerotated_folder_with_the_files_split()
    {
        WriteFolder();
        Assert.Equal(0, Run(["run", "rotmnist-deep", "--data-dir", data, "--prerotated", "--out", output, .. Short]));
        var record = OnlyRecord("rotmnist-deep");
        Assert.Equal((8000, 1000, 1000), (record.Result.Data.Train, record.Result.Data.Validation, record.Result.Data.Test));
        Assert.Equal(["Train.Epochs=1", "Analysis.Samples=200", "Analysis.Bootstrap=0"], record.Result.Overrides);
        var report = File.ReadAllText(Path.Combine(Path.GetDirectoryName(Directory.GetFiles(Path.Combine(output, "rotmnist-deep"), "result.json", SearchOption.AllDirectories).Single())!, "report.md"));
        Assert.Contains("all 8000 of train-images-idx3-ubyte.gz + train-labels-idx1-ubyte.gz (the file's split; 10000 asked)", report);
        Assert.Contains("all 1000 of t10k-images-idx3-ubyte.gz + t10k-labels-idx1-ubyte.gz (the file's split; 50000 asked)", report);
        Assert.Contains("given rotated", record.Result.DataSource!.Rotation);
    }

    [Fact]
    public void Sizes_set_on_the_command_line_draw_that_many_from_the_files()
    {
        WriteFolder();
        Assert.Equal(0, Run(["run", "rotmnist-deep", "--data-dir", data, "--prerotated", "--set", "RotatedMnist.TrainCount=2000", "--set", "RotatedMnist.TestCount=500", "--out", output, .. Short]));
        var record = OnlyRecord("rotmnist-deep");
        Assert.Equal((2000, 1000, 500), (record.Result.Data.Train, record.Result.Data.Validation, record.Result.Data.Test));
        Assert.Contains("RotatedMnist.TrainCount=2000", record.Result.Overrides);
        Assert.Contains("2000 of train-images-idx3-ubyte.gz", record.Result.DataSource!.Train.Origin);
        Assert.Contains("drawn by seed 2022", record.Result.DataSource.Train.Origin);
    }

    [Fact]
    public void Bad_overrides_are_all_reported_before_anything_is_written()
    {
        int code = Run("run", "rotmnist-deep", "--out", output, "--set", "Mlp.Widht=3", "--set", "Train.LearningRate=zero", "--set", "Train.Optimizer=Adamm",
            "--set", "RotatedMnist.Blur=20", "--set", "Train.WarmupEpochs=500", "--set", "nonsense", "--epochs", "3", "--set", "Train.Epochs=4");
        Assert.Equal(LieGGCommandLine.UsageError, code);
        var text = console.ToString();
        Assert.Contains("--set 'nonsense' is not of the form Attribute.Property=value", text);
        Assert.Contains("Train.Epochs is given twice (also as --epochs 3)", text);
        Assert.False(Directory.Exists(Path.Combine(output, "rotmnist-deep")));

        console.GetStringBuilder().Clear();
        Assert.Equal(LieGGCommandLine.UsageError, Run("run", "rotmnist-deep", "--out", output, "--set", "Mlp.Widht=3", "--set", "Train.LearningRate=zero", "--set", "Train.Optimizer=Adamm",
            "--set", "RotatedMnist.Blur=20", "--set", "Train.WarmupEpochs=500"));
        text = console.ToString();
        Assert.Contains("rotmnist-deep: 5 problems with --set:", text);
        Assert.Contains("[Mlp] has no settable property 'Widht' (did you mean Width?)", text);
        Assert.Contains("Train.LearningRate takes a number (e.g. 3e-4), not 'zero'", text);
        Assert.Contains("Train.Optimizer takes one of Adam, Sgd, not 'Adamm' (did you mean Adam?)", text);
        Assert.Contains("[RotatedMnist] Blur = 20 is out of range; allowed: a σ from 0 (no blur) to 10 pixels.", text);
        Assert.Contains("with the overrides, [Train] WarmupEpochs = 500 is out of range; allowed: at most the 200 training epochs.", text);
        Assert.False(Directory.Exists(Path.Combine(output, "rotmnist-deep")));
    }

    [Fact]
    public void List_shows_every_settable_value_and_marks_what_a_study_sweeps()
    {
        Assert.Equal(0, Run("list", "rotmnist-deep"));
        var text = console.ToString();
        Assert.Contains("| RotatedMnist.TrainCount | 10000 | a count from 1 to 10 000 000 |", text);
        Assert.Contains("| Mlp.Width | 128 | 1 to 65 536 units |", text);
        Assert.Contains("| Train.Optimizer | Adam | one of Adam, Sgd |", text);
        console.GetStringBuilder().Clear();
        Assert.Equal(0, Run("list", "o5-seeds"));
        Assert.Contains("| Train.Seed | swept by the study |", console.ToString());
        Assert.Equal(LieGGCommandLine.UsageError, Run("list", "rotmnist-dep"));
        Assert.Contains("Did you mean 'rotmnist-deep'", console.ToString());
    }

    [Fact]
    public void A_study_takes_overrides_for_every_trial_refuses_swept_ones_and_finds_trials_run_otherwise()
    {
        Assert.Equal(LieGGCommandLine.UsageError, Run("study", "o5-seeds", "--quick", "--out", output, "--set", "Train.Seed=3"));
        Assert.Contains("Train.Seed varies between the trials of 'o5-seeds'", console.ToString());
        Assert.Equal(LieGGCommandLine.UsageError, Run("study", "o5-seeds", "--quick", "--out", output, "--set", "Mlp.Widht=16"));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(console.ToString(), "did you mean Width\\?"));
        Assert.False(Directory.Exists(Path.Combine(output, "o5-seeds")));

        Assert.Equal(0, Run("study", "o5-seeds", "--quick", "--trial", "0", "--out", output, "--set", "Mlp.Width=16"));
        var trial = RunRecord.Load(Directory.GetFiles(Path.Combine(output, "o5-seeds"), "result.json", SearchOption.AllDirectories).Single());
        Assert.Equal(["Mlp.Width=16"], trial.Result.Overrides);
        Assert.Equal(16 * 10 + 16 * 16 + 16, trial.Result.Parameters);

        console.GetStringBuilder().Clear();
        Assert.Equal(LieGGCommandLine.UsageError, Run("study", "o5-seeds", "--quick", "--trial", "0", "--out", output, "--set", "Mlp.Width=32"));
        Assert.Contains("it ran with --set Mlp.Width=16, this run with --set Mlp.Width=32", console.ToString());
    }

    [Fact]
    public void Analyze_reapplies_a_runs_overrides_and_records_its_own()
    {
        Assert.Equal(0, Run("run", "o5-regression", "--quick", "--out", output, "--set", "Mlp.Width=16"));
        var folder = Path.GetDirectoryName(Directory.GetFiles(Path.Combine(output, "o5-regression"), "result.json", SearchOption.AllDirectories).Single())!;
        Assert.Equal(0, Run("analyze", folder, "--out", output, "--set", "Analysis.Bootstrap=0"));
        var analyses = Directory.GetFiles(Path.Combine(output, "o5-regression"), "result.json", SearchOption.AllDirectories).Select(RunRecord.Load).Where(r => r.Result.AnalysisOf is not null).ToList();
        var analysis = Assert.Single(analyses);
        Assert.Equal(["Mlp.Width=16", "Analysis.Bootstrap=0"], analysis.Result.Overrides);
        Assert.Null(analysis.Result.Symmetry.VarianceInterval);

        console.GetStringBuilder().Clear();
        Assert.Equal(LieGGCommandLine.UsageError, Run("analyze", folder, "--out", output, "--set", "Analysis.Bootstrp=0"));
        Assert.Contains("did you mean Bootstrap?", console.ToString());
    }
}
