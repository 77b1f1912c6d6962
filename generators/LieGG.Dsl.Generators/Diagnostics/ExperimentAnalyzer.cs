using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using LieGG.Dsl.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using static LieGG.Dsl.Generators.Diagnostics.DiagnosticDescriptors;

namespace LieGG.Dsl.Generators.Diagnostics;

/// <summary>Checks experiment declarations across attributes; every diagnostic points at the attribute or argument at fault.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ExperimentAnalyzer : DiagnosticAnalyzer
{
    private static readonly Regex NamePattern = new("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        NotPartial, Nested, InvalidName, DuplicateName, AttributeWithoutExperiment, MissingGroup, DuplicateGroup,
        OutOfRange, WrongType, SpatialOnVectors, GenericSizeMismatch, AlgebraShapeMismatch, GenericOnLargeInput,
        TransformOfSingleOutput, LossMismatch);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName(AttributeNames.Experiment) is null) return;
            var interfaces = new RuntimeInterfaces(start.Compilation);
            var names = new ConcurrentDictionary<string, ConcurrentBag<(string Type, Location Location)>>(StringComparer.Ordinal);
            start.RegisterSymbolAction(symbol => AnalyzeType(symbol, interfaces, names), SymbolKind.NamedType);
            start.RegisterCompilationEndAction(end =>
            {
                foreach (var (name, declarations) in names.Select(kv => (kv.Key, kv.Value.OrderBy(d => d.Type, StringComparer.Ordinal).ToList())))
                {
                    if (declarations.Count < 2) continue;
                    foreach (var declaration in declarations)
                    {
                        var other = declarations.First(d => d.Type != declaration.Type || !ReferenceEquals(d.Location, declaration.Location));
                        end.ReportDiagnostic(Diagnostic.Create(DuplicateName, declaration.Location, name, other.Type));
                    }
                }
            });
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, RuntimeInterfaces interfaces, ConcurrentDictionary<string, ConcurrentBag<(string, Location)>> names)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var attributes = type.GetAttributes()
            .Select(a => (Data: a, Name: AttributeNames.ShortName(a.AttributeClass?.ToDisplayString())))
            .Where(a => a.Name is not null)
            .Select(a => new DslAttribute(a.Name!, a.Data))
            .ToList();
        if (attributes.Count == 0) return;
        var experiment = attributes.FirstOrDefault(a => a.Name is "Experiment" or "Study");
        if (experiment is null)
        {
            var first = attributes[0];
            context.ReportDiagnostic(Diagnostic.Create(AttributeWithoutExperiment, first.Location, first.Name, type.Name));
            return;
        }

        string experimentName = experiment.Data.ConstructorArguments.FirstOrDefault().Value as string ?? "";
        var report = new Reporter(new SymbolAnalysisContextShim(context.ReportDiagnostic), experimentName.Length > 0 ? experimentName : type.Name);
        if (!NamePattern.IsMatch(experimentName))
            report.At(experiment.ConstructorLocation(0), InvalidName, experimentName);
        else
            names.GetOrAdd(experimentName, _ => new ConcurrentBag<(string, Location)>()).Add((type.ToDisplayString(), experiment.ConstructorLocation(0)));

        var declarations = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(context.CancellationToken)).OfType<TypeDeclarationSyntax>().ToList();
        if (declarations.Count > 0 && !declarations.Any(d => d.Modifiers.Any(SyntaxKind.PartialKeyword)))
            report.At(declarations[0].Identifier.GetLocation(), NotPartial, type.Name);
        if (type.ContainingType is not null)
            report.At(declarations.FirstOrDefault()?.Identifier.GetLocation() ?? experiment.Location, Nested, type.Name, type.ContainingType.Name);

        var dataset = Single(report, experiment, attributes, "dataset", AttributeNames.Datasets);
        var architecture = Single(report, experiment, attributes, "architecture", AttributeNames.Architectures, codeAlternative: ExperimentParser.HasBuildNetwork(type));
        var training = Single(report, experiment, attributes, "training", AttributeNames.Trainings);
        var prior = Single(report, experiment, attributes, "prior", AttributeNames.Priors);
        var groundTruth = attributes.FirstOrDefault(a => a.Name == "GroundTruth");
        var analysis = attributes.FirstOrDefault(a => a.Name == "Analysis");

        var data = dataset is null ? null : DatasetFacts.Of(dataset);
        if (dataset is not null) CheckDataset(report, dataset, interfaces);
        if (architecture is not null) CheckArchitecture(report, architecture, interfaces);
        if (training is not null) CheckTraining(report, training, data);
        if (prior is not null) CheckPrior(report, prior, data);
        if (groundTruth is not null) CheckGroundTruth(report, groundTruth, prior, interfaces);
        if (analysis is not null) CheckAnalysis(report, analysis, data);
    }

    /// <param name="codeAlternative">The group is declared in code instead (a BuildNetwork method), so an attribute is neither needed nor allowed.</param>
    private static DslAttribute? Single(Reporter report, DslAttribute experiment, List<DslAttribute> attributes, string group, string[] members, bool codeAlternative = false)
    {
        var found = attributes.Where(a => Array.IndexOf(members, a.Name) >= 0).ToList();
        if (found.Count == 0 && !codeAlternative)
            report.At(experiment.Location, MissingGroup, report.Experiment, group,
                string.Join(", ", members.Select(m => $"[{m}]")) + (group == "architecture" ? $" (or write static {AttributeNames.BuildNetworkMethod}(ModelContext))" : ""));
        if (codeAlternative && found.Count > 0)
            report.At(found[0].Location, DuplicateGroup, report.Experiment, group, AttributeNames.BuildNetworkMethod, found[0].Name);
        for (int i = 1; i < found.Count; i++)
            report.At(found[i].Location, DuplicateGroup, report.Experiment, group, found[0].Name, found[i].Name);
        return found.FirstOrDefault();
    }

    private static void CheckDataset(Reporter report, DslAttribute dataset, RuntimeInterfaces interfaces)
    {
        foreach (var count in new[] { "TrainCount", "TestCount" }) report.Range(dataset, count, 1, 10_000_000, "a count from 1 to 10 000 000");
        report.Range(dataset, "ValidationCount", 0, 10_000_000, "a count from 0 to 10 000 000");
        report.Range(dataset, "Blur", 0, 10, "a σ from 0 (no blur) to 10 pixels");
        if (dataset.Name == "Dataset")
        {
            report.TypeImplements(dataset, 0, interfaces.DatasetSource, "LieGG.Runtime.Experiments.IDatasetSource");
            if (dataset.Named("InputShape") is { } shape && (shape.Values.Length == 0 || shape.Values.Any(v => v.Value is not int n || n <= 0)))
                report.At(dataset.ArgumentLocation("InputShape"), OutOfRange, dataset.Name, "InputShape", "{ " + string.Join(", ", shape.Values.Select(v => v.Value)) + " }", "one or more positive sizes, e.g. new[] { 28, 28 }");
        }
    }

    private static void CheckArchitecture(Reporter report, DslAttribute architecture, RuntimeInterfaces interfaces)
    {
        report.Range(architecture, "Hidden", architecture.Name == "MlpBudget" ? 1 : 0, 64, architecture.Name == "MlpBudget" ? "1 to 64 hidden layers (a budget sets their width)" : "0 to 64 hidden layers");
        report.Range(architecture, "Width", 1, 65_536, "1 to 65 536 units");
        report.Range(architecture, "Parameters", 1, 1e10, "a parameter budget from 1 to 10 000 000 000");
        if (architecture.Name == "Model") report.TypeImplements(architecture, 0, interfaces.ModelFactory, "LieGG.Runtime.Experiments.IModelFactory");
    }

    private static void CheckTraining(Reporter report, DslAttribute training, DatasetFacts? data)
    {
        report.Range(training, "Epochs", 1, 1_000_000, "1 to 1 000 000 epochs");
        report.Range(training, "BatchSize", 1, 10_000_000, "a batch of 1 to 10 000 000 samples");
        report.Range(training, "LearningRate", 1e-12, 10, "a learning rate in (0, 10]", exclusiveMinimum: 0);
        report.Range(training, "WeightDecay", 0, 10, "a weight decay from 0 to 10");
        if (data is null) return;
        var loss = training.EnumName("Loss");
        if (loss == "CrossEntropy" && data.Regression) report.At(training.ArgumentLocation("Loss"), LossMismatch, "CrossEntropy", data.Source, "regression", "Mse");
        if (loss == "Mse" && !data.Regression) report.At(training.ArgumentLocation("Loss"), LossMismatch, "Mse", data.Source, "classification", "CrossEntropy");
    }

    private const int GenericEntriesLimit = 1024;

    private static void CheckPrior(Reporter report, DslAttribute prior, DatasetFacts? data)
    {
        if (prior.Name == "SpatialPrior")
        {
            if (data?.Shape is { Length: 1 } vector)
                report.At(prior.Location, SpatialOnVectors, data.Source, vector[0]);
            return;
        }
        report.Range(prior, "Dimension", 1, 1_000_000, "a vector dimension of at least 1");
        report.Range(prior, "Copies", 1, 1_000_000, "at least one copy");
        int dimension = prior.Named("Dimension")?.Value as int? ?? 2, copies = prior.Named("Copies")?.Value as int? ?? 1;
        if (dimension < 1 || copies < 1) return;
        if (data?.InputSize is { } size && (long)dimension * copies != size)
            report.At(prior.ArgumentLocation("Dimension"), GenericSizeMismatch, dimension, copies, (long)dimension * copies, data.Source, size);
        if ((long)dimension * dimension > GenericEntriesLimit)
            report.At(prior.ArgumentLocation("Dimension"), GenericOnLargeInput, dimension, (long)dimension * dimension);
    }

    private static void CheckGroundTruth(Reporter report, DslAttribute groundTruth, DslAttribute? prior, RuntimeInterfaces interfaces)
    {
        if (groundTruth.Data.ConstructorArguments.FirstOrDefault().Kind == TypedConstantKind.Type)
        {
            report.TypeImplements(groundTruth, 0, interfaces.LieAlgebra, "LieGG.Runtime.Symmetry.ILieAlgebra");
            return;
        }
        if (prior is null || groundTruth.ConstructorEnumName(0) is not { } name) return;
        bool spatial = prior.Name == "SpatialPrior";
        bool affine = spatial && prior.Named("Affine")?.Value is true;
        int dimension = spatial ? 2 : prior.Named("Dimension")?.Value as int? ?? 2;
        string? problem = (name, spatial, affine) switch
        {
            ("Translations" or "SE2", false, _) => ("has 2×3 affine generators but the generic prior's are square", "use [SpatialPrior(Affine = true)]"),
            ("Translations" or "SE2", true, false) => ("has 2×3 affine generators but [SpatialPrior] without Affine has 2×2 ones", "set Affine = true on [SpatialPrior]"),
            ("Lorentz", true, true) => ("acts linearly but [SpatialPrior(Affine = true)] generators are affine", "drop Affine or choose another group"),
            ("Lorentz" or "SO" or "SL", false, _) when dimension < 2 => ($"needs matrices of size at least 2 but the generic prior's Dimension is {dimension}", "increase Dimension"),
            _ => ((string, string)?)null,
        } is { } fault ? $"{fault.Item1}|{fault.Item2}" : null;
        if (problem is null) return;
        var parts = problem.Split('|');
        report.At(groundTruth.ConstructorLocation(0), AlgebraShapeMismatch, name, parts[0], parts[1]);
    }

    private static void CheckAnalysis(Reporter report, DslAttribute analysis, DatasetFacts? data)
    {
        report.Range(analysis, "Samples", 0, int.MaxValue, "0 (all training samples) or a positive count");
        report.Range(analysis, "Bootstrap", 0, 100_000, "0 (no intervals) to 100 000 resamples");
        if (data is { Outputs: 1 } && analysis.EnumName("Transform") == "L2Normalize")
            report.At(analysis.ArgumentLocation("Transform"), TransformOfSingleOutput, data.Source);
    }

    /// <summary>What the analyzers know about a built-in dataset before anything runs.</summary>
    private sealed record DatasetFacts(string Source, int[]? Shape, int? Outputs, bool Regression)
    {
        public long? InputSize => Shape?.Aggregate(1L, (a, b) => a * b);

        public static DatasetFacts Of(DslAttribute dataset) => dataset.Name switch
        {
            "O5Regression" => new("[O5Regression]", [10], 1, true),
            "Mnist" or "RotatedMnist" => new($"[{dataset.Name}]", [28, 28], 10, false),
            _ => new(
                $"[Dataset(typeof({(dataset.Data.ConstructorArguments.FirstOrDefault().Value as ITypeSymbol)?.Name}))]",
                dataset.Named("InputShape") is { IsNull: false } shape ? shape.Values.Select(v => v.Value as int? ?? 0).ToArray() : null,
                null,
                dataset.EnumName("Task") == "Regression"),
        };
    }

    /// <summary>The runtime interfaces user types must implement (null when the runtime is not referenced).</summary>
    private sealed class RuntimeInterfaces(Compilation compilation)
    {
        public INamedTypeSymbol? DatasetSource { get; } = compilation.GetTypeByMetadataName("LieGG.Runtime.Experiments.IDatasetSource");
        public INamedTypeSymbol? ModelFactory { get; } = compilation.GetTypeByMetadataName("LieGG.Runtime.Experiments.IModelFactory");
        public INamedTypeSymbol? LieAlgebra { get; } = compilation.GetTypeByMetadataName("LieGG.Runtime.Symmetry.ILieAlgebra");
    }
}
