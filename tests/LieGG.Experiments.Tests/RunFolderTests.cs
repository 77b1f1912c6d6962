using System.Diagnostics;
using LieGG.Generated;
using LieGG.Runtime.Reports;
using LieGG.Runtime.Results;

namespace LieGG.Experiments.Tests;

/// <summary>Every run gets a folder of its own, claimed before any work; a bad --out fails before training.</summary>
[Trait("Category", "EndToEnd")]
[Collection(TestHostCollection.Name)]
public sealed class RunFolderTests : IDisposable
{
    private readonly string output = Directory.CreateTempSubdirectory("liegg-run-folder-").FullName;

    public void Dispose() => Directory.Delete(output, recursive: true);

    [Fact]
    public void Claims_of_one_run_id_from_many_threads_get_distinct_folders()
    {
        var claims = new RunFolder[8];
        Parallel.For(0, claims.Length, i => claims[i] = RunFolder.Claim(output, "demo", "20261130-120000-seed1"));
        Assert.Equal(claims.Length, claims.Select(c => c.Path).Distinct().Count());
        Assert.Equal(["20261130-120000-seed1", .. Enumerable.Range(2, 7).Select(n => $"20261130-120000-seed1-{n}")], claims.Select(c => c.RunId).Order(StringComparer.Ordinal).OrderBy(id => id.Length));
        Assert.All(claims, c => Assert.True(File.Exists(Path.Combine(c.Path, RunFolder.ClaimFile))));
    }

    [Fact]
    public void A_released_claim_leaves_nothing_and_a_folder_with_results_is_kept()
    {
        var empty = RunFolder.Claim(output, "demo", "id");
        empty.Release();
        Assert.False(Directory.Exists(empty.Path));
        var used = RunFolder.Claim(output, "demo", "id");
        File.WriteAllText(Path.Combine(used.Path, "report.md"), "# run");
        used.Release();
        Assert.True(File.Exists(Path.Combine(used.Path, "report.md")));
    }

    [Fact]
    public void An_out_that_is_a_file_is_a_usage_error_before_any_training()
    {
        var file = Path.Combine(output, "not-a-folder");
        File.WriteAllText(file, "x");
        Assert.Contains("is a file; name a directory", Assert.Throws<IOException>(() => RunFolder.Claim(file, "demo", "id")).Message);
        var console = new StringWriter();
        int status = InProcessCli.Run(console, ["run", "o5-regression", "--quick", "--out", file]);
        Assert.Equal(2, status);
        var words = System.Text.RegularExpressions.Regex.Replace(console.ToString(), @"\s+", " ");
        Assert.Contains("is a file; name a directory", words);
        Assert.DoesNotContain("epoch", words);
    }

    [Fact]
    public async Task Two_processes_running_one_experiment_and_seed_into_one_out_keep_both_results()
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "LieGG.Experiments.dll");
        Process Start(int epochs) => Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { cli, "run", "o5-regression", "--quick", "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", output },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        using var first = Start(1);
        using var second = Start(2);
        var outputs = await Task.WhenAll(first.StandardOutput.ReadToEndAsync(), second.StandardOutput.ReadToEndAsync());
        await Task.WhenAll(first.WaitForExitAsync(), second.WaitForExitAsync());
        Assert.True(first.ExitCode == 0 && second.ExitCode == 0, string.Join("\n", outputs));

        var folders = Directory.GetDirectories(Path.Combine(output, "o5-regression"));
        Assert.Equal(2, folders.Length);
        var epochs = folders.Select(f => RunRecord.Load(Path.Combine(f, "result.json"))).Select(r => r.Result.Epochs).Order();
        Assert.Equal([1, 2], epochs);
        foreach (var folder in folders)
        {
            var record = RunRecord.Load(Path.Combine(folder, "result.json"));
            Assert.Equal(Path.GetFileName(folder), record.RunId);
            Assert.Equal(record.Result.Epochs + 1, File.ReadAllLines(Path.Combine(folder, "training.csv")).Length);
        }
    }
}
