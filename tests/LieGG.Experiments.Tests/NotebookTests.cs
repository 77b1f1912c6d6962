using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LieGG.Experiments.Tests;

/// <summary>
/// examples/quickstart.ipynb executed headless by dotnet-repl (the repository's local tool: <c>dotnet tool restore</c>)
/// against this build, as a reader would run it: every cell runs without an error and its outputs are the computation's
/// (an exactly invariant TorchScript network gives a variance at round-off and ten generators). Skipped where the tool is
/// not restored.
/// </summary>
[Trait("Category", "EndToEnd")]
[Trait("Category", "Notebook")]
[RunsInOwnProcesses]
[TypicalDuration(22)]
public sealed class NotebookTests
{
    private static readonly string Repository = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));
    private static readonly string Examples = Path.Combine(Repository, "examples");

    [SkippableFact]
    public void The_quickstart_notebook_runs_headless_and_shows_what_it_computed()
    {
        Skip.IfNot(Tool("--version").ExitCode == 0, "dotnet-repl is not restored here (run 'dotnet tool restore' at the repository root)");
        var written = Path.Combine(Path.GetTempPath(), $"liegg-notebook-{Guid.NewGuid():N}.ipynb");
        var results = Path.Combine(Examples, "notebook-results");
        try
        {
            var (exitCode, output) = Tool("--run", "quickstart.ipynb", "--exit-after-run", "--output-path", written);
            Assert.True(exitCode == 0, $"dotnet-repl exit {exitCode}:\n{output}");
            using var notebook = JsonDocument.Parse(File.ReadAllText(written));
            var cells = notebook.RootElement.GetProperty("cells").EnumerateArray().Where(c => c.GetProperty("cell_type").GetString() == "code").ToList();
            var outputs = cells.Select(c => c.GetProperty("outputs").EnumerateArray().ToList()).ToList();
            var errors = outputs.SelectMany(o => o).Where(o => o.GetProperty("output_type").GetString() == "error").Select(o => o.GetProperty("evalue").GetString()).ToList();
            Assert.True(errors.Count == 0, string.Join("\n", errors));
            var text = outputs.Select(o => string.Join("\n", o.Select(Text))).ToList();
            Assert.Contains("TorchSharp 0.107", text[1]);
            Assert.Matches(@"^test MSE [\d.E+-]+, symmetry variance [\d.E+-]+, min bias vs so\(5\) [\d.E+-]+$", text[2]);
            Assert.Contains("H1 (λ = ", text[3]);
            Assert.Contains("<svg", text[4]);
            Assert.Contains("report.html", text[4]);
            Assert.True(File.Exists(Path.Combine(results, "notebook-o5", "notebook", "report.html")));
            Assert.StartsWith("O5Regression: test MSE ", text[5]);
            var analysis = Regex.Match(text[6], @"^variance ([\d.E+-]+), subspace dimension (\d+), min bias vs so\(5\) ([\d.E+-]+)$");
            Assert.True(analysis.Success, text[6]);
            Assert.True(double.Parse(analysis.Groups[1].Value, CultureInfo.InvariantCulture) < 1e-20, "an exactly O(5)-invariant network's variance is at round-off");
            Assert.Equal("10", analysis.Groups[2].Value);
            Assert.True(double.Parse(analysis.Groups[3].Value, CultureInfo.InvariantCulture) < 1e-8, "its generators span so(5)");
        }
        finally
        {
            File.Delete(written);
            if (Directory.Exists(results)) Directory.Delete(results, recursive: true);
        }
    }

    private static string Text(JsonElement output)
    {
        if (output.TryGetProperty("text", out var stream)) return string.Concat(stream.EnumerateArray().Select(l => l.GetString()));
        if (!output.TryGetProperty("data", out var data)) return "";
        foreach (var kind in new[] { "text/plain", "text/html" })
            if (data.TryGetProperty(kind, out var value))
                return value.ValueKind == JsonValueKind.Array ? string.Concat(value.EnumerateArray().Select(l => l.GetString())) : value.GetString() ?? "";
        return "";
    }

    /// <summary>dotnet-repl through the repository's tool manifest, in examples/ (the notebook's folder, as Polyglot Notebooks run it).</summary>
    private static (int ExitCode, string Output) Tool(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Examples, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var argument in new[] { "tool", "run", "dotnet-repl", "--" }.Concat(arguments)) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var standardError = process.StandardError.ReadToEndAsync();
        string standardOutput = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) { process.Kill(entireProcessTree: true); return (-1, "dotnet-repl did not finish in 5 minutes"); }
        return (process.ExitCode, standardOutput + standardError.Result);
    }
}
