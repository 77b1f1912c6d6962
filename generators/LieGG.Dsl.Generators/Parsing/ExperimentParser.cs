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
        foreach (var attribute in type.GetAttributes())
        {
            var name = AttributeNames.ShortName(attribute.AttributeClass?.ToDisplayString());
            if (name is null) continue;
            if (name == "Experiment")
            {
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
        return new ExperimentModel(
            type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
            type.Name,
            type.IsRecord ? "record" : "class",
            type.DeclaredAccessibility == Accessibility.Public ? "public" : "internal",
            experimentName,
            description,
            dataset, architecture, training, prior, groundTruth, analysis);
    }

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
        ? new ArgumentModel(name, type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), IsType: true)
        : new ArgumentModel(name, Literal(value));

    /// <summary>The constant as invariant-culture C# source.</summary>
    internal static string Literal(TypedConstant value)
    {
        if (value.IsNull) return "null";
        switch (value.Kind)
        {
            case TypedConstantKind.Enum:
                var enumType = value.Type!;
                var member = enumType.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value.Value));
                var typeName = enumType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                return member is null ? $"(({typeName}){Convert.ToString(value.Value, CultureInfo.InvariantCulture)})" : $"{typeName}.{member.Name}";
            case TypedConstantKind.Type:
                return $"typeof({((ITypeSymbol)value.Value!).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)})";
            case TypedConstantKind.Array:
                var elementType = ((IArrayTypeSymbol)value.Type!).ElementType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                return $"new {elementType}[] {{ {string.Join(", ", value.Values.Select(Literal))} }}";
            default:
                return value.Value switch
                {
                    string s => SymbolDisplay.FormatLiteral(s, quote: true),
                    bool b => b ? "true" : "false",
                    double d => d.ToString("R", CultureInfo.InvariantCulture) + "d",
                    float f => f.ToString("R", CultureInfo.InvariantCulture) + "f",
                    long l => l.ToString(CultureInfo.InvariantCulture) + "L",
                    IFormattable other => other.ToString(null, CultureInfo.InvariantCulture),
                    var other => other!.ToString(),
                };
        }
    }
}
