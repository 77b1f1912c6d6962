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

    private static string DocumentationPath([CallerFilePath] string here = "")
        => Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "docs", "diagnostics.md");
}
