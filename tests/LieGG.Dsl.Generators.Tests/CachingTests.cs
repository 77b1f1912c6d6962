using System.Collections;
using System.Reflection;
using LieGG.Dsl.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LieGG.Dsl.Generators.Tests;

/// <summary>The pipeline must cache: rerunning on an equivalent compilation recomputes nothing, and no step keeps symbols or syntax.</summary>
public sealed class CachingTests
{
    private const string Source = """
        using LieGG.Dsl;
        namespace Lab;
        [Experiment("o5")] [O5Regression] [Mlp(Width = 16)] [Train(Epochs = 3)] [GenericPrior(Dimension = 5, Copies = 2)] [GroundTruth(Group.SO)]
        public partial class O5Study;
        [Experiment("rot")] [RotatedMnist] [Mlp] [Train] [SpatialPrior] public partial class Rot;
        [Study("sizes")] [O5Regression] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)] [Sweep("O5Regression.TrainCount", 100, 200)] [Replicates(2)]
        public partial class Sizes;
        """;

    private static readonly string[] Tracked =
        [TrackingNames.Experiments, TrackingNames.ParsedExperiments, TrackingNames.CompleteExperiments,
         TrackingNames.Studies, TrackingNames.ParsedStudies, TrackingNames.CompleteStudies, TrackingNames.Catalog];

    [Fact]
    public void Rerun_on_a_cloned_compilation_is_fully_cached()
    {
        var compilation = GeneratorHarness.Compile(Source);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var first = driver.GetRunResult();
        driver = driver.RunGenerators(compilation.Clone());
        var second = driver.GetRunResult();

        foreach (var name in Tracked)
        {
            Assert.True(first.Results[0].TrackedSteps.ContainsKey(name), $"step {name} is not tracked");
            var outputs = second.Results[0].TrackedSteps[name].SelectMany(step => step.Outputs);
            Assert.All(outputs, output => Assert.True(
                output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"step {name} ran again: {output.Reason}"));
        }
    }

    [Fact]
    public void Unrelated_edit_leaves_the_experiments_cached()
    {
        var compilation = GeneratorHarness.Compile(Source);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Lab { internal static class Unrelated { } }", GeneratorHarness.ParseOptions));
        var result = driver.RunGenerators(edited).GetRunResult();

        var parsed = result.Results[0].TrackedSteps[TrackingNames.ParsedExperiments].SelectMany(step => step.Outputs);
        Assert.All(parsed, output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, output.Reason.ToString()));
    }

    [Fact]
    public void No_step_output_holds_compilation_symbols_or_syntax()
    {
        var driver = GeneratorHarness.CreateDriver().RunGenerators(GeneratorHarness.Compile(Source));
        var steps = driver.GetRunResult().Results[0].TrackedSteps;
        foreach (var name in Tracked)
        foreach (var step in steps[name])
        foreach (var (value, _) in step.Outputs)
            AssertNoRoslynObjects(value, $"step {name}", new HashSet<object>(ReferenceEqualityComparer.Instance));
    }

    private static void AssertNoRoslynObjects(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value)) return;
        Assert.False(value is Compilation or ISymbol or SyntaxNode or SyntaxTree or SemanticModel or Location,
            $"{path} holds a {value.GetType().Name}");
        if (value is IEnumerable sequence)
        {
            int index = 0;
            foreach (var item in sequence) AssertNoRoslynObjects(item, $"{path}[{index++}]", seen);
        }
        foreach (var field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            AssertNoRoslynObjects(field.GetValue(value), $"{path}.{field.Name}", seen);
    }
}
