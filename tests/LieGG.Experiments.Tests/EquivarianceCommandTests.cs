using System.Text.Json;
using LieGG.Experiments;

namespace LieGG.Experiments.Tests;

/// <summary><c>analyze --equivariance</c> on run folders: which layer keeps a symmetry and which breaks it.</summary>
[Trait("Category", "EndToEnd")]
[RunsInOwnProcesses]
[TypicalDuration(34)]
public sealed class EquivarianceCommandTests : IDisposable
{
    private readonly string output = Directory.CreateTempSubdirectory("liegg-equivariance-").FullName;

    public void Dispose() => Directory.Delete(output, recursive: true);

    /// <summary>The layers' equivariance is structure, not training: wiring sizes, on one thread beside the other tests.</summary>
    private static readonly string[] SmallRun = ["--quick", "--threads", "1", .. WiringSizes.Of("RotatedMnist")];

    private string Train(string experiment)
    {
        var (exit, log) = ExperimentsProgram.Run(["run", experiment, .. SmallRun, "--out", output]);
        Assert.True(exit == 0, log);
        return Directory.GetDirectories(Path.Combine(output, experiment)).Single();
    }

    private string Analysis(string experiment) => Directory.GetDirectories(Path.Combine(output, experiment)).Single(f => f.EndsWith("-analysis", StringComparison.Ordinal));

    private static JsonElement Equivariance(string folder)
        => JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "result.json"))).RootElement.GetProperty("result").GetProperty("equivariance");

    private static double OwnError(JsonElement equivariance, string element, string layer)
        => equivariance.GetProperty("elements").EnumerateArray().Single(e => e.GetProperty("element").GetString() == element)
            .GetProperty("layers").EnumerateArray().Single(l => l.GetProperty("name").GetString() == layer).GetProperty("ownRelative").GetDouble();

    [Fact]
    public void A_trained_p4cnn_keeps_quarter_turns_in_every_layer_and_a_z2cnn_breaks_them_from_its_first_layer()
    {
        var p4 = Train("rotmnist-p4cnn");
        var (exit, log) = ExperimentsProgram.Run("analyze", p4, "--equivariance", "--exact", "rotations", "--equivariance-samples", "8", "--out", output);
        Assert.True(exit == 0, log);
        var folder = Analysis("rotmnist-p4cnn");
        var p4Result = Equivariance(folder);
        double tolerance = p4Result.GetProperty("tolerance").GetDouble();
        foreach (var element in p4Result.GetProperty("elements").EnumerateArray().Where(e => e.GetProperty("element").GetString()!.StartsWith("rot", StringComparison.Ordinal)))
            foreach (var layer in element.GetProperty("layers").EnumerateArray())
                Assert.True(layer.GetProperty("ownRelative").GetDouble() <= tolerance, $"{element.GetProperty("element")} {layer.GetProperty("name")}");
        var report = File.ReadAllText(Path.Combine(folder, "report.md"));
        Assert.Contains("## Equivariance by layer", report);
        Assert.Contains("Declared exact: rot90", report);
        Assert.Contains("holds in every layer", report);
        Assert.Contains("rotation own", report);
        Assert.Contains("LieGG H1 own", report);
        var csv = File.ReadAllLines(Path.Combine(folder, "equivariance.csv"));
        Assert.Equal("probe,kind,layer,pathway,space,own,own_relative,share", csv[0]);
        Assert.Contains(csv, line => line.StartsWith("\"rot90\",element,\"conv 4\"", StringComparison.Ordinal));

        var z2 = Train("rotmnist-z2cnn");
        var (z2Exit, z2Log) = ExperimentsProgram.Run("analyze", z2, "--equivariance", "--exact", "rot90", "--equivariance-samples", "8", "--out", output);
        Assert.Equal(1, z2Exit);
        Assert.Contains("declared exact equivariance does not hold", z2Log);
        Assert.Contains("rot90: conv 1", z2Log);
        var z2Result = Equivariance(Analysis("rotmnist-z2cnn"));
        // The results are kept, and the first convolution is far from exact: at least 100× the P4CNN's worst layer.
        double p4Worst = p4Result.GetProperty("elements").EnumerateArray().First().GetProperty("layers").EnumerateArray().Max(l => l.GetProperty("ownRelative").GetDouble());
        Assert.True(OwnError(z2Result, "rot90", "conv 1") > 100 * Math.Max(p4Worst, tolerance));
    }

    [Fact]
    public void The_planted_fault_is_the_layer_the_command_line_names()
    {
        // Quarter turns are declared exact: the run writes its results, then fails naming the layer.
        var (exit, log) = ExperimentsProgram.Run(["run", "rotmnist-planted-fault", .. SmallRun, "--out", output]);
        Assert.Equal(1, exit);
        Assert.Contains($"rot90: {PlantedFaultP4Cnn.PlantedLayer} (relative error", log, StringComparison.Ordinal);
        var run = Directory.GetDirectories(Path.Combine(output, "rotmnist-planted-fault")).Single();
        var result = Equivariance(run);
        var rot90 = result.GetProperty("elements").EnumerateArray().Single(e => e.GetProperty("element").GetString() == "rot90");
        var worst = rot90.GetProperty("layers").EnumerateArray().MaxBy(l => l.GetProperty("ownRelative").GetDouble());
        Assert.Equal(PlantedFaultP4Cnn.PlantedLayer, worst.GetProperty("name").GetString());
        // Every other layer is a p4 layer and stays exact.
        Assert.Single(rot90.GetProperty("layers").EnumerateArray(), l => l.GetProperty("ownRelative").GetDouble() > result.GetProperty("tolerance").GetDouble());
        Assert.Contains($"broken by {PlantedFaultP4Cnn.PlantedLayer}", File.ReadAllText(Path.Combine(run, "report.md")));

        // The same from a run folder: analyze names it too.
        var (analyzeExit, analyzeLog) = ExperimentsProgram.Run("analyze", run, "--equivariance", "--elements", "rot90", "--equivariance-samples", "8", "--out", output);
        Assert.Equal(1, analyzeExit);
        Assert.Contains($"rot90: {PlantedFaultP4Cnn.PlantedLayer} (relative error", analyzeLog, StringComparison.Ordinal);
    }

    [Fact]
    public void A_torchscript_module_is_analysed_end_to_end_along_the_ground_truths_generators()
    {
        string fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch");
        var (exit, log) = ExperimentsProgram.Run("analyze", Path.Combine(fixtures, "o5-invariant.pt"), "--inputs", Path.Combine(fixtures, "o5-inputs.npy"),
            "--prior", "generic:5x2", "--ground-truth", "so", "--equivariance", "--equivariance-samples", "16", "--out", output);
        Assert.True(exit == 0, log);
        var result = Equivariance(Directory.GetDirectories(Path.Combine(output, "o5-invariant")).Single());
        var generators = result.GetProperty("generators").EnumerateArray().ToList();
        // so(5) has 10 basis generators, then LieGG's H1; the function is exactly O(5)-invariant (in float64), so along each the error is round-off.
        Assert.Equal(11, generators.Count);
        Assert.Equal("network", Assert.Single(generators[0].GetProperty("layers").EnumerateArray()).GetProperty("name").GetString());
        Assert.All(generators, g => Assert.True(g.GetProperty("analysed").GetDouble() < 1e-12, $"{g.GetProperty("probe")}: {g.GetProperty("analysed")}"));
        Assert.Empty(result.GetProperty("elements").EnumerateArray());
    }

    [Fact]
    public void Bad_equivariance_options_are_usage_errors_that_name_each_option()
    {
        var (exit, log) = ExperimentsProgram.Run("analyze", output, "--equivariance", "--elements", "rot45,shift:2;2", "--exact", "mirror,flip", "--out", output);
        Assert.Equal(2, exit);
        Assert.Contains("--elements: 'rot45' is not a group element", log);
        Assert.Contains("--exact: 'mirror' is not a group element", log);
        var (withoutExit, withoutLog) = ExperimentsProgram.Run("analyze", output, "--exact", "rot90", "--out", output);
        Assert.Equal(2, withoutExit);
        Assert.Contains("need --equivariance", withoutLog);
    }
}
