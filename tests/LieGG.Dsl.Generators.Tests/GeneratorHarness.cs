using System.Collections.Immutable;
using LieGG.Dsl.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LieGG.Dsl.Generators.Tests;

/// <summary>Compiles test sources against the real DSL and runtime assemblies and runs the generator on them.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var extra = new[]
        {
            typeof(LieGG.Dsl.ExperimentAttribute).Assembly.Location,
            typeof(LieGG.Runtime.Experiments.ExperimentSpec).Assembly.Location,
            typeof(TorchSharp.torch).Assembly.Location,
        };
        return platform.Concat(extra).Distinct().Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToImmutableArray();
    });

    public static CSharpCompilation Compile(params string[] sources) => CSharpCompilation.Create(
        "UserExperiments",
        sources.Select(source => CSharpSyntaxTree.ParseText(source, ParseOptions)),
        References.Value,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
            // As the SDK does: reference-version unification notes are not warnings about the code.
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1701"] = ReportDiagnostic.Suppress, ["CS1702"] = ReportDiagnostic.Suppress }));

    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        [new ExperimentGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator; returns the generated files by hint name and the compilation including them.</summary>
    public static (IReadOnlyDictionary<string, string> Files, Compilation Output, GeneratorDriver Driver) Run(params string[] sources)
    {
        var compilation = Compile(sources);
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        Assert.Empty(diagnostics);
        var files = driver.GetRunResult().Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        return (files, output, driver);
    }
}
