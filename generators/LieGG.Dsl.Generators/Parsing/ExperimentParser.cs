using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using LieGG.Dsl.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LieGG.Dsl.Generators.Parsing;

/// <summary>Reduces an [Experiment] type to an <see cref="ExperimentModel"/> (no symbols or syntax survive).</summary>
internal static class ExperimentParser
{
    public static ExperimentModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax declaration)
            return null;
        // Not partial or nested: nothing can be added to it; the analyzers report why.
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword) || type.ContainingType is not null)
            return null;
        cancellationToken.ThrowIfCancellationRequested();

        var groups = new Dictionary<string, AttributeModel>();
        string experimentName = "";
        string? description = null;
        bool isStudy = false;
        foreach (var attribute in type.GetAttributes())
        {
            var name = AttributeNames.ShortName(attribute.AttributeClass?.ToDisplayString());
            if (name is null) continue;
            if (name is "Experiment" or "Study")
            {
                isStudy = name == "Study";
                experimentName = attribute.ConstructorArguments.Length > 0 ? attribute.ConstructorArguments[0].Value as string ?? "" : "";
                description = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Description").Value.Value as string;
                continue;
            }
            var model = ToModel(name, attribute);
            var group = GroupOf(name);
            // A duplicated group is an analyzer error; the first one wins so the code still compiles.
            if (group is not null && !groups.ContainsKey(group)) groups[group] = model;
        }

        // An architecture written as code: static BuildNetwork(ModelContext) on the experiment type.
        if (!groups.ContainsKey("architecture") && HasBuildNetwork(type))
            groups["architecture"] = new AttributeModel(AttributeNames.BuildNetworkMethod, new EquatableArray<ArgumentModel>([]));

        groups.TryGetValue("dataset", out var dataset);
        groups.TryGetValue("architecture", out var architecture);
        groups.TryGetValue("training", out var training);
        groups.TryGetValue("prior", out var prior);
        groups.TryGetValue("groundTruth", out var groundTruth);
        groups.TryGetValue("analysis", out var analysis);
        groups.TryGetValue("pretrain", out var pretrain);
        groups.TryGetValue("laplace", out var laplace);
        groups.TryGetValue("equivariance", out var equivariance);
        groups.TryGetValue("joint", out var joint);
        return new ExperimentModel(
            type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
            type.Name,
            type.IsRecord ? "record" : "class",
            type.DeclaredAccessibility == Accessibility.Public ? "public" : "internal",
            experimentName,
            description,
            dataset, architecture, training, prior, groundTruth, analysis,
            isStudy ? ParseStudy(type) : null,
            pretrain,
            laplace,
            equivariance,
            joint);
    }

    private static StudyModel ParseStudy(INamedTypeSymbol type)
    {
        var sweeps = new List<SweepModel>();
        var correlations = new List<CorrelationModel>();
        var plots = new List<PlotModel>();
        var compared = new List<ComparedModel>();
        int replicates = 1;
        string? reference = null;
        foreach (var attribute in type.GetAttributes())
        {
            switch (AttributeNames.ShortName(attribute.AttributeClass?.ToDisplayString()))
            {
                case "Study":
                    reference = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Reference").Value.Value as string;
                    break;
                case "Compare" when attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Kind == TypedConstantKind.Array:
                    foreach (var value in attribute.ConstructorArguments[0].Values)
                        if (value.Value is INamedTypeSymbol experiment)
                            compared.Add(new ComparedModel(experiment.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), ExperimentNameOf(experiment)));
                    break;
                case "Sweep" when attribute.ConstructorArguments.Length == 2:
                    sweeps.Add(ParseSweep(type, attribute.ConstructorArguments[0].Value as string ?? "", attribute.ConstructorArguments[1]));
                    break;
                case "Replicates" when attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int count:
                    replicates = count;
                    break;
                case "Correlate" when attribute.ConstructorArguments.Length == 2:
                    correlations.Add(new CorrelationModel(EnumMember(attribute.ConstructorArguments[0]), EnumMember(attribute.ConstructorArguments[1])));
                    break;
                case "Plot":
                    TypedConstant Named(string key) => attribute.NamedArguments.FirstOrDefault(a => a.Key == key).Value;
                    plots.Add(new PlotModel(
                        Named("X").Value as string ?? "",
                        Named("Y").Kind == TypedConstantKind.Enum ? EnumMember(Named("Y")) : "Variance",
                        Named("Series").Value as string,
                        Named("LogX").Value is true,
                        Named("LogY").Value is true));
                    break;
            }
        }
        return new StudyModel(sweeps.ToEquatableArray(), replicates, correlations.ToEquatableArray(), plots.ToEquatableArray(), compared.ToEquatableArray(), reference);
    }

    /// <summary>The [Experiment("name")] of a type, or "" when it is not an experiment.</summary>
    internal static string ExperimentNameOf(INamedTypeSymbol type)
    {
        foreach (var attribute in type.GetAttributes())
            if (AttributeNames.ShortName(attribute.AttributeClass?.ToDisplayString()) == "Experiment" && attribute.ConstructorArguments.Length > 0)
                return attribute.ConstructorArguments[0].Value as string ?? "";
        return "";
    }

    /// <summary>The swept property of the attribute on <paramref name="type"/> that "Attribute.Property" names; empty type when unresolved.</summary>
    internal static (IPropertySymbol? Property, string Attribute, string Name) ResolveSweepTarget(INamedTypeSymbol type, string target)
    {
        int dot = target.IndexOf('.');
        string attributeName = dot < 0 ? target : target.Substring(0, dot), propertyName = dot < 0 ? "" : target.Substring(dot + 1);
        var attributeClass = type.GetAttributes().Select(a => a.AttributeClass).FirstOrDefault(c => AttributeNames.ShortName(c?.ToDisplayString()) == attributeName);
        IPropertySymbol? property = null;
        for (var current = attributeClass; current is not null && property is null; current = current.BaseType)
            property = current.GetMembers(propertyName).OfType<IPropertySymbol>().FirstOrDefault(p => p.SetMethod is not null);
        return (property, attributeName, propertyName);
    }

    private static SweepModel ParseSweep(INamedTypeSymbol type, string target, TypedConstant values)
    {
        var (property, attribute, name) = ResolveSweepTarget(type, target);
        var literals = values.Kind == TypedConstantKind.Array ? values.Values.Select(Constant).ToEquatableArray() : new EquatableArray<ConstantModel>([]);
        bool numeric = property?.Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Double or SpecialType.System_Single;
        // A value of the wrong type (LGG4102) would not compile in the generated Trial record: leave the type unknown, so nothing is emitted.
        bool fits = property is not null && values.Kind == TypedConstantKind.Array && values.Values.All(v => Fits(v, property.Type));
        return new SweepModel(attribute, name, fits ? property!.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) : "", numeric, literals);
    }

    private static string EnumMember(TypedConstant constant)
        => constant.Type?.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, constant.Value))?.Name ?? "";

    /// <summary>Whether the type declares <c>static … BuildNetwork(ModelContext)</c> returning a value.</summary>
    public static bool HasBuildNetwork(INamedTypeSymbol type) => type.GetMembers(AttributeNames.BuildNetworkMethod)
        .OfType<IMethodSymbol>()
        .Any(m => m.IsStatic && !m.ReturnsVoid && m.Parameters.Length == 1 && m.Parameters[0].Type.ToDisplayString() == AttributeNames.ModelContext);

    public static string? GroupOf(string shortName)
    {
        if (Array.IndexOf(AttributeNames.Datasets, shortName) >= 0) return "dataset";
        if (Array.IndexOf(AttributeNames.Architectures, shortName) >= 0) return "architecture";
        if (Array.IndexOf(AttributeNames.Trainings, shortName) >= 0) return "training";
        if (Array.IndexOf(AttributeNames.Priors, shortName) >= 0) return "prior";
        if (Array.IndexOf(AttributeNames.GroundTruths, shortName) >= 0) return "groundTruth";
        if (Array.IndexOf(AttributeNames.Analyses, shortName) >= 0) return "analysis";
        if (Array.IndexOf(AttributeNames.Pretrainings, shortName) >= 0) return "pretrain";
        if (Array.IndexOf(AttributeNames.Laplaces, shortName) >= 0) return "laplace";
        if (Array.IndexOf(AttributeNames.Equivariances, shortName) >= 0) return "equivariance";
        if (Array.IndexOf(AttributeNames.Joints, shortName) >= 0) return "joint";
        return null;
    }

    private static AttributeModel ToModel(string name, AttributeData attribute)
    {
        var arguments = new List<ArgumentModel>();
        var parameters = attribute.AttributeConstructor?.Parameters ?? ImmutableArrayOfNone;
        for (int i = 0; i < attribute.ConstructorArguments.Length && i < parameters.Length; i++)
            arguments.Add(Argument(parameters[i].Name, attribute.ConstructorArguments[i]));
        foreach (var named in attribute.NamedArguments)
            arguments.Add(Argument(named.Key, named.Value));
        return new AttributeModel(name, arguments.ToEquatableArray());
    }

    private static readonly System.Collections.Immutable.ImmutableArray<IParameterSymbol> ImmutableArrayOfNone = System.Collections.Immutable.ImmutableArray<IParameterSymbol>.Empty;

    private static ArgumentModel Argument(string name, TypedConstant value) => value.Kind == TypedConstantKind.Type && value.Value is ITypeSymbol type
        ? new ArgumentModel(name, Constant(value), IsUsable: IsInstantiable(type, name))
        : new ArgumentModel(name, Constant(value));

    /// <summary>The runtime interface a typeof argument must implement, by the attribute constructor's parameter name.</summary>
    private static readonly Dictionary<string, string> RequiredInterfaces = new()
    {
        ["source"] = "LieGG.Runtime.Experiments.IDatasetSource",
        ["factory"] = "LieGG.Runtime.Experiments.IModelFactory",
        ["algebra"] = "LieGG.Runtime.Symmetry.ILieAlgebra",
    };

    /// <summary>Whether generated code can write <c>new T()</c> and use it: a concrete class with a public parameterless constructor implementing the required interface.</summary>
    private static bool IsInstantiable(ITypeSymbol type, string parameter)
        => type is INamedTypeSymbol { TypeKind: TypeKind.Class, IsAbstract: false } named
            && named.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Accessibility.Public)
            && (!RequiredInterfaces.TryGetValue(parameter, out var required) || named.AllInterfaces.Any(i => i.ToDisplayString() == required));

    /// <summary>Whether a sweep value converts implicitly to the property's type (int → long/double, float → double, same enum).</summary>
    internal static bool Fits(TypedConstant value, ITypeSymbol type)
    {
        if (value.IsNull || value.Type is null) return false;
        if (SymbolEqualityComparer.Default.Equals(value.Type, type)) return true;
        return (value.Type.SpecialType, type.SpecialType) switch
        {
            (SpecialType.System_Int32, SpecialType.System_Int64 or SpecialType.System_Double or SpecialType.System_Single) => true,
            (SpecialType.System_Int64, SpecialType.System_Double) => true,
            (SpecialType.System_Single, SpecialType.System_Double) => true,
            _ => false,
        };
    }

    /// <summary>The constant as data (the emitter writes it as C#).</summary>
    internal static ConstantModel Constant(TypedConstant value)
    {
        if (value.IsNull) return ConstantModel.Null;
        switch (value.Kind)
        {
            case TypedConstantKind.Enum:
                var enumType = value.Type!;
                var member = enumType.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value.Value));
                return new ConstantModel(ConstantKind.Enum, Integer: Convert.ToInt64(value.Value, CultureInfo.InvariantCulture), Text: member?.Name,
                    TypeName: enumType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
            case TypedConstantKind.Type:
                return new ConstantModel(ConstantKind.Type, TypeName: ((ITypeSymbol)value.Value!).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
            case TypedConstantKind.Array:
                return new ConstantModel(ConstantKind.Array, TypeName: ((IArrayTypeSymbol)value.Type!).ElementType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                    Elements: value.Values.Select(Constant).ToEquatableArray());
            default:
                return value.Value switch
                {
                    string s => new ConstantModel(ConstantKind.String, Text: s),
                    bool b => new ConstantModel(ConstantKind.Boolean, Boolean: b),
                    double d => new ConstantModel(ConstantKind.Double, Number: d),
                    float f => new ConstantModel(ConstantKind.Single, Number: f),
                    long l => new ConstantModel(ConstantKind.Long, Integer: l),
                    int i => new ConstantModel(ConstantKind.Integer, Integer: i),
                    var other => new ConstantModel(ConstantKind.Integer, Integer: Convert.ToInt64(other, CultureInfo.InvariantCulture)),
                };
        }
    }
}
