using System.Collections.Immutable;
using LieGG.Dsl.CodeFixes;
using LieGG.Dsl.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LieGG.Dsl.Generators.Tests;

public sealed class CodeFixTests
{
    [Theory]
    [InlineData("public class O5;", "public partial class O5;")]
    [InlineData("internal sealed record O5;", "internal sealed partial record O5;")]
    [InlineData("class O5 { }", "partial class O5 { }")]
    public async Task LGG1001_fix_adds_partial_and_the_diagnostic_goes_away(string declaration, string expected)
    {
        string Source(string type) => $"""
            using LieGG.Dsl;
            [Experiment("o5")] [O5Regression] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)]
            {type}
            """;

        using var workspace = new AdhocWorkspace();
        var compilation = GeneratorHarness.Compile(Source(declaration));
        var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "Lab", "Lab", LanguageNames.CSharp,
            compilationOptions: compilation.Options, parseOptions: GeneratorHarness.ParseOptions, metadataReferences: compilation.References));
        var document = workspace.AddDocument(project.Id, "O5.cs", Microsoft.CodeAnalysis.Text.SourceText.From(Source(declaration)));

        var diagnostic = Assert.Single(await Diagnostics(document), d => d.Id == "LGG1001");
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await new MakePartialCodeFix().RegisterCodeFixesAsync(context);
        var operation = Assert.Single(await Assert.Single(actions).GetOperationsAsync(CancellationToken.None)).Should<ApplyChangesOperation>();
        var fixedDocument = operation.ChangedSolution.GetDocument(document.Id)!;

        Assert.Equal(Source(expected), (await fixedDocument.GetTextAsync()).ToString());
        Assert.DoesNotContain(await Diagnostics(fixedDocument), d => d.Id == "LGG1001");
    }

    private static async Task<ImmutableArray<Diagnostic>> Diagnostics(Document document)
    {
        var compilation = (await document.Project.GetCompilationAsync())!;
        return await compilation.WithAnalyzers(ExperimentAnalyzers.All).GetAnalyzerDiagnosticsAsync();
    }
}

internal static class OperationExtensions
{
    public static T Should<T>(this CodeActionOperation operation) where T : CodeActionOperation => Assert.IsType<T>(operation);
}
