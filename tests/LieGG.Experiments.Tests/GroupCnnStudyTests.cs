using LieGG.Runtime.Orchestration;
using LieGG.Runtime.Results;

namespace LieGG.Experiments.Tests;

/// <summary>
/// The group-CNN study through the CLI, in a process of its own: twelve CNN trials are the longest single piece of
/// work in the study tests, and in the test host they would hold up every test that must run there.
/// </summary>
[Trait("Category", "Study")]
[RunsInOwnProcesses]
[TypicalDuration(37)]
public sealed class GroupCnnStudyTests : IDisposable
{
    private readonly string output = Directory.CreateTempSubdirectory("liegg-gcnn-study-").FullName;

    public void Dispose() => Directory.Delete(output, recursive: true);

    [Fact]
    public void Quick_gcnn_table_compares_the_three_networks_over_seeds_beside_the_paper()
    {
        // Wiring, not numbers: every row, section and layer check below holds at wiring sizes (the P4CNNs' round-off
        // equivariance and the Z2CNN's broken one are properties of the layers, not of training).
        var (exitCode, log) = ExperimentsProgram.Run(["study", "gcnn-table", "--quick", "--threads", "1", .. WiringSizes.Of("RotatedMnist"), "--out", output]);
        Assert.True(exitCode == 0, log);
        var folder = StudyRunner.StudyFolder(output, "gcnn-table");
        var study = StudyResult.Load(Path.Combine(folder, "study.json"));
        Assert.Equal(12, study.Rows.Count);
        Assert.Equal(["rotmnist-z2cnn", "rotmnist-p4cnn-rotpool", "rotmnist-p4cnn", "rotmnist-deep-unblurred"], study.Rows.Select(r => r.Trial.Parameters[0].Value).Distinct());
        Assert.Equal([2022, 2023, 2024], study.Rows.Take(3).Select(r => r.Trial.Seed));
        var markdown = File.ReadAllText(Path.Combine(folder, "study.md"));
        Assert.Contains("## Summary over seeds", markdown);
        Assert.Contains("test error %", markdown);
        Assert.Contains("between different networks compare relative variance and bias", markdown);
        Assert.Contains("**Published:** Cohen & Welling (2016), Table 1", markdown);
        // Every layer's own quarter-turn error: round-off in the P4CNNs, far from it in the Z2CNN's convolutions.
        Assert.Contains("## Equivariance by layer", markdown);
        foreach (var row in study.Rows.Where(r => r.Trial.Parameters[0].Value.StartsWith("rotmnist-p4cnn", StringComparison.Ordinal)))
            Assert.All(row.LayerEquivariance!, layer => Assert.True(layer.Rotation < 1e-9, $"{row.Trial.Parameters[0].Value} {layer.Layer}: {layer.Rotation}"));
        foreach (var row in study.Rows.Where(r => r.Trial.Parameters[0].Value == "rotmnist-z2cnn"))
            Assert.True(row.LayerEquivariance!.Single(l => l.Layer == "conv 1").Rotation > 1e-3);
        foreach (var figure in new[] { "rotation-accuracy.png", "rotation-change.png" })
            Assert.True(File.Exists(Path.Combine(folder, figure)), figure);
    }
}
