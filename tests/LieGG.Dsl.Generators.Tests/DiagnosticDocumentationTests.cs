using System.Reflection;
using System.Runtime.CompilerServices;
using LieGG.Dsl.Generators.Diagnostics;
using Microsoft.CodeAnalysis;

namespace LieGG.Dsl.Generators.Tests;

/// <summary>Every diagnostic is explained in docs/diagnostics.md, and its description tells a package user where.</summary>
public sealed class DiagnosticDocumentationTests
{
    private static IReadOnlyList<DiagnosticDescriptor> All() => typeof(DiagnosticDescriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.GetValue(null)).OfType<DiagnosticDescriptor>().ToList();

    [Fact]
    public void Every_diagnostic_has_a_section_in_the_documentation()
    {
        var documentation = File.ReadAllText(DocumentationPath());
        var all = All();
        Assert.True(all.Count >= 26);
        Assert.All(all, d => Assert.Contains($"\n## {d.Id.ToLowerInvariant()}\n", documentation));
    }

    [Fact]
    public void Descriptions_point_at_the_shipped_documentation_and_no_help_link_points_into_the_repository()
        => Assert.All(All(), d =>
        {
            Assert.Contains($"docs/diagnostics.md (section {d.Id.ToLowerInvariant()})", d.Description.ToString());
            Assert.Contains("LieGG.Dsl package", d.Description.ToString());
            Assert.True(string.IsNullOrEmpty(d.HelpLinkUri) || Uri.IsWellFormedUriString(d.HelpLinkUri, UriKind.Absolute), d.HelpLinkUri);
        });

    [Fact]
    public void Every_diagnostic_belongs_to_one_analyzer_family_and_only_range_and_type_checks_are_shared()
    {
        var families = ExperimentAnalyzers.All.Select(a => (Analyzer: a.GetType().Name, Ids: a.SupportedDiagnostics.Select(d => d.Id).ToHashSet())).ToList();
        Assert.Equal(5, families.Count);
        Assert.Equal(All().Select(d => d.Id).Order(), families.SelectMany(f => f.Ids).Distinct().Order());
        string[] shared = [DiagnosticDescriptors.OutOfRange.Id, DiagnosticDescriptors.WrongType.Id];
        foreach (var id in All().Select(d => d.Id).Except(shared))
            Assert.True(families.Count(f => f.Ids.Contains(id)) == 1, $"{id} is reported by {string.Join(", ", families.Where(f => f.Ids.Contains(id)).Select(f => f.Analyzer))}");
        // Each family keeps to its range of ids (LGG1 usage, LGG2 dataset and architecture, LGG3 symmetry, LGG40 training, LGG4004+/LGG41 studies).
        Assert.All(families.Single(f => f.Analyzer == nameof(UsageAnalyzer)).Ids, id => Assert.StartsWith("LGG1", id));
        Assert.All(families.Single(f => f.Analyzer == nameof(SymmetryRulesAnalyzer)).Ids.Except(shared), id => Assert.StartsWith("LGG3", id));
        Assert.All(families.Single(f => f.Analyzer == nameof(StudyAnalyzer)).Ids, id => Assert.StartsWith("LGG4", id));
    }

    private static string DocumentationPath([CallerFilePath] string here = "")
        => Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "docs", "diagnostics.md");
}
