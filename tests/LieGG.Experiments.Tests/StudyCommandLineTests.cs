using LieGG.Runtime.Orchestration;
using LieGG.Runtime.Results;

namespace LieGG.Experiments.Tests;

/// <summary>Studies through the CLI: a quick full run, and the same study in two shards merged afterwards.</summary>
[Trait("Category", "Study")]
[Collection(TestHostCollection.Name)]
public sealed class StudyCommandLineTests : IDisposable
{
    private readonly string output = Directory.CreateTempSubdirectory("liegg-study-cli-").FullName;
    private readonly StringWriter console = new();

    public void Dispose() => Directory.Delete(output, recursive: true);

    private int Run(params string[] args) => InProcessCli.Run(console, args);

    [Fact]
    public void Quick_o5_train_size_study_writes_its_table_and_shards_merge_to_the_same_result()
    {
        var whole = Path.Combine(output, "whole");
        Assert.Equal(0, Run("study", "o5-train-size", "--quick", "--out", whole));
        var folder = StudyRunner.StudyFolder(whole, "o5-train-size");
        foreach (var file in new[] { "study.json", "study.md", "trials.csv", "plot-variance-vs-traincount.png", "plot-minbias-vs-traincount.png", "correlation-variance-testmetric.png", "plot-variance-vs-traincount.svg", "correlation-variance-testmetric.svg" })
            Assert.True(File.Exists(Path.Combine(folder, file)), file);
        Assert.Contains("![plot-variance-vs-traincount](plot-variance-vs-traincount.png)", File.ReadAllText(Path.Combine(folder, "study.md")));
        var study = StudyResult.Load(Path.Combine(folder, "study.json"));
        Assert.True(study.IsComplete);
        Assert.True(study.Quick);
        Assert.Equal(18, study.Rows.Count);
        Assert.Equal(2, study.Correlations.Count);
        Assert.Contains("trial 18/18", console.ToString());

        var typed = O5TrainSize.Merge(whole);
        Assert.Equal(20_000, typed.Rows[^1].Trial.TrainCount);
        Assert.Equal(2, typed.Rows[^1].Trial.Seed);

        var sharded = Path.Combine(output, "sharded");
        Assert.Equal(0, Run("study", "o5-train-size", "--quick", "--out", sharded, "--shard", "0/2"));
        Assert.Contains("9 of 18 trials", console.ToString());
        Assert.Equal(0, Run("study", "o5-train-size", "--quick", "--out", sharded, "--shard", "1/2"));
        Assert.Equal(0, Run("study-merge", "o5-train-size", "--out", sharded));
        var merged = StudyResult.Load(Path.Combine(StudyRunner.StudyFolder(sharded, "o5-train-size"), "study.json"));
        Assert.Equal(study.Rows.Select(r => (r.Trial.Label, r.TestMetric, r.Variance, r.MinBias)), merged.Rows.Select(r => (r.Trial.Label, r.TestMetric, r.Variance, r.MinBias)));
        Assert.Equal(study.Correlations, merged.Correlations);

        Assert.Equal(0, Run("study", "o5-train-size", "--quick", "--out", sharded));
        Assert.Contains("0 trials run, 18 already finished", console.ToString());

        // The quick trials must not pass for a full-size run into the same folder: usage error, nothing trained.
        Assert.Equal(2, Run("study", "o5-train-size", "--out", sharded));
        // The console wraps long lines wherever the folder names end; compare words, not line breaks.
        var words = System.Text.RegularExpressions.Regex.Replace(console.ToString(), @"\s+", " ");
        Assert.Contains("18 finished trial(s) of study 'o5-train-size'", words);
        Assert.Contains("it is a --quick result, this run is full size", words);
    }

    [Fact]
    public void Quick_training_regimes_study_analyses_every_layer_of_every_regime()
    {
        Assert.Equal(0, Run("study", "training-regimes", "--quick", "--out", output));
        var folder = StudyRunner.StudyFolder(output, "training-regimes");
        var study = StudyResult.Load(Path.Combine(folder, "study.json"));

        Assert.Equal(["Regime=EndToEnd, seed=2022", "Regime=PretrainedPart, seed=2022", "Regime=FineTune, seed=2022", "Regime=LayerWise, seed=2022"], study.Rows.Select(r => r.Trial.Label));
        Assert.Equal([6, 3, 6, 6], study.Rows.Select(r => r.LayerVariance!.Count));
        Assert.True(File.Exists(Path.Combine(folder, "layers-variance.png")));
        Assert.True(File.Exists(Path.Combine(folder, "layers-bias.png")));
        Assert.True(File.Exists(Path.Combine(folder, "flows.png")), "image priors get the Fig. 3b strip");
    }

    [Fact]
    public void A_shard_beyond_the_last_trial_succeeds_with_nothing_to_do()
    {
        Assert.Equal(0, Run("study", "o5-train-size", "--quick", "--out", output, "--shard", "20/25"));
        Assert.Contains("no trials in shard 20/25 (the study has 18); nothing to run.", console.ToString());
        Assert.False(Directory.Exists(StudyRunner.StudyFolder(output, "o5-train-size")), "nothing is written");
    }

    [Fact]
    public void A_data_directory_a_study_does_not_read_is_named_in_a_warning()
    {
        Assert.Equal(0, Run("study", "o5-train-size", "--quick", "--out", output, "--shard", "0/9", "--data-dir", output));
        Assert.Contains("o5-train-size generates its data; --data-dir", System.Text.RegularExpressions.Regex.Replace(console.ToString(), @"\s+", " "));
    }

    [Fact]
    public void Study_usage_errors()
    {
        Assert.Equal(2, Run("study", "o5-train-size", "--quick", "--out", output, "--data-dir", Path.Combine(output, "missing")));
        Assert.Contains("does not exist", console.ToString());
        Directory.CreateDirectory(Path.Combine(StudyRunner.StudyFolder(output, "o5-train-size"), "trials", "trial-0000"));
        Assert.Equal(2, Run("study-merge", "o5-train-size", "--out", output));
        Assert.Contains("holds no finished trial", System.Text.RegularExpressions.Regex.Replace(console.ToString(), @"\s+", " "));
        Assert.Equal(2, Run("study", "o5-train-sise"));
        Assert.Contains("Did you mean 'o5-train-size'?", console.ToString());
        Assert.Equal(2, Run("study", "o5-train-size", "--shard", "3/3"));
        Assert.Equal(2, Run("study-merge", "o5-train-size", "--out", Path.Combine(output, "nothing-here")));
    }
}
