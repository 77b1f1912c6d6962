using LieGG.Dsl.Generators.Parsing;

namespace LieGG.Dsl.Generators.Diagnostics;

/// <summary>
/// One family of the DSL's rules (usage, dataset and architecture, symmetry, training, studies): each family is its own
/// analyzer over the same <see cref="DeclarationFacts"/>, and every diagnostic points at the attribute or argument at fault.
/// </summary>
public abstract class DeclarationAnalyzer : DiagnosticAnalyzer
{
    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName(AttributeNames.Experiment) is null) return;
            var interfaces = new RuntimeInterfaces(start.Compilation);
            var compilationState = CreateCompilationState();
            if (compilationState is not null) start.RegisterCompilationEndAction(end => EndCompilation(end, compilationState));
            start.RegisterSymbolAction(symbol =>
            {
                if (DeclarationFacts.Of((INamedTypeSymbol)symbol.Symbol, interfaces) is not { } facts) return;
                var report = new Reporter(new SymbolAnalysisContextShim(symbol.ReportDiagnostic), facts.ExperimentName);
                if (facts.Experiment is null) AnalyzeUndeclared(facts, report);
                else Analyze(facts, report, symbol, compilationState);
            }, SymbolKind.NamedType);
        });
    }

    /// <summary>Per-compilation state a family needs (e.g. every declared name, to find duplicates at the end); null (the default) for none.</summary>
    private protected virtual object? CreateCompilationState() => null;

    /// <summary>Called when the compilation ends, with the state <see cref="CreateCompilationState"/> made.</summary>
    private protected virtual void EndCompilation(CompilationAnalysisContext end, object state)
    {
    }

    /// <summary>Checks one declared experiment or study.</summary>
    private protected abstract void Analyze(DeclarationFacts facts, Reporter report, SymbolAnalysisContext context, object? compilationState);

    /// <summary>A type with DSL attributes but neither [Experiment] nor [Study].</summary>
    private protected virtual void AnalyzeUndeclared(DeclarationFacts facts, Reporter report)
    {
    }
}

/// <summary>Every LieGG analyzer, for hosts that run them together (tests, tools).</summary>
public static class ExperimentAnalyzers
{
    public static ImmutableArray<DiagnosticAnalyzer> All { get; } = ImmutableArray.Create<DiagnosticAnalyzer>(
        new UsageAnalyzer(), new DatasetAndArchitectureAnalyzer(), new SymmetryRulesAnalyzer(), new TrainingAnalyzer(), new StudyAnalyzer());
}
