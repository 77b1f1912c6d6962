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
        var experiments = Declarations(context, AttributeNames.Experiment, TrackingNames.Experiments, TrackingNames.ParsedExperiments);
        var studies = Declarations(context, AttributeNames.Study, TrackingNames.Studies, TrackingNames.ParsedStudies);

        foreach (var (declarations, name) in new[] { (experiments, TrackingNames.CompleteExperiments), (studies, TrackingNames.CompleteStudies) })
            context.RegisterSourceOutput(declarations.Where(static m => m.IsComplete).WithTrackingName(name),
                static (output, model) => output.AddSource(ExperimentEmitter.HintName(model), ExperimentEmitter.Emit(model)));

        var catalog = experiments.Collect().Combine(studies.Collect()).WithTrackingName(TrackingNames.Catalog);
        context.RegisterSourceOutput(catalog, static (output, models) => output.AddSource(CatalogEmitter.HintName, CatalogEmitter.Emit(models.Left, models.Right)));
    }

    private static IncrementalValuesProvider<Model.ExperimentModel> Declarations(IncrementalGeneratorInitializationContext context, string attribute, string found, string parsed)
        => context.SyntaxProvider
            .ForAttributeWithMetadataName(
                attribute,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                static (syntax, cancellationToken) => ExperimentParser.Parse(syntax, cancellationToken))
            .WithTrackingName(found)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(parsed);
}

/// <summary>Names of the tracked pipeline steps (the caching tests check them).</summary>
public static class TrackingNames
{
    public const string Experiments = nameof(Experiments);
    public const string ParsedExperiments = nameof(ParsedExperiments);
    public const string CompleteExperiments = nameof(CompleteExperiments);
    public const string Studies = nameof(Studies);
    public const string ParsedStudies = nameof(ParsedStudies);
    public const string CompleteStudies = nameof(CompleteStudies);
    public const string Catalog = nameof(Catalog);
}
