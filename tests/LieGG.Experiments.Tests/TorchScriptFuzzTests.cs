using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using LieGG.Cli;
using LieGG.Runtime.Tests.Reliability;
using Xunit.Abstractions;

namespace LieGG.Experiments.Tests;

/// <summary>
/// TorchScript files are parsed and compiled by libtorch, where some errors abort the process (TorchSharp does not
/// catch <c>torch::jit::ErrorReport</c>), so <c>analyze</c> loads them first in a child process
/// (<see cref="TorchScriptProbe"/>). Fuzzed archives — the file mutated, and entries mutated inside a sound archive
/// so that they reach libtorch's parsers — must each load, or end in an error naming the file.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(TestHostCollection.Name)]
public sealed class TorchScriptFuzzTests(ITestOutputHelper output) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("liegg-script-fuzz-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch", name);

    private static (string, IReadOnlyList<string>) Program()
        => (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [Path.Combine(AppContext.BaseDirectory, "LieGG.Experiments.dll")]);

    [Theory]
    [InlineData("file", 2000)]
    [InlineData("contents", 500)]
    public void Every_fuzzed_archive_loads_or_is_refused_by_name(string where, int cases)
    {
        var valid = File.ReadAllBytes(Fixture("o5-mlp.pt"));
        var mutator = new FileMutator(seed: 20261204);
        var paths = new List<string>();
        for (int i = 0; i < cases; i++)
        {
            var bytes = where == "file"
                ? mutator.Mutate(valid)
                : mutator.MutateEntry(valid, name => name.EndsWith(".pkl", StringComparison.Ordinal) || name.EndsWith(".py", StringComparison.Ordinal) ? 3 : 1);
            var path = Path.Combine(folder, $"case-{i:D4}.pt");
            File.WriteAllBytes(path, bytes);
            paths.Add(path);
        }
        var clock = Stopwatch.StartNew();
        var problems = TorchScriptProbe.Problems(paths, Program());
        clock.Stop();
        int loaded = problems.Count(p => p is null);
        int aborted = problems.Count(p => p?.Contains("libtorch stopped", StringComparison.Ordinal) == true);
        var unnamed = paths.Zip(problems).Where(p => p.Second is { } problem && !problem.Contains(p.First, StringComparison.Ordinal)).Select(p => $"{Path.GetFileName(p.First)}: {p.Second}").ToList();
        output.WriteLine($"torchscript ({where}): {cases} cases — {loaded} loaded, {cases - loaded - aborted} refused with the file named, {aborted} aborted libtorch in the probe " +
            $"and were refused with the file named; {clock.Elapsed.TotalSeconds:F1} s in all");
        Assert.True(unnamed.Count == 0, string.Join("\n", unnamed.Take(10)));
    }

    [Fact]
    public void Analyze_turns_a_libtorch_abort_into_an_error_that_names_the_file()
    {
        // Code calling an operator libtorch does not have, in an archive whose CRCs match: its compiler throws what TorchSharp cannot catch.
        var broken = Path.Combine(folder, "broken-code.pt");
        using (var source = ZipFile.OpenRead(Fixture("o5-mlp.pt")))
        using (var target = ZipFile.Open(broken, ZipArchiveMode.Create))
            foreach (var entry in source.Entries)
            {
                using var from = entry.Open();
                using var to = target.CreateEntry(entry.FullName, entry.CompressedLength == entry.Length ? CompressionLevel.NoCompression : CompressionLevel.Optimal).Open();
                using var copy = new MemoryStream();
                from.CopyTo(copy);
                var bytes = copy.ToArray();
                if (entry.FullName.EndsWith("code/__torch__.py", StringComparison.Ordinal))
                    bytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("torch.reshape(", "torch.reshapez(", StringComparison.Ordinal));
                to.Write(bytes);
            }
        var (exitCode, log) = ExperimentsProgram.Run("analyze", broken, "--experiment", "o5-regression", "--out", folder);
        Assert.True(exitCode == 2, log);
        Assert.Contains($"{broken} is not a TorchScript module this program can load", log);
        Assert.Contains("libtorch stopped", log);
        Assert.Contains("Unknown builtin op: aten::reshapez", log);
        Assert.False(Directory.Exists(Path.Combine(folder, "o5-regression")), "nothing was written");
    }
}
