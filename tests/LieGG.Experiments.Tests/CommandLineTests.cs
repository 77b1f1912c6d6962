using LieGG.Dsl;
using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Experiments;
using LieGG.Cli;
using LieGG.Generated;
using LieGG.Runtime.Reports;
using LieGG.Runtime.Results;
using Spectre.Console;

namespace LieGG.Experiments.Tests;

/// <summary>The experiments CLI end to end: exit codes, files written, results that load back.</summary>
[Trait("Category", "EndToEnd")]
[Collection(TestHostCollection.Name)]
public sealed class CommandLineTests : IDisposable
{
    private readonly string output = Directory.CreateTempSubdirectory("liegg-cli-").FullName;
    private readonly StringWriter console = new();

    public void Dispose() => Directory.Delete(output, recursive: true);

    private int Run(params string[] args) => InProcessCli.Run(console, args);

    private string ResultFile(string experiment) => Directory.GetFiles(Path.Combine(output, experiment), "result.json", SearchOption.AllDirectories).Single();

    [Fact]
    public void Quick_run_writes_every_report_file_and_the_result_loads_back()
    {
        Assert.Equal(0, Run("run", "o5-regression", "--quick", "--out", output));

        var folder = Path.GetDirectoryName(ResultFile("o5-regression"))!;
        string[] expected = [RunFolder.ClaimFile, "result.json", "report.md", HtmlReport.RunPage, "spectrum.csv", "generators.csv", "training.csv", "spectrum.png", "bias.png", "generators.png", "training.png",
            "spectrum.svg", "bias.svg", "generators.svg", "training.svg", "model.safetensors"];
        Assert.Equal(expected.Order(), Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        Assert.Contains("o5-regression: epoch 2/2", console.ToString());

        var json = File.ReadAllText(Path.Combine(folder, "result.json"));
        var record = RunRecord.Load(Path.Combine(folder, "result.json"));
        Assert.Equal(json, record.ToJson());
        var typed = O5RegressionResult.Load(Path.Combine(folder, "result.json"));
        Assert.Equal(record.Result.TestMetric, typed.TestMse);
        Assert.Equal(record.Result.Symmetry.Spectrum, typed.Symmetry.Spectrum);
        Assert.Equal(25, typed.Symmetry.Generators.Length);
        Assert.True(record.Result.Quick);
        foreach (var key in new[] { "\"experiment\"", "\"seed\"", "\"spec\"", "\"data\"", "\"testMetric\"", "\"spectrum\"", "\"variance\"", "\"generators\"", "\"bias\"", "\"relativeVariance\"", "\"principalAngles\"", "\"gapRatio\"", "\"closureResidual\"", "\"timings\"", "\"versions\"" })
            Assert.Contains(key, json);
    }

    [Fact]
    public void Invariant_control_has_zero_variance_through_the_cli()
    {
        Assert.Equal(0, Run("run", "o5-invariant", "--quick", "--out", output));
        var symmetry = RunRecord.Load(ResultFile("o5-invariant")).Result.Symmetry;
        Assert.True(symmetry.Variance < 1e-8, $"variance {symmetry.Variance:E3}");
        Assert.All(symmetry.Bias!.Take(10), b => Assert.True(b < 1e-6, $"bias {b:E3}"));
    }

    [Fact]
    public void Unknown_names_are_usage_errors_with_suggestions()
    {
        Assert.Equal(2, Run("run", "o5-regresion", "--quick"));
        Assert.Contains("Did you mean 'o5-regression'?", console.ToString());
        Assert.Equal(2, Run("run", "nothing-like-it"));
        Assert.Equal(2, Run("run", "o5-regression", "--epochs", "0"));
        Assert.Equal(2, Run("frobnicate"));
        Assert.Equal(2, Run("report", Path.Combine(output, "missing.json")));
    }

    [Fact]
    public void Globs_select_several_experiments_and_report_compares_them()
    {
        Assert.Equal(0, Run("run", "o5-*", "--quick", "--out", output));
        Assert.Contains("# Comparison", console.ToString());
        console.GetStringBuilder().Clear();
        var files = new[] { ResultFile("o5-invariant"), ResultFile("o5-regression") };

        Assert.Equal(0, Run("report", files[0], files[1]));
        var text = console.ToString();
        Assert.Contains("# Comparison", text);
        Assert.Contains("o5-invariant (seed 0), quick", text);
        Assert.Contains("o5-regression (seed 0), quick", text);
        Assert.Contains("architecture.kind", text);
        Assert.Contains("Quick runs are smoke-size", text);
        Assert.Equal(0, Run("report", files[0], files[1], "--out", Path.Combine(output, "cmp")));
        Assert.Equal(3, File.ReadAllLines(Path.Combine(output, "cmp", "compare.csv")).Length);
        Assert.StartsWith("# Comparison", File.ReadAllText(Path.Combine(output, "cmp", "compare.md")));
        // Table rows longer than the console's 80 columns stay whole: the Markdown survives redirection.
        var rows = text.Split('\n').Where(line => line.StartsWith('|')).ToList();
        Assert.Contains(rows, row => row.Length > 80);
        Assert.All(rows, row => Assert.EndsWith("|", row.TrimEnd('\r')));
    }

    [Fact]
    public void Group_cnn_experiments_run_and_the_p4cnn_is_invariant_to_quarter_turns()
    {
        // Wiring and structure: wiring sizes for each network.
        Assert.Equal(0, Run(["run", "rotmnist-*cnn*", "--quick", .. WiringSizes.Of("RotatedMnist"), "--out", output]));
        foreach (var name in new[] { "rotmnist-z2cnn", "rotmnist-p4cnn", "rotmnist-p4cnn-rotpool" })
            Assert.True(File.Exists(ResultFile(name)), name);

        using var data = RotMnistP4Cnn.LoadData(new Runtime.Experiments.ExperimentRunOptions { Quick = true });
        using var model = RotMnistP4Cnn.CreateModel(data);
        model.eval();
        var x = data.Test.Inputs[..4];
        var turned = x.rot90(1, (1, 2));
        Assert.True((model.forward(x) - model.forward(turned)).abs().max().item<float>() < 1e-4);
    }

    [Fact]
    public void List_shows_every_experiment()
    {
        Assert.Equal(0, Run("list"));
        foreach (var name in ExperimentCatalog.All.Select(e => e.Name)) Assert.Contains(name, console.ToString());
    }

    [Fact]
    public void An_explicit_epoch_count_wins_over_quick()
    {
        Assert.Equal(0, Run("run", "o5-regression", "--quick", "--epochs", "3", "--out", output));
        Assert.Equal(3, RunRecord.Load(ResultFile("o5-regression")).Result.Epochs);
    }

    [Fact]
    public void Bad_options_are_usage_errors_before_any_work()
    {
        var file = Path.Combine(output, "a-file");
        File.WriteAllText(file, "x");
        Assert.Equal(2, Run("run", "o5-regression", "--quick", "--data-dir", file, "--out", output));
        Assert.Contains("is a file; name the directory that holds the IDX files", Flat(console.ToString()));
        Assert.Equal(2, Run("run", "o5-regression", "--quick", "--device", "cuda", "--out", output));
        Assert.Contains("no CUDA device is available to this build", Flat(console.ToString()));
        Assert.Contains("Running on a GPU", Flat(console.ToString()));
        Assert.False(Directory.Exists(Path.Combine(output, "o5-regression")), "nothing was written");
    }

    [Fact]
    public void The_convention_option_replaces_the_declared_one_and_the_report_says_what_was_trained()
    {
        Assert.Equal(0, Run("run", "rotmnist-shallow", "--quick", "--convention", "centered", "--out", output));
        var record = RunRecord.Load(ResultFile("rotmnist-shallow"));
        Assert.Equal(new SpatialPrior(LieGG.Dsl.SpatialConvention.Centered), record.Spec.Prior);
        Assert.Equal(new SpatialPrior(LieGG.Dsl.SpatialConvention.Reference), ExperimentCatalog.All.Single(e => e.Name == "rotmnist-shallow").Spec.Prior);
        Assert.Equal("cross-entropy on raw logits", record.Result.Outputs!.Trained);
        Assert.Equal("L2-normalised outputs F/‖F‖", record.Result.Outputs.Analysed);
        Assert.Contains("of all 70000 digits", record.Result.DataSource!.Train.Origin);
        var report = File.ReadAllText(Path.Combine(Path.GetDirectoryName(ResultFile("rotmnist-shallow"))!, "report.md"));
        Assert.Contains("| trained | cross-entropy on raw logits |", report);
        Assert.Contains("## Data", report);
    }

    [Fact]
    public void Data_and_convention_options_that_cannot_apply_are_usage_errors()
    {
        Assert.Equal(2, Run("run", "o5-regression", "--quick", "--convention", "reference", "--out", output));
        Assert.Contains("uses the generic prior", Flat(console.ToString()));
        Assert.Equal(2, Run("run", "rotmnist-deep", "--quick", "--prerotated", "--pool-splits", "--out", output));
        Assert.Contains("--prerotated says the --data-dir files are rotated digits, but no --data-dir is given", Flat(console.ToString()));
        Assert.Contains("--pool-splits pools the --data-dir files, but no --data-dir is given", Flat(console.ToString()));
        Assert.Equal(2, Run("run", "rotmnist-deep", "--quick", "--convention", "polar", "--out", output));
        Assert.Equal(2, Run("study", "width-depth", "--quick", "--prerotated", "--out", output));
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(Flat(console.ToString()), "--prerotated says the --data-dir files are rotated digits"));
        Assert.Equal(2, Run("study", "o5-seeds", "--quick", "--jobs", "0", "--trial", "3", "--out", output));
        Assert.Contains("--jobs must be at least 1, not 0", Flat(console.ToString()));
        Assert.Contains("--trial 3 does not exist; 'o5-seeds' has trials 0 … 2", Flat(console.ToString()));
        Assert.Equal(2, Run("study", "o5-seeds", "--quick", "--jobs", "2", "--trial", "1", "--out", output));
        Assert.Contains("--trial runs one trial; it cannot be combined with --jobs", Flat(console.ToString()));
        Assert.False(Directory.Exists(Path.Combine(output, "o5-seeds")), "nothing was written");
        Assert.False(Directory.Exists(Path.Combine(output, "o5-regression")), "nothing was written");
        Assert.False(Directory.Exists(Path.Combine(output, "rotmnist-deep")), "nothing was written");
        Assert.False(Directory.Exists(Path.Combine(output, "width-depth")), "nothing was written");
    }

    [Fact]
    public void The_quick_policy_is_said_one_way_in_the_help_and_the_readme()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryFolder(), "README.md"));
        Assert.Contains(QuickRun.Description, readme);
        foreach (var command in new[] { "run", "study", "analyze" })
        {
            Assert.Equal(0, Run(command, "--help"));
            Assert.Contains(Flat(QuickRun.Description), Flat(console.ToString()));
            console.GetStringBuilder().Clear();
        }
    }

    [Fact]
    public void Export_makes_one_csv_row_per_run_with_a_column_per_setting_and_reads_schema_1_files()
    {
        var schema1 = Path.Combine(AppContext.BaseDirectory, "Fixtures", "schema1-ella-trial.json");
        var old = RunRecord.Load(schema1);
        // Upgraded as it loads: the typed spec recovered from schema 1's settings text.
        Assert.Equal(RunRecord.CurrentSchema, old.Schema);
        Assert.Equal(new QuadrantMnistDatasetSpec(QuadrantTask.DigitQuadrant), old.Spec.Dataset);
        Assert.Equal(new RelaxedCnnSpec(Width: 4, Pathways: Pathways.FactoredFC | Pathways.Conv, PriorPrecision: 1, FcInitScale: 0.1), old.Spec.Architecture);
        Assert.Equal(new SpatialPrior(LieGG.Dsl.SpatialConvention.Centered, Affine: true), old.Spec.Prior);
        Assert.Equal(new BuiltInGroundTruth(Group.SE2), old.Spec.GroundTruth);
        Assert.Equal(new AnalysisSpec(Samples: 1000, Bootstrap: 50), old.Spec.Analysis);
        Assert.Equal((50, 128, 0.1, Optimizer.Sgd, LearningRateSchedule.Cosine, 1e-6, 2024, false), (old.Spec.Training.Epochs, old.Spec.Training.BatchSize, old.Spec.Training.LearningRate,
            old.Spec.Training.Optimizer, old.Spec.Training.Schedule, old.Spec.Training.FinalLearningRate, old.Spec.Training.Seed, old.Spec.Training.SelectBest));
        Assert.Equal(new LaplaceSpec(BurnIn: 5, Every: 5, Steps: 20, LearningRate: 0.1, Fisher: FisherKind.Exact), old.Spec.Laplace);
        Assert.Equal("ella-quadrant-learned", old.Result.Experiment);

        Assert.Equal(0, Run("run", "o5-*", "--quick", "--out", output));
        var table = Path.Combine(output, "table.csv");
        Assert.Equal(0, Run("export", output, schema1, "--out", table));

        var lines = File.ReadAllLines(table);
        var header = lines[0].Split(',');
        // The header, the four o5-* experiments (invariant, regression, equivariant and its control) and the schema-1 run.
        Assert.Equal(6, lines.Length);
        var width = Array.IndexOf(header, "architecture.Width");
        var experiment = Array.IndexOf(header, "experiment");
        Assert.True(width > 0 && experiment >= 0);
        var rows = lines.Skip(1).Select(CsvFields).ToList();
        Assert.Equal("32", rows.Single(r => r[experiment] == "o5-regression")[width]);
        Assert.Equal("QuadrantMnistDatasetSpec", rows.Single(r => r[experiment] == "ella-quadrant-learned")[Array.IndexOf(header, "dataset.kind")]);
        Assert.Equal("4", rows.Single(r => r[experiment] == "ella-quadrant-learned")[Array.IndexOf(header, "architecture.Width")]);
    }

    /// <summary>The fields of one CSV line (quoted fields may hold commas and doubled quotes).</summary>
    private static string[] CsvFields(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields.ToArray();
    }

    [Fact]
    public void More_threads_than_cores_run_with_a_warning()
    {
        Assert.Equal(0, Run("run", "o5-invariant", "--quick", "--threads", (Environment.ProcessorCount + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", output));
        Assert.Contains("oversubscribed threads make training slower", Flat(console.ToString()));
    }

    [Fact]
    public void A_data_directory_an_experiment_does_not_read_is_neither_used_nor_recorded()
    {
        Assert.Equal(0, Run("run", "o5-invariant", "--quick", "--data-dir", output, "--out", output));
        Assert.Contains("o5-invariant generates its data; --data-dir", Flat(console.ToString()));
        Assert.Null(RunRecord.Load(ResultFile("o5-invariant")).Result.DataDirectory);
    }

    [Fact]
    public void Errors_go_to_their_own_stream_and_parse_errors_are_said_in_words()
    {
        var errors = new StringWriter();
        IAnsiConsole Console(StringWriter writer) => AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Interactive = InteractionSupport.No,
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        int status = LieGGCommandLine.Run(["run", "o5-regression", "--seed", "abc"], ExperimentCatalog.All, ExperimentCatalog.Studies, Console(console), Console(errors));
        Assert.Equal(2, status);
        Assert.Equal("", console.ToString());
        var words = Flat(errors.ToString());
        Assert.Contains("'abc'", words);
        Assert.Contains("as an integer", words);
        Assert.DoesNotContain("System.", words);
    }

    [Fact]
    public void Every_bad_option_is_reported_at_once()
    {
        var file = Path.Combine(output, "a-file");
        File.WriteAllText(file, "x");
        Assert.Equal(2, Run("run", "o5-regression", "--epochs", "0", "--threads", "0", "--device", "tpu", "--data-dir", Path.Combine(output, "missing"), "--out", file));
        var words = Flat(console.ToString());
        foreach (var option in new[] { "--epochs must be", "--threads must be", "--device must be", "--data-dir", "--out" })
            Assert.Contains(option, words);
        Assert.Equal(5, System.Text.RegularExpressions.Regex.Matches(words, "error:").Count);
    }

    private static string RepositoryFolder([System.Runtime.CompilerServices.CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "..", "..");

    private static string Flat(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");
}
