using LieGG.Dsl.Generators.Parsing;
using static LieGG.Dsl.Generators.Diagnostics.DiagnosticDescriptors;

namespace LieGG.Dsl.Generators.Diagnostics;

/// <summary>
/// LGG4004–LGG41xx: studies — sweeps over settable properties with values of their type and range, correlations and figures
/// of metrics the trials have, comparisons of experiments of one task, and no study attribute on a plain experiment.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StudyAnalyzer : DeclarationAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        ShareOfNetworkWithoutPathways, PairMetricWithoutPairs, UnknownSweepTarget, SweepValueType, SweepValueOutOfRange, EmptySweep, DuplicateSweep,
        BadReplicates, StudyAttributeOnExperiment, UnknownPlotAxis, ComparedNotExperiment, ComparisonWithOwnSettings, ComparisonAcrossTasks, StudyWithoutSweep);

    private protected override void Analyze(DeclarationFacts facts, Reporter report, SymbolAnalysisContext context, object? compilationState)
    {
        var type = facts.Type;
        var attributes = facts.Attributes.ToList();
        if (facts.IsComparison)
        {
            var compare = facts.Compare!;
            CheckComparison(report, type, compare, attributes);
            var comparedTypes = compare.Data.ConstructorArguments.FirstOrDefault() is { Kind: TypedConstantKind.Array } list
                ? list.Values.Select(v => v.Value).OfType<INamedTypeSymbol>().ToList()
                : [];
            CheckShareMetrics(report, attributes, comparedTypes.Select(t => (t.Name, DeclarationFacts.ArchitectureOf(t))));
            return;
        }
        if (facts.IsStudy)
        {
            CheckSweeps(report, type, attributes);
            CheckShareMetrics(report, attributes, [(type.Name, DeclarationFacts.ArchitectureOf(type))]);
            if (facts.Joint is null) CheckPairMetrics(report, attributes, type.Name);
            if (!attributes.Any(a => a.Name == "Sweep")) report.At(facts.Experiment!.Location, StudyWithoutSweep, report.Experiment);
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
            var regression = compared.Where(DeclarationFacts.IsRegression).Select(ExperimentParser.ExperimentNameOf).ToList();
            var classification = compared.Where(t => !DeclarationFacts.IsRegression(t)).Select(ExperimentParser.ExperimentNameOf).ToList();
            if (regression.Count > 0 && classification.Count > 0)
                report.At(compare.Location, ComparisonAcrossTasks, string.Join(", ", classification), string.Join(", ", regression));
        }
        foreach (var own in attributes.Where(a => ExperimentParser.GroupOf(a.Name) is not null || a.Name == "Sweep"))
            report.At(own.Location, ComparisonWithOwnSettings, own.Name, type.Name);
        if (attributes.FirstOrDefault(a => a.Name == "Replicates")?.Data.ConstructorArguments.FirstOrDefault().Value is int replicates && replicates is < 1 or > 1000)
            report.At(attributes.First(a => a.Name == "Replicates").ConstructorLocation(0), BadReplicates, replicates);
    }

    private static readonly Metric[] ShareMetrics = [Metric.FcShare, Metric.ConvShare, Metric.GroupConvShare];

    /// <summary>Each pair metric with the single-analysis metric to use instead when a study has no pairs.</summary>
    private static readonly Dictionary<Metric, Metric> PairMetrics = new()
    {
        [Metric.PairVariance] = Metric.Variance,
        [Metric.PairMinBias] = Metric.MinBias,
        [Metric.PairGapRatio] = Metric.GapRatio,
    };

    /// <summary>A [Plot]'s X, a string naming a swept parameter or a metric: the metric it names, if any.</summary>
    private static Metric? MetricNamed(string? text) => text is not null && Enum.TryParse<Metric>(text, out var metric) && Enum.IsDefined(typeof(Metric), metric) && metric.ToString() == text ? metric : null;

    /// <summary>Every metric a study's [Correlate] and [Plot] attributes use, with where.</summary>
    private static IEnumerable<(Metric Metric, Location Location)> MetricsUsed(List<DslAttribute> attributes)
    {
        foreach (var correlate in attributes.Where(a => a.Name == "Correlate"))
            for (int i = 0; i < 2; i++)
                if (correlate.ConstructorEnum<Metric>(i) is { } metric) yield return (metric, correlate.ConstructorLocation(i));
        foreach (var plot in attributes.Where(a => a.Name == "Plot"))
        {
            if (MetricNamed(plot.Named("X")?.Value as string) is { } x) yield return (x, plot.ArgumentLocation("X"));
            if (plot.Enum<Metric>("Y") is { } y) yield return (y, plot.ArgumentLocation("Y"));
        }
    }

    /// <summary>LGG4004: a pathway share correlated or plotted in a study with a trial that is no ELLA network.</summary>
    private static void CheckShareMetrics(Reporter report, List<DslAttribute> attributes, IEnumerable<(string Experiment, string? Architecture)> networks)
    {
        var plain = networks.FirstOrDefault(n => n.Architecture is not null && n.Architecture != "RelaxedCnn");
        if (plain.Architecture is null) return;
        foreach (var (metric, location) in MetricsUsed(attributes).Where(m => ShareMetrics.Contains(m.Metric)))
            report.At(location, ShareOfNetworkWithoutPathways, metric.ToString(), plain.Experiment, plain.Architecture);
    }

    /// <summary>LGG4005: a pair metric in a study without an output representation.</summary>
    private static void CheckPairMetrics(Reporter report, List<DslAttribute> attributes, string study)
    {
        foreach (var (metric, location) in MetricsUsed(attributes))
            if (PairMetrics.TryGetValue(metric, out var instead))
                report.At(location, PairMetricWithoutPairs, metric.ToString(), study, instead.ToString());
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
        string[] metrics = [.. new[] { Metric.TestMetric, Metric.Variance, Metric.MinBias, Metric.RelativeVariance, Metric.GapRatio, Metric.Parameters, Metric.WallSeconds }.Concat(ShareMetrics).Select(m => m.ToString())];
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
        => NearestName.To(target, names, leastAllowed: 3) is { } best ? $" (did you mean \"{best}\"?)" : "";

    private static string Display(TypedConstant value) => value.Kind == TypedConstantKind.Enum
        ? $"{value.Type?.Name}.{value.Type?.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value.Value))?.Name}"
        : value.Value switch
        {
            string text => $"\"{text}\"",
            null => "null",
            var other => Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture)!,
        };
}
