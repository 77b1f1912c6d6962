using System.Runtime.CompilerServices;
using LieGG.Dsl.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LieGG.Dsl.Generators.Tests;

/// <summary>The README's complete example compiles with the generator and draws no diagnostics.</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public async Task Custom_experiment_example_compiles_cleanly()
    {
        var example = ExampleFromReadme();
        var (files, output, _) = GeneratorHarness.Run(example);

        Assert.Contains("LorentzPairs.LieGG.g.cs", files.Keys);
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Empty(await GeneratorHarness.Compile(example).WithAnalyzers(ExperimentAnalyzers.All).GetAnalyzerDiagnosticsAsync());
    }

    [Fact]
    public void Own_network_equivariance_example_compiles_cleanly()
    {
        var readme = Readme();
        var section = readme[readme.IndexOf("### Equivariance by layer", StringComparison.Ordinal)..];
        int start = section.IndexOf("```csharp\n", StringComparison.Ordinal) + "```csharp\n".Length;
        var example = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
        Assert.Contains("class TinyCnn", example);
        var problems = GeneratorHarness.Compile("global using System; global using System.Linq; global using System.Collections.Generic;", example)
            .GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Pairs_example_compiles_cleanly()
    {
        var readme = Readme();
        var section = readme[readme.IndexOf("### Pairs:", StringComparison.Ordinal)..];
        int start = section.IndexOf("```csharp\n", StringComparison.Ordinal) + "```csharp\n".Length;
        var example = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
        Assert.Contains("[OutputRepresentation(OutputSpace.Vectors)]", example);
        var (files, output, _) = GeneratorHarness.Run("global using System; global using System.Linq;\n" + example);
        Assert.Contains("MyForces.LieGG.g.cs", files.Keys);
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Empty(await GeneratorHarness.Compile("global using System; global using System.Linq;\n" + example).WithAnalyzers(ExperimentAnalyzers.All).GetAnalyzerDiagnosticsAsync());
    }

    private static string Readme([CallerFilePath] string here = "") => File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "README.md"));

    private static string ExampleFromReadme([CallerFilePath] string here = "")
    {
        var readme = File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "README.md"));
        var section = readme[readme.IndexOf("## Declaring your own experiment", StringComparison.Ordinal)..];
        int start = section.IndexOf("```csharp\n", StringComparison.Ordinal) + "```csharp\n".Length;
        var example = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
        // The harness compiles a library without the CLI; the example's entry point is built and run, as pasted, by .ci/package-check.
        var lines = example.Split('\n').Where(line => line != "using LieGG.Cli;" && !line.StartsWith("return LieGGCommandLine.Run(", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, example.Split('\n').Length - lines.Count);
        return string.Join('\n', lines);
    }
}
