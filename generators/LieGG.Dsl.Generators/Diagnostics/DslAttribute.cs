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

    /// <summary>The enum member name of an argument (e.g. "CrossEntropy"), independent of the enum's numeric values.</summary>
    public string? EnumName(string property) => MemberName(Named(property));

    /// <summary>The enum member name of a constructor argument.</summary>
    public string? ConstructorEnumName(int index) => index < Data.ConstructorArguments.Length ? MemberName(Data.ConstructorArguments[index]) : null;

    private static string? MemberName(TypedConstant? constant) => constant is { Kind: TypedConstantKind.Enum, Type: { } type } value
        ? type.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value.Value))?.Name
        : null;

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

    /// <summary>Checks an explicitly set numeric property against [minimum, maximum].</summary>
    public void Range(DslAttribute attribute, string property, double minimum, double maximum, string allowed, double? exclusiveMinimum = null)
    {
        if (attribute.Named(property) is not { IsNull: false } value) return;
        double number = Convert.ToDouble(value.Value, System.Globalization.CultureInfo.InvariantCulture);
        bool tooSmall = exclusiveMinimum is { } open ? !(number > open) : !(number >= minimum);
        if (tooSmall || !(number <= maximum))
            At(attribute.ArgumentLocation(property), DiagnosticDescriptors.OutOfRange, attribute.Name, property,
                Convert.ToString(value.Value, System.Globalization.CultureInfo.InvariantCulture)!, allowed);
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
