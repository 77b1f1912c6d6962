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
        TransformOfSingleOutput, ExactSymmetryImpossible, ExactElementsOnVectors, OutputRepresentationSize, OutputRepresentationMisfit, UnitsWithoutStandardization, PairMetricWithoutPairs, LossMismatch, CnnNeedsDigits, RelaxedNeedsPowerOfTwoCanvas, InvalidPathways, QuadrantDigitDoesNotFit, ClassicSplitFixed,
        LaplaceWithoutPriors, LaplaceNeverSteps, ShareOfNetworkWithoutPathways, UnknownSweepTarget, SweepValueType, SweepValueOutOfRange, EmptySweep, DuplicateSweep,
        BadReplicates, StudyAttributeOnExperiment, UnknownPlotAxis, ComparedNotExperiment, ComparisonWithOwnSettings, ComparisonAcrossTasks, StudyWithoutSweep);

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

        if (experiment.Name == "Study" && attributes.FirstOrDefault(a => a.Name == "Compare") is { } compare)
        {
            CheckComparison(report, type, compare, attributes);
            var comparedTypes = compare.Data.ConstructorArguments.FirstOrDefault() is { Kind: TypedConstantKind.Array } list
                ? list.Values.Select(v => v.Value).OfType<INamedTypeSymbol>().ToList()
                : [];
            CheckShareMetrics(report, attributes, comparedTypes.Select(t => (t.Name, ArchitectureOf(t))));
            return;
        }

        var dataset = Single(report, experiment, attributes, "dataset", AttributeNames.Datasets);
        var architecture = Single(report, experiment, attributes, "architecture", AttributeNames.Architectures, codeAlternative: ExperimentParser.HasBuildNetwork(type));
        var training = Single(report, experiment, attributes, "training", AttributeNames.Trainings);
        var prior = Single(report, experiment, attributes, "prior", AttributeNames.Priors);
        var groundTruth = attributes.FirstOrDefault(a => a.Name == "GroundTruth");
        var analysis = attributes.FirstOrDefault(a => a.Name == "Analysis");
        var pretrain = attributes.FirstOrDefault(a => a.Name == "Pretrain");
        if (pretrain is not null)
        {
            report.Ranges(pretrain);
            int layers = pretrain.Named("Layers")?.Value as int? ?? interfaces.Defaults.Int("PretrainLayers") ?? 0;
            int? hidden = architecture?.Name is "Mlp" or "MlpBudget" ? architecture.Named("Hidden")?.Value as int? ?? interfaces.Defaults.Int("MlpHidden") : null;
            if (architecture is not null && hidden is null)
                report.At(pretrain.Location, OutOfRange, "Pretrain", "(architecture)", architecture.Name, "[Mlp] or [MlpBudget]: only MLP layers can be pre-trained");
            else if (hidden is { } h && layers >= h && layers >= 1)
                report.At(pretrain.Named("Layers") is null ? pretrain.Location : pretrain.ArgumentLocation("Layers"), OutOfRange, "Pretrain", "Layers", layers.ToString(System.Globalization.CultureInfo.InvariantCulture), $"fewer layers than the MLP's {h} hidden layers");
        }

        var data = dataset is null ? null : DatasetFacts.Of(dataset, interfaces.Defaults);
        if (dataset is not null) CheckDataset(report, dataset, interfaces);
        if (architecture is not null) CheckArchitecture(report, architecture, interfaces);
        if (architecture?.Name is "Cnn" or "P4Cnn" && data?.Shape is { } inputShape && interfaces.Defaults.Int("MnistSide") is { } side
            && !(inputShape.Length == 2 && inputShape[0] == side && inputShape[1] == side || inputShape.Length == 3 && inputShape[0] == 1 && inputShape[1] == side && inputShape[2] == side))
            report.At(architecture.Location, CnnNeedsDigits, architecture.Name, data.Source, string.Join(", ", inputShape));
        if (architecture?.Name == "RelaxedCnn") CheckRelaxed(report, architecture, data);
        if (attributes.FirstOrDefault(a => a.Name == "Laplace") is { } laplace) CheckLaplace(report, laplace, architecture, training, interfaces.Defaults);
        if (training is not null) CheckTraining(report, training, data, interfaces.Defaults);
        if (prior is not null) CheckPrior(report, prior, data, interfaces.Defaults);
        if (groundTruth is not null) CheckGroundTruth(report, groundTruth, prior, interfaces);
        if (analysis is not null) CheckAnalysis(report, analysis, data);
        if (attributes.FirstOrDefault(a => a.Name == "Equivariance") is { } equivariance) CheckEquivariance(report, equivariance, architecture, prior, interfaces.Defaults);
        var joint = attributes.FirstOrDefault(a => a.Name == "OutputRepresentation");
        if (joint is not null) CheckJoint(report, joint, prior, data, groundTruth, interfaces.Defaults);

        if (experiment.Name == "Study")
        {
            CheckSweeps(report, type, attributes);
            CheckShareMetrics(report, attributes, [(type.Name, ArchitectureOf(type))]);
            if (joint is null) CheckPairMetrics(report, attributes, type.Name);
            if (!attributes.Any(a => a.Name == "Sweep")) report.At(experiment.Location, StudyWithoutSweep, report.Experiment);
        }
        else
        {
            foreach (var misplaced in attributes.Where(a => a.Name is "Sweep" or "Replicates" or "Correlate" or "Plot"))
                report.At(misplaced.Location, StudyAttributeOnExperiment, misplaced.Name, type.Name);
        }
    }

    private static void CheckComparison(Reporter report, INamedTypeSymbol type, DslAttribute compare, List<DslAttribute> attributes)
    {
        var types = compare.Data.ConstructorArguments.FirstOrDefault();
        if (types.Kind != TypedConstantKind.Array || types.Values.Length == 0)
            report.At(compare.Location, EmptySweep, "Compare");
        else
            for (int i = 0; i < types.Values.Length; i++)
                if (types.Values[i].Value is INamedTypeSymbol compared && ExperimentParser.ExperimentNameOf(compared).Length == 0)
                    report.At(compare.ConstructorLocation(i), ComparedNotExperiment, compared.Name);
        if (types.Kind == TypedConstantKind.Array)
        {
            var compared = types.Values.Select(v => v.Value).OfType<INamedTypeSymbol>().Where(t => ExperimentParser.ExperimentNameOf(t).Length > 0).ToList();
            var regression = compared.Where(IsRegression).Select(ExperimentParser.ExperimentNameOf).ToList();
            var classification = compared.Where(t => !IsRegression(t)).Select(ExperimentParser.ExperimentNameOf).ToList();
            if (regression.Count > 0 && classification.Count > 0)
                report.At(compare.Location, ComparisonAcrossTasks, string.Join(", ", classification), string.Join(", ", regression));
        }
        foreach (var own in attributes.Where(a => ExperimentParser.GroupOf(a.Name) is not null || a.Name == "Sweep"))
            report.At(own.Location, ComparisonWithOwnSettings, own.Name, type.Name);
        if (attributes.FirstOrDefault(a => a.Name == "Replicates")?.Data.ConstructorArguments.FirstOrDefault().Value is int replicates && replicates is < 1 or > 1000)
            report.At(attributes.First(a => a.Name == "Replicates").ConstructorLocation(0), BadReplicates, replicates);
    }

    private static readonly string[] ShareMetrics = ["FcShare", "ConvShare", "GroupConvShare"];

    /// <summary>LGG4004: a pathway share correlated or plotted in a study with a trial that is no ELLA network.</summary>
    private static void CheckShareMetrics(Reporter report, List<DslAttribute> attributes, IEnumerable<(string Experiment, string? Architecture)> networks)
    {
        var plain = networks.FirstOrDefault(n => n.Architecture is not null && n.Architecture != "RelaxedCnn");
        if (plain.Architecture is null) return;
        foreach (var correlate in attributes.Where(a => a.Name == "Correlate"))
            for (int i = 0; i < 2; i++)
                if (correlate.ConstructorEnumName(i) is { } metric && ShareMetrics.Contains(metric))
                    report.At(correlate.ConstructorLocation(i), ShareOfNetworkWithoutPathways, metric, plain.Experiment, plain.Architecture);
        foreach (var plot in attributes.Where(a => a.Name == "Plot"))
        {
            if (plot.Named("X")?.Value is string x && ShareMetrics.Contains(x))
                report.At(plot.ArgumentLocation("X"), ShareOfNetworkWithoutPathways, x, plain.Experiment, plain.Architecture);
            if (plot.EnumName("Y") is { } y && ShareMetrics.Contains(y))
                report.At(plot.ArgumentLocation("Y"), ShareOfNetworkWithoutPathways, y, plain.Experiment, plain.Architecture);
        }
    }

    private static readonly Dictionary<string, string> PairMetrics = new()
    {
        ["PairVariance"] = "Variance",
        ["PairMinBias"] = "MinBias",
        ["PairGapRatio"] = "GapRatio",
    };

    private static void CheckPairMetrics(Reporter report, List<DslAttribute> attributes, string study)
    {
        foreach (var correlate in attributes.Where(a => a.Name == "Correlate"))
            for (int i = 0; i < 2; i++)
                if (correlate.ConstructorEnumName(i) is { } metric && PairMetrics.TryGetValue(metric, out var instead))
                    report.At(correlate.ConstructorLocation(i), PairMetricWithoutPairs, metric, study, instead);
        foreach (var plot in attributes.Where(a => a.Name == "Plot"))
        {
            if (plot.Named("X")?.Value is string x && PairMetrics.TryGetValue(x, out var insteadX))
                report.At(plot.ArgumentLocation("X"), PairMetricWithoutPairs, x, study, insteadX);
            if (plot.EnumName("Y") is { } y && PairMetrics.TryGetValue(y, out var insteadY))
                report.At(plot.ArgumentLocation("Y"), PairMetricWithoutPairs, y, study, insteadY);
        }
    }

    /// <summary>
    /// What the declaration fixes about the joint analysis: B needs the generic prior's Rⁿ, outputs that are copies of it or a
    /// tensor on it (sizes known for the built-in datasets), a task whose outputs the group can act on (not class logits),
    /// and a pair truth that fits the representation.
    /// </summary>
    private static void CheckJoint(Reporter report, DslAttribute joint, DslAttribute? prior, DatasetFacts? data, DslAttribute? groundTruth, DslDefaults defaults)
    {
        report.Ranges(joint);
        var kind = joint.ConstructorEnumName(0);
        if (kind is null) return;
        var at = joint.ConstructorLocation(0);
        bool diagonal = joint.EnumName("Truth") is null or "Diagonal";
        if (kind == "Invariant")
        {
            if (diagonal && groundTruth is not null && joint.Named("Truth") is not null)
                report.At(joint.ArgumentLocation("Truth"), OutputRepresentationMisfit, kind, "leaves the outputs alone, so pairs (h, h) that move them cannot be its truth", "use Truth = PairTruth.InputOnly");
            return;
        }
        if (data is { Regression: false })
        {
            report.At(at, OutputRepresentationMisfit, kind, $"acts on the outputs of {data.Source}, a classification task whose outputs are class scores the group does not move", "use OutputSpace.Invariant (LieGG's analysis) or a regression task");
            return;
        }
        if (prior?.Name == "SpatialPrior")
        {
            report.At(at, OutputRepresentationMisfit, kind, "acts on copies of the input's space Rⁿ, but [SpatialPrior] acts on the image plane", "analyse vector data with [GenericPrior], or use OutputSpace.Invariant");
            return;
        }
        if (prior?.Name != "GenericPrior") return;
        int n = prior.Named("Dimension")?.Value as int? ?? defaults.Int("GenericPriorDimension") ?? 0;
        if (n < 1 || data?.Outputs is not { } outputs) return;
        if (kind == "Vectors")
        {
            int copies = joint.Named("Copies")?.Value as int? ?? 1;
            if (copies >= 1 && (long)copies * n != outputs)
                report.At(joint.Named("Copies") is null ? at : joint.ArgumentLocation("Copies"), OutputRepresentationSize, kind, $"with Copies = {copies} on R^{n} needs {(long)copies * n} outputs", data.Source, outputs,
                    outputs % n == 0 ? $"set Copies = {outputs / n}" : $"{outputs} is not a multiple of n = {n}: the outputs are not copies of the input's space (declare Dimension as the space they share, or OutputSpace.Tensor / Invariant)");
        }
        else if (kind == "Tensor" && (long)n * n != outputs)
            report.At(at, OutputRepresentationSize, kind, $"on R^{n} needs {n * n} outputs (an n × n tensor)", data.Source, outputs,
                "use OutputSpace.Vectors for vector outputs, or the prior's Dimension the tensor is on");
    }

    /// <summary>The architecture attribute an experiment type declares, "BuildNetwork" for a model-building method, else null.</summary>
    private static string? ArchitectureOf(INamedTypeSymbol experiment)
        => experiment.GetAttributes().Select(a => AttributeNames.ShortName(a.AttributeClass?.ToDisplayString())).FirstOrDefault(n => AttributeNames.Architectures.Contains(n))
           ?? (ExperimentParser.HasBuildNetwork(experiment) ? "BuildNetwork" : null);

    /// <summary>Whether an experiment type's dataset is a regression task (as its generated result's TestMse says).</summary>
    private static bool IsRegression(INamedTypeSymbol experiment)
    {
        foreach (var attribute in experiment.GetAttributes())
        {
            var name = AttributeNames.ShortName(attribute.AttributeClass?.ToDisplayString());
            if (name is "O5Regression" or "O5Equivariant" or "Inertia") return true;
            if (name == "Dataset")
                return new DslAttribute(name, attribute).EnumName("Task") == "Regression";
        }
        return false;
    }

    private static void CheckSweeps(Reporter report, INamedTypeSymbol type, List<DslAttribute> attributes)
    {
        if (attributes.FirstOrDefault(a => a.Name == "Replicates")?.Data.ConstructorArguments.FirstOrDefault().Value is int replicates && replicates is < 1 or > 1000)
            report.At(attributes.First(a => a.Name == "Replicates").ConstructorLocation(0), BadReplicates, replicates);

        var swept = new HashSet<string>(StringComparer.Ordinal);
        var candidates = attributes.Where(a => ExperimentParser.GroupOf(a.Name) is not null).ToList();
        var targets = attributes.Where(a => a.Name == "Sweep").Select(a => a.Data.ConstructorArguments.FirstOrDefault().Value as string ?? "").ToList();
        var properties = targets.Select(t => t.Substring(t.IndexOf('.') + 1)).ToList();
        var parameters = targets.Select((t, i) => TrialMemberNames.Of(t.Substring(0, Math.Max(0, t.IndexOf('.'))), properties[i], properties)).ToList();
        CheckPlots(report, attributes, parameters);
        foreach (var sweep in attributes.Where(a => a.Name == "Sweep"))
        {
            if (sweep.Data.ConstructorArguments.Length != 2) continue;
            string target = sweep.Data.ConstructorArguments[0].Value as string ?? "";
            var (property, attributeName, propertyName) = ExperimentParser.ResolveSweepTarget(type, target);
            var owner = candidates.FirstOrDefault(a => a.Name == attributeName);
            if (owner is null)
            {
                var names = candidates.SelectMany(a => SettableProperties(a.Data.AttributeClass).Select(p => $"{a.Name}.{p}")).ToList();
                report.At(sweep.ConstructorLocation(0), UnknownSweepTarget, target, $"names no attribute of '{type.Name}'", Suggestion(target, names));
                continue;
            }
            if (property is null)
            {
                var names = SettableProperties(owner.Data.AttributeClass).Select(p => $"{attributeName}.{p}").ToList();
                report.At(sweep.ConstructorLocation(0), UnknownSweepTarget, target, $"names no settable property of [{attributeName}]", Suggestion(target, names));
                continue;
            }
            if (!swept.Add($"{attributeName}.{propertyName}"))
                report.At(sweep.ConstructorLocation(0), DuplicateSweep, target);
            var values = sweep.Data.ConstructorArguments[1];
            if (values.Kind != TypedConstantKind.Array || values.Values.Length == 0)
            {
                report.At(sweep.ConstructorLocation(0), EmptySweep, target);
                continue;
            }
            for (int i = 0; i < values.Values.Length; i++)
            {
                var value = values.Values[i];
                var location = sweep.ConstructorLocation(1 + i);
                if (!ExperimentParser.Fits(value, property.Type))
                {
                    report.At(location, SweepValueType, Display(value), property.Type.ToDisplayString(), target);
                    continue;
                }
                if (RangeRules.Find(owner.Data.AttributeClass, propertyName) is { } rule && value.Kind == TypedConstantKind.Primitive && value.Value is IConvertible && !rule.Allows(Convert.ToDouble(value.Value, System.Globalization.CultureInfo.InvariantCulture)))
                    report.At(location, SweepValueOutOfRange, Display(value), target, rule.Allowed);
            }
        }
    }

    private static void CheckPlots(Reporter report, List<DslAttribute> attributes, IReadOnlyList<string> parameters)
    {
        string[] metrics = ["TestMetric", "Variance", "MinBias", "RelativeVariance", "GapRatio", "Parameters", "WallSeconds", .. ShareMetrics];
        foreach (var plot in attributes.Where(a => a.Name == "Plot"))
        {
            if (plot.Named("X")?.Value is not string x || (!parameters.Contains(x) && !metrics.Contains(x)))
                report.At(plot.Named("X") is null ? plot.Location : plot.ArgumentLocation("X"), UnknownPlotAxis, "X", plot.Named("X")?.Value as string ?? "",
                    "a swept parameter or a metric", string.Join(", ", parameters.Concat(metrics)));
            if (plot.Named("Series")?.Value is string series && !parameters.Contains(series))
                report.At(plot.ArgumentLocation("Series"), UnknownPlotAxis, "Series", series, "a swept parameter", parameters.Count == 0 ? "(no sweeps)" : string.Join(", ", parameters));
        }
    }

    private static IEnumerable<string> SettableProperties(INamedTypeSymbol? attributeClass)
    {
        for (var current = attributeClass; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            foreach (var property in current.GetMembers().OfType<IPropertySymbol>().Where(p => p.SetMethod is not null && p.DeclaredAccessibility == Accessibility.Public))
                yield return property.Name;
    }

    private static string Suggestion(string target, IReadOnlyList<string> names)
    {
        var best = names.OrderBy(n => Distance(target.ToLowerInvariant(), n.ToLowerInvariant())).ThenBy(n => n, StringComparer.Ordinal).FirstOrDefault();
        return best is not null && Distance(target.ToLowerInvariant(), best.ToLowerInvariant()) <= Math.Max(3, target.Length / 3) ? $" (did you mean \"{best}\"?)" : "";
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    private static string Display(TypedConstant value) => value.Kind == TypedConstantKind.Enum
        ? $"{value.Type?.Name}.{value.Type?.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value.Value))?.Name}"
        : value.Value switch
        {
            string text => $"\"{text}\"",
            null => "null",
            var other => Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture)!,
        };

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
        report.Ranges(dataset);
        if (dataset.Name == "QuadrantMnist")
        {
            int canvas = dataset.Named("Canvas")?.Value as int? ?? interfaces.Defaults.Int("QuadrantCanvas") ?? 0;
            int digit = dataset.Named("DigitSize")?.Value as int? ?? interfaces.Defaults.Int("QuadrantDigitSize") ?? 0;
            if (canvas >= 2 && canvas % 2 != 0)
                report.At(dataset.ArgumentLocation("Canvas"), QuadrantDigitDoesNotFit, canvas, digit, "an odd canvas has no four equal quadrants", "use an even Canvas");
            else if (canvas >= 2 && digit >= 1 && digit > canvas / 2)
                report.At(dataset.ArgumentLocation("DigitSize"), QuadrantDigitDoesNotFit, canvas, digit, $"the digit is larger than a {canvas / 2}-pixel quadrant", $"use DigitSize ≤ {canvas / 2} or a larger Canvas");
        }
        if (dataset.Name == "CanvasMnist")
        {
            int canvas = dataset.Named("Canvas")?.Value as int? ?? interfaces.Defaults.Int("CanvasMnistCanvas") ?? 0;
            int digit = dataset.Named("DigitSize")?.Value as int? ?? interfaces.Defaults.Int("CanvasMnistDigitSize") ?? 0;
            if (canvas >= 1 && digit > canvas)
                report.At(dataset.Named("DigitSize") is null ? dataset.Location : dataset.ArgumentLocation("DigitSize"), OutOfRange, "CanvasMnist", "DigitSize",
                    digit.ToString(System.Globalization.CultureInfo.InvariantCulture), $"at most the {canvas}-pixel canvas");
        }
        if (dataset.Name is "Mnist" or "RotatedMnist" && dataset.EnumName("Digits") == "ClassicRotation")
        {
            foreach (var count in new[] { "TrainCount", "ValidationCount", "TestCount" })
                if (dataset.Named(count) is not null) report.At(dataset.ArgumentLocation(count), ClassicSplitFixed, dataset.Name, count);
        }
        if (dataset.Name == "Dataset")
        {
            report.TypeImplements(dataset, 0, interfaces.DatasetSource, "LieGG.Runtime.Experiments.IDatasetSource");
            if (dataset.Named("InputShape") is { } shape && (shape.Values.Length == 0 || shape.Values.Any(v => v.Value is not int n || n <= 0)))
                report.At(dataset.ArgumentLocation("InputShape"), OutOfRange, dataset.Name, "InputShape", "{ " + string.Join(", ", shape.Values.Select(v => v.Value)) + " }", "one or more positive sizes, e.g. new[] { 28, 28 }");
        }
    }

    private static void CheckRelaxed(Reporter report, DslAttribute architecture, DatasetFacts? data)
    {
        if (architecture.Named("Pathways") is { Kind: TypedConstantKind.Enum, Value: { } value })
        {
            int pathways = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
            const int fc = 1, factored = 2, conv = 4, groupConv = 8;
            string? fault = pathways == 0 ? "names no pathway"
                : (pathways & ~(fc | factored | conv | groupConv)) != 0 ? "holds a value that is no pathway"
                : (pathways & (fc | factored)) == (fc | factored) ? "holds both the dense and the factored FC pathway"
                : null;
            if (fault is not null) report.At(architecture.ArgumentLocation("Pathways"), InvalidPathways, pathways.ToString(System.Globalization.CultureInfo.InvariantCulture), fault);
        }
        if (data?.Shape is { } shape)
        {
            int? side = shape switch
            {
                [var h, var w] when h == w => h,
                [1, var h, var w] when h == w => h,
                _ => null,
            };
            if (side is not { } s || s < 4 || (s & (s - 1)) != 0)
                report.At(architecture.Location, RelaxedNeedsPowerOfTwoCanvas, data.Source, string.Join(", ", shape));
        }
    }

    private static void CheckLaplace(Reporter report, DslAttribute laplace, DslAttribute? architecture, DslAttribute? training, DslDefaults defaults)
    {
        report.Ranges(laplace);
        if (architecture is not null && architecture.Name != "RelaxedCnn")
            report.At(laplace.Location, LaplaceWithoutPriors, architecture.Name);
        int burnIn = laplace.Named("BurnIn")?.Value as int? ?? defaults.Int("LaplaceBurnIn") ?? 0, epochs = training?.Named("Epochs")?.Value as int? ?? defaults.Int("TrainEpochs") ?? 1;
        if (training is not null && burnIn >= 0 && epochs >= 1 && Math.Max(burnIn, 1) > epochs)
            report.At(laplace.Named("BurnIn") is null ? laplace.Location : laplace.ArgumentLocation("BurnIn"), LaplaceNeverSteps, burnIn, epochs);
    }

    private static void CheckArchitecture(Reporter report, DslAttribute architecture, RuntimeInterfaces interfaces)
    {
        report.Ranges(architecture);
        if (architecture.Name == "Model") report.TypeImplements(architecture, 0, interfaces.ModelFactory, "LieGG.Runtime.Experiments.IModelFactory");
    }

    private static void CheckTraining(Reporter report, DslAttribute training, DatasetFacts? data, DslDefaults defaults)
    {
        report.Ranges(training);
        if (training.Named("WarmupEpochs")?.Value is int warmup && warmup > 0)
        {
            int epochs = training.Named("Epochs")?.Value as int? ?? defaults.Int("TrainEpochs") ?? 0;
            if (epochs >= 1 && warmup > epochs)
                report.At(training.ArgumentLocation("WarmupEpochs"), OutOfRange, "Train", "WarmupEpochs", warmup.ToString(System.Globalization.CultureInfo.InvariantCulture), $"at most the {epochs} training epochs");
        }
        if (data is null) return;
        var loss = training.EnumName("Loss");
        if (loss == "CrossEntropy" && data.Regression) report.At(training.ArgumentLocation("Loss"), LossMismatch, "CrossEntropy", data.Source, "regression", "Mse");
        if (loss == "Mse" && !data.Regression) report.At(training.ArgumentLocation("Loss"), LossMismatch, "Mse", data.Source, "classification", "CrossEntropy");
    }

    private const int GenericEntriesLimit = 1024;

    private static void CheckPrior(Reporter report, DslAttribute prior, DatasetFacts? data, DslDefaults defaults)
    {
        if (prior.Name == "SpatialPrior")
        {
            if (data?.Shape is { Length: 1 } vector)
                report.At(prior.Location, SpatialOnVectors, data.Source, vector[0]);
            return;
        }
        report.Ranges(prior);
        int dimension = prior.Named("Dimension")?.Value as int? ?? defaults.Int("GenericPriorDimension") ?? 0, copies = prior.Named("Copies")?.Value as int? ?? 1;
        int scalars = prior.Named("Scalars")?.Value as int? ?? 0;
        if (dimension < 1 || copies < 1 || scalars < 0) return;
        if (data?.InputSize is { } size && (long)dimension * copies + scalars != size)
            report.At(prior.ArgumentLocation("Dimension"), GenericSizeMismatch, dimension, copies, (long)dimension * copies + scalars, data.Source, size);
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
        int dimension = spatial ? 2 : prior.Named("Dimension")?.Value as int? ?? interfaces.Defaults.Int("GenericPriorDimension") ?? 0;
        string? problem = (name, spatial, affine) switch
        {
            ("Translations" or "SE2", false, _) => ("has 2×3 affine generators but the generic prior's are square", "use [SpatialPrior(Affine = true)]"),
            ("Translations" or "SE2", true, false) => ("has 2×3 affine generators but [SpatialPrior] without Affine has 2×2 ones", "set Affine = true on [SpatialPrior]"),
            ("Lorentz", true, true) => ("acts linearly but [SpatialPrior(Affine = true)] generators are affine", "drop Affine or choose another group"),
            ("Lorentz" or "SO" or "SL" or "CO", false, _) when dimension < 2 => ($"needs matrices of size at least 2 but the generic prior's Dimension is {dimension}", "increase Dimension"),
            _ => ((string, string)?)null,
        } is { } fault ? $"{fault.Item1}|{fault.Item2}" : null;
        if (problem is null) return;
        var parts = problem.Split('|');
        report.At(groundTruth.ConstructorLocation(0), AlgebraShapeMismatch, name, parts[0], parts[1]);
    }

    private static void CheckAnalysis(Reporter report, DslAttribute analysis, DatasetFacts? data)
    {
        report.Ranges(analysis);
        if (data is { Outputs: 1 } && analysis.EnumName("Transform") == "L2Normalize")
            report.At(analysis.ArgumentLocation("Transform"), TransformOfSingleOutput, data.Source);
        // Custom datasets may carry a standardization of their own (TensorDataset.Standardization): only built-ins are known here.
        if (data is not null && analysis.EnumName("Units") == "Standardized" && (!data.Regression || data.Source is "[O5Equivariant]" or "[Inertia]"))
            report.At(analysis.ArgumentLocation("Units"), UnitsWithoutStandardization, data.Source, data.Regression ? "does not standardise its targets" : "is a classification task");
    }

    /// <summary>
    /// An exact symmetry the architecture cannot have (EQUIVARIANCE.md §4): quarter turns need p4 layers throughout (no
    /// planar filter, no dense layer), stride shifts need circular padding and no dense layer, and no built-in architecture
    /// is mirror-equivariant. Custom architectures are the author's claim and are measured only.
    /// </summary>
    private static void CheckEquivariance(Reporter report, DslAttribute equivariance, DslAttribute? architecture, DslAttribute? prior, DslDefaults defaults)
    {
        report.Ranges(equivariance);
        if (equivariance.Named("Exact") is not { Kind: TypedConstantKind.Enum, Value: { } value }) return;
        int exact = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
        const int rotations = 1, strideShifts = 2, flip = 4;
        var location = equivariance.ArgumentLocation("Exact");
        if (exact != 0 && prior?.Name == "GenericPrior")
        {
            report.At(location, ExactElementsOnVectors, equivariance.EnumName("Exact") ?? exact.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return;
        }
        if (architecture is null) return;
        const int fc = 1, factored = 2, conv = 4;
        int pathways = architecture.Name == "RelaxedCnn"
            ? architecture.Named("Pathways") is { Kind: TypedConstantKind.Enum, Value: { } p } ? Convert.ToInt32(p, System.Globalization.CultureInfo.InvariantCulture) : defaults.Int("RelaxedPathways") ?? 0
            : 0;
        string? dense = (pathways & fc) != 0 ? "FC" : (pathways & factored) != 0 ? "FactoredFC" : null;
        void Refuse(string element, string fault, string fix) => report.At(location, ExactSymmetryImpossible, element, architecture.Name, fault, fix);
        if ((exact & rotations) != 0)
        {
            switch (architecture.Name)
            {
                case "Mlp" or "MlpBudget":
                    Refuse("Rotations", "is fully connected: nothing ties a pixel's weights to the pixel a quarter turn away", "declare [P4Cnn], or measure rotations without Exact");
                    break;
                case "Cnn":
                    Refuse("Rotations", "has planar filters, which turn with the image only when they are isotropic", "declare [P4Cnn], or measure rotations without Exact");
                    break;
                case "RelaxedCnn" when dense is not null || (pathways & conv) != 0:
                    Refuse("Rotations", $"has a {dense ?? "Conv"} pathway, which is not rotation-equivariant (and a Conv pathway at stride 2 keeps positions off the grid's centre)",
                        "use Pathways = Pathways.GroupConv alone, or measure rotations without Exact");
                    break;
            }
        }
        if ((exact & strideShifts) != 0)
        {
            switch (architecture.Name)
            {
                case "Mlp" or "MlpBudget":
                    Refuse("StrideShifts", "is fully connected", "declare [RelaxedCnn] with Conv or GroupConv pathways, or measure shifts without Exact");
                    break;
                case "Cnn" or "P4Cnn":
                    Refuse("StrideShifts", "uses unpadded convolutions on a grid that does not wrap, so a cyclic shift carries content across the border",
                        "declare [RelaxedCnn] (circular padding) with Conv or GroupConv pathways, or measure shifts without Exact");
                    break;
                case "RelaxedCnn" when dense is not null:
                    Refuse("StrideShifts", $"has a {dense} pathway, which is not translation-equivariant", "drop the FC pathway from Pathways, or measure shifts without Exact");
                    break;
            }
        }
        if ((exact & flip) != 0 && architecture.Name is "Mlp" or "MlpBudget" or "Cnn" or "P4Cnn" or "RelaxedCnn")
            Refuse("Flip", "is not mirror-equivariant (p4 holds rotations only, not reflections)", "remove Flip from Exact; Elements = SymmetryElements.Flip measures it");
    }

    /// <summary>What the analyzers know about a built-in dataset before anything runs.</summary>
    private sealed record DatasetFacts(string Source, int[]? Shape, int? Outputs, bool Regression)
    {
        public long? InputSize => Shape?.Aggregate(1L, (a, b) => a * b);

        public static DatasetFacts Of(DslAttribute dataset, DslDefaults defaults) => dataset.Name switch
        {
            "O5Regression" => new("[O5Regression]", [10], 1, true),
            "O5Equivariant" => new("[O5Equivariant]", [10], 5, true),
            "Inertia" => new("[Inertia]", [20], 9, true),
            "Mnist" or "RotatedMnist" => new($"[{dataset.Name}]", defaults.Int("MnistSide") is { } side ? [side, side] : null, defaults.Int("MnistClasses"), false),
            "CanvasMnist" => new("[CanvasMnist]",
                (dataset.Named("Canvas")?.Value as int? ?? defaults.Int("CanvasMnistCanvas")) is { } side ? [side, side] : null, defaults.Int("MnistClasses"), false),
            "QuadrantMnist" => new("[QuadrantMnist]",
                (dataset.Named("Canvas")?.Value as int? ?? defaults.Int("QuadrantCanvas")) is { } canvas ? [canvas, canvas] : null,
                defaults.Int("MnistClasses") is { } classes ? (dataset.EnumName("Labels") == "DigitQuadrant" ? 4 * classes : classes) : null, false),
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

        /// <summary>The DSL's defaults and data shapes (LieGG.Dsl.Defaults), read from the referenced attributes so the checks and the attributes agree.</summary>
        public DslDefaults Defaults { get; } = new(compilation.GetTypeByMetadataName("LieGG.Dsl.Defaults"));
    }

    private sealed class DslDefaults(INamedTypeSymbol? type)
    {
        /// <summary>The constant's value; null when the referenced LieGG.Dsl has no such default.</summary>
        public int? Int(string name) => type?.GetMembers(name).OfType<IFieldSymbol>().FirstOrDefault()?.ConstantValue as int?;
    }
}
