using System.Text.Json;

namespace LieGG.Experiments.Tests;

/// <summary><c>analyze</c>: a run's saved network, a PyTorch state dict and a TorchScript module, analysed without training.</summary>
[Trait("Category", "EndToEnd")]
[RunsInOwnProcesses]
[TypicalDuration(54)]
public sealed class AnalyzeCommandTests : IDisposable
{
    private readonly string output = Directory.CreateTempSubdirectory("liegg-analyze-").FullName;

    public void Dispose() => Directory.Delete(output, recursive: true);

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch", name);

    private static (int ExitCode, string Output) Program(params string[] arguments) => ExperimentsProgram.Run(arguments);

    private JsonElement Result(string folder) => JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "result.json"))).RootElement.GetProperty("result");

    private string[] RunFolders(string experiment) => Directory.GetDirectories(Path.Combine(output, experiment)).Order().ToArray();

    [Fact]
    public void A_run_reloaded_in_a_new_process_analyses_bit_for_bit_as_it_did_and_another_ground_truth_changes_only_the_bias()
    {
        var (trainExit, trainLog) = Program("run", "o5-regression", "--quick", "--out", output);
        Assert.True(trainExit == 0, trainLog);
        var run = RunFolders("o5-regression").Single();
        Assert.True(File.Exists(Path.Combine(run, "model.safetensors")));

        var (analyzeExit, analyzeLog) = Program("analyze", run, "--out", output);
        Assert.True(analyzeExit == 0, analyzeLog);
        var (otherExit, otherLog) = Program("analyze", run, "--ground-truth", "sl", "--out", output);
        Assert.True(otherExit == 0, otherLog);

        var folders = RunFolders("o5-regression");
        Assert.Equal(3, folders.Length);
        var original = Result(folders[0]).GetProperty("symmetry");
        var again = Result(folders[1]);
        var sl = Result(folders[2]).GetProperty("symmetry");
        Assert.EndsWith("-analysis", folders[1]);
        Assert.Equal(Path.GetFullPath(run), again.GetProperty("analysisOf").GetString()!.TrimEnd('/'));
        Assert.Equal(Result(folders[0]).GetProperty("testMetric").GetDouble(), again.GetProperty("testMetric").GetDouble());
        foreach (var field in new[] { "spectrum", "singularValues", "variance", "generators", "bias", "principalAngles" })
            Assert.Equal(original.GetProperty(field).GetRawText(), again.GetProperty("symmetry").GetProperty(field).GetRawText());
        foreach (var field in new[] { "spectrum", "singularValues", "variance", "relativeVariance", "generators" })
            Assert.Equal(original.GetProperty(field).GetRawText(), sl.GetProperty(field).GetRawText());
        Assert.Equal("sl(5)", sl.GetProperty("algebra").GetString());
        Assert.NotEqual(original.GetProperty("bias").GetRawText(), sl.GetProperty("bias").GetRawText());
        Assert.Contains("**Analysis** of the trained network", File.ReadAllText(Path.Combine(folders[1], "report.md")));

        var (priorExit, priorLog) = Program("analyze", run, "--prior", "generic:10", "--ground-truth", "none", "--out", output);
        Assert.True(priorExit == 0, priorLog);
        var generic = Result(RunFolders("o5-regression")[3]);
        Assert.Equal(new LieGG.Runtime.Symmetry.GenericPrior(10), LieGG.Runtime.Results.RunRecord.Load(Path.Combine(RunFolders("o5-regression")[3], LieGG.Runtime.Results.RunFiles.ResultJson)).Spec.Prior);
        Assert.Equal(100, generic.GetProperty("symmetry").GetProperty("spectrum").GetArrayLength());
    }

    [Fact]
    public void A_run_is_analysed_in_standardised_units_or_on_one_split_when_asked()
    {
        var (trainExit, trainLog) = Program("run", "o5-regression", "--quick", "--out", output);
        Assert.True(trainExit == 0, trainLog);
        var run = RunFolders("o5-regression").Single();
        var (exit, log) = Program("analyze", run, "--units", "standardized", "--out", output);
        Assert.True(exit == 0, log);
        var (splitExit, splitLog) = Program("analyze", run, "--split", "train", "--out", output);
        Assert.True(splitExit == 0, splitLog);

        var folders = RunFolders("o5-regression");
        var task = Result(folders[0]);
        var standardized = Result(folders[1]);
        var train = Result(folders[2]);
        // Every row of the polarization matrix scales by σ, so λ by σ², the test MSE too; the bias is a ratio.
        double std = task.GetProperty("standardization").GetProperty("targetStd")[0].GetDouble();
        Assert.Equal("Task", task.GetProperty("units").GetString());
        Assert.Equal("Standardized", standardized.GetProperty("units").GetString());
        double variance = task.GetProperty("symmetry").GetProperty("variance").GetDouble();
        Assert.Equal(variance, standardized.GetProperty("symmetry").GetProperty("variance").GetDouble() * std * std, variance * 1e-4);
        double mse = task.GetProperty("testMetric").GetDouble();
        Assert.Equal(mse, standardized.GetProperty("testMetric").GetDouble() * std * std, mse * 1e-4);
        Assert.Contains("standardised units", File.ReadAllText(Path.Combine(folders[1], "report.md")));
        // The authors' protocol analyses every split; --split train takes the training inputs alone.
        Assert.Equal("All", task.GetProperty("analysedSplit").GetString());
        Assert.Equal("Train", train.GetProperty("analysedSplit").GetString());
        Assert.Equal(Math.Min(task.GetProperty("data").GetProperty("train").GetInt32(), LieGG.Runtime.Experiments.QuickRun.MaxAnalysedSamples),
            train.GetProperty("symmetry").GetProperty("rows").GetInt32());

        var (scriptExit, scriptLog) = Program("analyze", Fixture("o5-invariant.pt"), "--experiment", "o5-regression", "--quick", "--units", "standardized", "--out", output);
        Assert.Equal(2, scriptExit);
        Assert.Contains("whole function", scriptLog);
    }

    [Fact]
    public void Pytorch_models_are_analysed_on_a_declared_experiments_data()
    {
        var (scriptExit, scriptLog) = Program("analyze", Fixture("o5-invariant.pt"), "--experiment", "o5-regression", "--quick", "--out", output);
        Assert.True(scriptExit == 0, scriptLog);
        var script = Result(RunFolders("o5-regression").Single());
        var spectrum = script.GetProperty("symmetry").GetProperty("spectrum").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.True(spectrum[9] < 1e-10 * spectrum[^1], $"the O(5)-invariant function: λ10 = {spectrum[9]}, λmax = {spectrum[^1]}");

        var (stateExit, stateLog) = Program("analyze", Fixture("o5-mlp.safetensors"), "--experiment", "o5-regression", "--quick", "--out", output);
        Assert.True(stateExit == 0, stateLog);
        var (pickledExit, pickledLog) = Program("analyze", Fixture("o5-mlp-state.pt"), "--experiment", "o5-regression", "--quick", "--out", output);
        Assert.True(pickledExit == 0, pickledLog);
        var twins = RunFolders("o5-regression").Skip(1).Select(f => Result(f).GetProperty("symmetry").GetProperty("spectrum").GetRawText()).ToList();
        Assert.Equal(2, twins.Count);
        Assert.Equal(twins[0], twins[1]);
    }

    [Fact]
    public void A_torchscript_module_is_analysed_on_inputs_from_a_numpy_file()
    {
        var (exit, log) = Program("analyze", Fixture("o5-invariant.pt"), "--inputs", Fixture("o5-inputs.npy"), "--prior", "generic:5x2", "--ground-truth", "so", "--out", output);
        Assert.True(exit == 0, log);
        var folder = RunFolders("o5-invariant").Single();
        var result = Result(folder);
        var spectrum = result.GetProperty("symmetry").GetProperty("spectrum").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(25, spectrum.Length);
        Assert.True(spectrum[9] < 1e-10 * spectrum[^1], $"λ10 = {spectrum[9]}, λmax = {spectrum[^1]}");
        Assert.Equal("so(5)", result.GetProperty("symmetry").GetProperty("algebra").GetString());
        var report = File.ReadAllText(Path.Combine(folder, "report.md"));
        Assert.DoesNotContain("test MSE", report);
        Assert.Contains($"| Inputs.Path | {Path.GetFullPath(Fixture("o5-inputs.npy"))} |", report);

        var (noPrior, noPriorLog) = Program("analyze", Fixture("o5-invariant.pt"), "--inputs", Fixture("o5-inputs.npy"), "--out", output);
        Assert.Equal(2, noPrior);
        Assert.Contains("--inputs needs --prior", noPriorLog);
        var (wrongPrior, wrongPriorLog) = Program("analyze", Fixture("o5-invariant.pt"), "--inputs", Fixture("o5-inputs.npy"), "--prior", "generic:3x2", "--out", output);
        Assert.Equal(2, wrongPrior);
        Assert.Contains("GenericPrior(Dimension = 3, Copies = 2)", wrongPriorLog);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(23)]
    [InlineData(57)]
    public void An_error_is_one_line_wherever_its_file_lies(int nameLength)
    {
        // A wrapped message broke wherever the file's path put the 80th column: the same error then read differently
        // in another clone (the flake of Bad_sources_are_usage_errors_that_name_the_file_and_the_fix).
        var folder = Directory.CreateDirectory(Path.Combine(output, new string('d', nameLength))).FullName;
        var model = Path.Combine(folder, "tuple-output.pt");
        File.Copy(Fixture("tuple-output.pt"), model);
        var (exit, log) = Program("analyze", model, "--experiment", "o5-regression", "--quick", "--out", output);
        Assert.Equal(2, exit);
        var line = Assert.Single(log.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains($"{model}: the TorchScript module's forward does not return one tensor; wrap it so that forward(x) returns a tensor", line);
    }

    [Fact]
    public void Bad_sources_are_usage_errors_that_name_the_file_and_the_fix()
    {
        var (noExperiment, noExperimentLog) = Program("analyze", Fixture("o5-mlp.pt"), "--out", output);
        Assert.Equal(2, noExperiment);
        Assert.Contains("--experiment NAME", noExperimentLog);

        var (otherArchitecture, otherArchitectureLog) = Program("analyze", Fixture("o5-mlp.safetensors"), "--experiment", "rotmnist-shallow", "--quick", "--out", output);
        Assert.Equal(2, otherArchitecture);
        Assert.Contains("does not fit this Mlp", otherArchitectureLog);

        var (wrongShape, wrongShapeLog) = Program("analyze", Fixture("o5-mlp.pt"), "--experiment", "rotmnist-shallow", "--quick", "--out", output);
        Assert.Equal(2, wrongShape);
        Assert.Contains("The given network cannot take inputs of shape [28, 28]", wrongShapeLog);

        var (notTensor, notTensorLog) = Program("analyze", Fixture("tuple-output.pt"), "--experiment", "o5-regression", "--quick", "--out", output);
        Assert.Equal(2, notTensor);
        Assert.Contains("does not return one tensor", notTensorLog);

        var (notModel, notModelLog) = Program("analyze", Fixture("o5-inputs.npy"), "--experiment", "o5-regression", "--quick", "--out", output);
        Assert.Equal(2, notModel);
        Assert.Contains("o5-inputs.npy is neither a TorchScript module, nor a state dict", notModelLog.Replace("\n", ""));

        Assert.False(Directory.Exists(Path.Combine(output, "rotmnist-shallow")), "no folder is left by a refused analysis");
        Assert.False(Directory.Exists(Path.Combine(output, "o5-regression")), "no folder is left by a refused analysis");
    }
}
