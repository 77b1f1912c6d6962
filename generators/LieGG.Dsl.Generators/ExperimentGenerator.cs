using LieGG.Dsl.Generators.Emit;
using LieGG.Dsl.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LieGG.Dsl.Generators;

/// <summary>
/// [Experiment] partial types → typed spec, LoadData, CreateModel, Run/RunAsync and a result record per
/// experiment, plus one catalog per assembly. Validation is the analyzers' job; incomplete declarations are skipped.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ExperimentGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var experiments = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeNames.Experiment,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                static (syntax, cancellationToken) => ExperimentParser.Parse(syntax, cancellationToken))
            .WithTrackingName(TrackingNames.Experiments)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.ParsedExperiments);

        context.RegisterSourceOutput(experiments.Where(static m => m.IsComplete).WithTrackingName(TrackingNames.CompleteExperiments),
            static (output, model) => output.AddSource(ExperimentEmitter.HintName(model), ExperimentEmitter.Emit(model)));

        var catalog = experiments.Collect().WithTrackingName(TrackingNames.Catalog);
        context.RegisterSourceOutput(catalog, static (output, models) => output.AddSource(CatalogEmitter.HintName, CatalogEmitter.Emit(models)));
    }
}

/// <summary>Names of the tracked pipeline steps (the caching tests check them).</summary>
public static class TrackingNames
{
    public const string Experiments = nameof(Experiments);
    public const string ParsedExperiments = nameof(ParsedExperiments);
    public const string CompleteExperiments = nameof(CompleteExperiments);
    public const string Catalog = nameof(Catalog);
}
