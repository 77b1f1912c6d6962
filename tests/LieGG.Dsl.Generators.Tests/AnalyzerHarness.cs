using System.Collections.Immutable;
using System.Text.RegularExpressions;
using LieGG.Dsl.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace LieGG.Dsl.Generators.Tests;

/// <summary>
/// Runs the analyzer on sources written with markup: {|LGG1001:text|} marks the text a diagnostic must cover.
/// The diagnostics reported must be exactly the marked ones (id and span).
/// </summary>
internal static partial class AnalyzerHarness
{
    [GeneratedRegex(@"\{\|(?<id>LGG\d{4}):(?<text>.*?)\|\}", RegexOptions.Singleline)]
    private static partial Regex Markup();

    public static void Verify(string markedSource)
    {
        var expected = new List<(string Id, TextSpan Span)>();
        var source = Markup().Replace(markedSource, match =>
        {
            int start = match.Index - expected.Sum(e => MarkupOverhead(e.Id));
            expected.Add((match.Groups["id"].Value, new TextSpan(start, match.Groups["text"].Length)));
            return match.Groups["text"].Value;
        });

        var actual = Analyze(source).Select(d => (d.Id, d.Location.SourceSpan)).OrderBy(d => d.SourceSpan.Start).ThenBy(d => d.Id).ToList();
        var wanted = expected.OrderBy(e => e.Span.Start).ThenBy(e => e.Id).ToList();
        Assert.True(wanted.SequenceEqual(actual),
            $"expected [{string.Join(", ", wanted.Select(e => $"{e.Id}@{Text(source, e.Span)}"))}]\nactual   [{string.Join(", ", actual.Select(a => $"{a.Id}@{Text(source, a.SourceSpan)}"))}]");
    }

    public static ImmutableArray<Diagnostic> Analyze(string source)
    {
        var compilation = GeneratorHarness.Compile(source);
        return compilation.WithAnalyzers(ExperimentAnalyzers.All).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
    }

    private static int MarkupOverhead(string id) => "{|".Length + id.Length + ":".Length + "|}".Length;

    private static string Text(string source, TextSpan span) => $"'{source.Substring(span.Start, span.Length)}'";
}
