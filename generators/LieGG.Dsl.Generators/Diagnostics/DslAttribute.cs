using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LieGG.Dsl.Generators.Diagnostics;

/// <summary>A DSL attribute on a type, with the source locations of its arguments (so diagnostics point at them).</summary>
internal sealed class DslAttribute(string name, AttributeData data)
{
    public string Name { get; } = name;

    public AttributeData Data { get; } = data;

    private AttributeSyntax? Syntax => Data.ApplicationSyntaxReference?.GetSyntax() as AttributeSyntax;

    public Location Location => Syntax?.GetLocation() ?? Location.None;

    public TypedConstant? Named(string property)
    {
        foreach (var argument in Data.NamedArguments)
            if (argument.Key == property) return argument.Value;
        return null;
    }

    /// <summary>A named enum argument as the DSL's enum (compiled into the analyzers, <c>LieGG.Dsl.Generators.Shared</c>); null when not set.</summary>
    public T? Enum<T>(string property) where T : struct, System.Enum => AsEnum<T>(Named(property));

    /// <summary>A constructor's enum argument as the DSL's enum; null when absent or not an enum.</summary>
    public T? ConstructorEnum<T>(int index) where T : struct, System.Enum => index < Data.ConstructorArguments.Length ? AsEnum<T>(Data.ConstructorArguments[index]) : null;

    private static T? AsEnum<T>(TypedConstant? constant) where T : struct, System.Enum
        => constant is { Kind: TypedConstantKind.Enum, Value: { } value } ? (T)System.Enum.ToObject(typeof(T), value) : null;

    /// <summary>A named int argument; null when not set.</summary>
    public int? Int(string property) => Named(property)?.Value as int?;

    public Location ArgumentLocation(string property)
        => Syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == property)?.GetLocation() ?? Location;

    public Location ConstructorLocation(int index)
    {
        var positional = Syntax?.ArgumentList?.Arguments.Where(a => a.NameEquals is null && a.NameColon is null).ToList();
        return positional is not null && index < positional.Count ? positional[index].GetLocation() : Location;
    }
}

/// <summary>Reports diagnostics for one experiment declaration.</summary>
internal sealed class Reporter(SymbolAnalysisContextShim context, string experiment)
{
    public string Experiment { get; } = experiment;

    public void At(Location location, DiagnosticDescriptor descriptor, params object[] arguments)
        => context.Report(Diagnostic.Create(descriptor, location, arguments));

    /// <summary>Checks every explicitly set numeric property against the range its declaration states ([AllowedRange]).</summary>
    public void Ranges(DslAttribute attribute)
    {
        foreach (var argument in attribute.Data.NamedArguments)
        {
            if (argument.Value.Kind is not (TypedConstantKind.Primitive or TypedConstantKind.Enum) || argument.Value.IsNull || argument.Value.Value is not IConvertible value || RangeRules.Find(attribute.Data.AttributeClass, argument.Key) is not { } rule) continue;
            double number = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
            if (!rule.Allows(number))
                At(attribute.ArgumentLocation(argument.Key), DiagnosticDescriptors.OutOfRange, attribute.Name, argument.Key,
                    Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!, rule.Allowed);
        }
    }

    /// <summary>Checks that the constructor's typeof argument implements <paramref name="required"/> and can be created.</summary>
    public void TypeImplements(DslAttribute attribute, int index, INamedTypeSymbol? required, string requiredName)
    {
        if (required is null || index >= attribute.Data.ConstructorArguments.Length) return;
        if (attribute.Data.ConstructorArguments[index].Value is not INamedTypeSymbol type) return;
        string? fault =
            !type.AllInterfaces.Contains(required, SymbolEqualityComparer.Default) ? $"does not implement {required.Name}"
            : type.IsAbstract || type.TypeKind != TypeKind.Class ? "is not a concrete class"
            : !type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Accessibility.Public) ? "has no public parameterless constructor"
            : null;
        if (fault is not null)
            At(attribute.ConstructorLocation(index), DiagnosticDescriptors.WrongType, attribute.Name, type.Name, requiredName, fault);
    }
}

/// <summary>The one thing <see cref="Reporter"/> needs from an analysis context.</summary>
internal readonly struct SymbolAnalysisContextShim(Action<Diagnostic> report)
{
    public void Report(Diagnostic diagnostic) => report(diagnostic);
}

/// <summary>The allowed range of a numeric attribute property; declared and swept values obey the same rule.</summary>
internal sealed record RangeRule(double Minimum, double Maximum, string Allowed, bool ExclusiveMinimum = false)
{
    public bool Allows(double value) => (ExclusiveMinimum ? value > Minimum : value >= Minimum) && value <= Maximum;
}

/// <summary>Reads the [AllowedRange] a DSL attribute's property is declared with (LieGG.Dsl.AllowedRangeAttribute), so the analyzers and the runtime check one range.</summary>
internal static class RangeRules
{
    public static RangeRule? Find(INamedTypeSymbol? attributeClass, string property)
    {
        for (var type = attributeClass; type is not null; type = type.BaseType)
        {
            if (type.GetMembers(property).OfType<IPropertySymbol>().FirstOrDefault() is not { } symbol) continue;
            var range = symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "LieGG.Dsl.AllowedRangeAttribute");
            if (range is null || range.ConstructorArguments.Length != 3) return null;
            bool exclusive = range.NamedArguments.Any(n => n.Key == "ExclusiveMinimum" && n.Value.Value is true);
            return new RangeRule(Convert.ToDouble(range.ConstructorArguments[0].Value, System.Globalization.CultureInfo.InvariantCulture),
                Convert.ToDouble(range.ConstructorArguments[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                range.ConstructorArguments[2].Value as string ?? "", exclusive);
        }
        return null;
    }
}
