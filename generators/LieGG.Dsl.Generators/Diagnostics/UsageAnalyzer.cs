using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using LieGG.Dsl.Generators.Parsing;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static LieGG.Dsl.Generators.Diagnostics.DiagnosticDescriptors;

namespace LieGG.Dsl.Generators.Diagnostics;

/// <summary>LGG1xxx: how an experiment is declared — a partial top-level type, a usable unique name, one attribute of each group.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UsageAnalyzer : DeclarationAnalyzer
{
    private static readonly Regex NamePattern = new("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        NotPartial, Nested, InvalidName, DuplicateName, AttributeWithoutExperiment, MissingGroup, DuplicateGroup);

    /// <summary>Every declared name with the types and locations that declare it; duplicates are reported when the compilation ends.</summary>
    private sealed class Names : ConcurrentDictionary<string, ConcurrentBag<(string Type, Location Location)>>
    {
        public Names() : base(StringComparer.Ordinal)
        {
        }
    }

    private protected override object? CreateCompilationState() => new Names();

    private protected override void EndCompilation(CompilationAnalysisContext end, object state)
    {
        foreach (var (name, declarations) in ((Names)state).Select(kv => (kv.Key, kv.Value.OrderBy(d => d.Type, StringComparer.Ordinal).ToList())))
        {
            if (declarations.Count < 2) continue;
            foreach (var declaration in declarations)
            {
                var other = declarations.First(d => d.Type != declaration.Type || !ReferenceEquals(d.Location, declaration.Location));
                end.ReportDiagnostic(Diagnostic.Create(DuplicateName, declaration.Location, name, other.Type));
            }
        }
    }

    private protected override void AnalyzeUndeclared(DeclarationFacts facts, Reporter report)
    {
        var first = facts.Attributes[0];
        report.At(first.Location, AttributeWithoutExperiment, first.Name, facts.Type.Name);
    }

    private protected override void Analyze(DeclarationFacts facts, Reporter report, SymbolAnalysisContext context, object? compilationState)
    {
        var type = facts.Type;
        var experiment = facts.Experiment!;
        string experimentName = experiment.Data.ConstructorArguments.FirstOrDefault().Value as string ?? "";
        if (!NamePattern.IsMatch(experimentName))
            report.At(experiment.ConstructorLocation(0), InvalidName, experimentName);
        else
            ((Names)compilationState!).GetOrAdd(experimentName, _ => new ConcurrentBag<(string, Location)>()).Add((type.ToDisplayString(), experiment.ConstructorLocation(0)));

        var declarations = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(context.CancellationToken)).OfType<TypeDeclarationSyntax>().ToList();
        if (declarations.Count > 0 && !declarations.Any(d => d.Modifiers.Any(SyntaxKind.PartialKeyword)))
            report.At(declarations[0].Identifier.GetLocation(), NotPartial, type.Name);
        if (type.ContainingType is not null)
            report.At(declarations.FirstOrDefault()?.Identifier.GetLocation() ?? experiment.Location, Nested, type.Name, type.ContainingType.Name);

        if (facts.IsComparison) return;
        Single(report, facts, "dataset", AttributeNames.Datasets);
        Single(report, facts, "architecture", AttributeNames.Architectures, codeAlternative: ExperimentParser.HasBuildNetwork(type));
        Single(report, facts, "training", AttributeNames.Trainings);
        Single(report, facts, "prior", AttributeNames.Priors);
    }

    /// <param name="codeAlternative">The group is declared in code instead (a BuildNetwork method), so an attribute is neither needed nor allowed.</param>
    private static void Single(Reporter report, DeclarationFacts facts, string group, string[] members, bool codeAlternative = false)
    {
        var found = facts.Attributes.Where(a => Array.IndexOf(members, a.Name) >= 0).ToList();
        if (found.Count == 0 && !codeAlternative)
            report.At(facts.Experiment!.Location, MissingGroup, report.Experiment, group,
                string.Join(", ", members.Select(m => $"[{m}]")) + (group == "architecture" ? $" (or write static {AttributeNames.BuildNetworkMethod}(ModelContext))" : ""));
        if (codeAlternative && found.Count > 0)
            report.At(found[0].Location, DuplicateGroup, report.Experiment, group, AttributeNames.BuildNetworkMethod, found[0].Name);
        for (int i = 1; i < found.Count; i++)
            report.At(found[i].Location, DuplicateGroup, report.Experiment, group, found[0].Name, found[i].Name);
    }
}
