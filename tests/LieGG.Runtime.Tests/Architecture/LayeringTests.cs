using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace LieGG.Runtime.Tests.Architecture;

/// <summary>
/// The runtime's namespaces form a stack — data, models, training, symmetry, declarations (experiments, studies),
/// results, renderers (reports, then plots), orchestration — and no file refers to a type of a namespace above its own.
/// Read from the sources, so a new loop fails here with the file and the type that closes it.
/// </summary>
public sealed partial class LayeringTests
{
    private static readonly string[] Stack =
        ["Data", "Models", "Models.Relaxed", "Models.Serialization", "Training", "Training.Laplace", "Symmetry", "Symmetry.Equivariance", "Symmetry.Joint", "Experiments", "Studies", "Results", "Reports", "Plots", "Orchestration"];

    // A sub-namespace shares its parent's layer (Models.Relaxed builds on Models and Models wraps relaxed networks).
    private static int Layer(string ns) => ns switch
    {
        "" => -1,
        "Models.Relaxed" or "Models.Serialization" => Array.IndexOf(Stack, "Models"),
        "Training.Laplace" => Array.IndexOf(Stack, "Training"),
        "Symmetry.Equivariance" or "Symmetry.Joint" => Array.IndexOf(Stack, "Symmetry"),
        _ => Array.IndexOf(Stack, ns),
    };

    [Fact]
    public void No_runtime_file_uses_a_type_from_a_higher_layer()
    {
        var files = SourceFiles().ToList();
        var typesByLayer = files.SelectMany(f => f.Types.Select(t => (Type: t, f.Namespace))).GroupBy(t => t.Type).ToDictionary(g => g.Key, g => g.First().Namespace);
        Assert.Contains("RunRecord", typesByLayer.Keys);
        Assert.Equal("Results", typesByLayer["RunRecord"]);
        var violations = new List<string>();
        foreach (var file in files)
        {
            int layer = Layer(file.Namespace);
            foreach (Match word in Identifier().Matches(file.Code))
            {
                if (!typesByLayer.TryGetValue(word.Value, out var owner) || Layer(owner) <= layer) continue;
                violations.Add($"{file.Path} ({file.Namespace}) uses {word.Value} ({owner})");
            }
            foreach (Match import in Using().Matches(file.Source))
                if (Layer(import.Groups[1].Value) > layer) violations.Add($"{file.Path} ({file.Namespace}) imports LieGG.Runtime.{import.Groups[1].Value}");
        }
        Assert.True(violations.Count == 0, "Upward references:\n" + string.Join("\n", violations.Distinct()));
    }

    [Fact]
    public void Every_runtime_namespace_has_a_place_in_the_stack()
    {
        var unknown = SourceFiles().Select(f => f.Namespace).Distinct().Where(ns => ns != "" && Layer(ns) < 0).ToList();
        Assert.Empty(unknown);
    }

    private sealed record SourceFile(string Path, string Namespace, string Source, string Code, IReadOnlyList<string> Types);

    private static IEnumerable<SourceFile> SourceFiles([CallerFilePath] string here = "")
    {
        var root = System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(here)!, "..", "..", "..", "src", "LieGG.Runtime"));
        Assert.True(Directory.Exists(root), $"{root}: the runtime's sources are not beside the tests.");
        foreach (var path in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            if (path.Contains($"{System.IO.Path.DirectorySeparatorChar}obj{System.IO.Path.DirectorySeparatorChar}") || path.Contains($"{System.IO.Path.DirectorySeparatorChar}bin{System.IO.Path.DirectorySeparatorChar}")) continue;
            var source = File.ReadAllText(path);
            var ns = Namespace().Match(source) is { Success: true } m ? m.Groups[1].Value : "";
            // Comments, strings and using lines say nothing about dependencies (imports are checked on their own).
            var code = Comments().Replace(source, " ");
            code = Strings().Replace(code, "\"\"");
            code = UsingLine().Replace(code, "");
            var types = Declaration().Matches(source).Select(d => d.Groups[1].Value).ToList();
            yield return new SourceFile(System.IO.Path.GetRelativePath(root, path), ns, source, code, types);
        }
    }

    [GeneratedRegex(@"^namespace LieGG\.Runtime\.?([\w.]*);", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"^using (?:static )?LieGG\.Runtime\.([\w.]+?)(?:\.[A-Z]\w*Attribute)?;", RegexOptions.Multiline)]
    private static partial Regex Using();

    [GeneratedRegex(@"^using .*$", RegexOptions.Multiline)]
    private static partial Regex UsingLine();

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"\$?@?""(?:[^""\\\n]|\\.)*""")]
    private static partial Regex Strings();

    [GeneratedRegex(@"(?<![\w""])[A-Z]\w*\b")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^(?:public|internal)\s+(?:(?:sealed|static|abstract|readonly|partial)\s+)*(?:record struct|record|class|struct|enum|interface)\s+(\w+)", RegexOptions.Multiline)]
    private static partial Regex Declaration();
}
