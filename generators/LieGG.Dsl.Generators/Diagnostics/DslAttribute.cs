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

    /// <summary>Checks an explicitly set numeric property against its rule in <see cref="RangeRules"/>.</summary>
    public void Range(DslAttribute attribute, string property)
    {
        if (attribute.Named(property) is not { IsNull: false } value || RangeRules.Find(attribute.Name, property) is not { } rule) return;
        double number = Convert.ToDouble(value.Value, System.Globalization.CultureInfo.InvariantCulture);
        if (!rule.Allows(number))
            At(attribute.ArgumentLocation(property), DiagnosticDescriptors.OutOfRange, attribute.Name, property,
                Convert.ToString(value.Value, System.Globalization.CultureInfo.InvariantCulture)!, rule.Allowed);
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

internal static class RangeRules
{
    private static readonly System.Collections.Generic.Dictionary<string, RangeRule> Rules = new()
    {
        ["TrainCount"] = new(1, 10_000_000, "a count from 1 to 10 000 000"),
        ["TestCount"] = new(1, 10_000_000, "a count from 1 to 10 000 000"),
        ["ValidationCount"] = new(0, 10_000_000, "a count from 0 to 10 000 000"),
        ["Blur"] = new(0, 10, "a σ from 0 (no blur) to 10 pixels"),
        ["Mlp.Hidden"] = new(0, 64, "0 to 64 hidden layers"),
        ["MlpBudget.Hidden"] = new(1, 64, "1 to 64 hidden layers (a budget sets their width)"),
        ["Width"] = new(1, 65_536, "1 to 65 536 units"),
        ["Parameters"] = new(1, 1e10, "a parameter budget from 1 to 10 000 000 000"),
        ["Epochs"] = new(1, 1_000_000, "1 to 1 000 000 epochs"),
        ["BatchSize"] = new(1, 10_000_000, "a batch of 1 to 10 000 000 samples"),
        ["LearningRate"] = new(0, 10, "a learning rate in (0, 10]", ExclusiveMinimum: true),
        ["WeightDecay"] = new(0, 10, "a weight decay from 0 to 10"),
        ["Dimension"] = new(1, 1_000_000, "a vector dimension of at least 1"),
        ["Copies"] = new(1, 1_000_000, "at least one copy"),
        ["Samples"] = new(0, int.MaxValue, "0 (all training samples) or a positive count"),
        ["Bootstrap"] = new(0, 100_000, "0 (no intervals) to 100 000 resamples"),
        ["Channels"] = new(1, 1024, "1 to 1024 channels"),
        ["Dropout"] = new(0, 0.95, "a dropout rate from 0 to 0.95"),
        ["Pretrain.Layers"] = new(1, 63, "1 to 63 pre-trained layers (fewer than the MLP's hidden layers)"),
        ["Pretrain.Epochs"] = new(0, 1_000_000, "0 (as [Train]) to 1 000 000 epochs"),
        ["Momentum"] = new(0, 0.9999, "a momentum from 0 to 0.9999 (below 1)"),
        ["FinalLearningRate"] = new(0, 10, "a final learning rate from 0 to 10"),
        ["Canvas"] = new(2, 1024, "a canvas of 2 to 1024 pixels"),
        ["DigitSize"] = new(1, 512, "a digit size of 1 to 512 pixels"),
        ["RelaxedCnn.Width"] = new(1, 256, "a width α from 1 to 256 (channels of the first block)"),
        ["PriorPrecision"] = new(0, 1e12, "a prior precision in (0, 1e12]", ExclusiveMinimum: true),
        ["FcInitScale"] = new(0, 100, "a scale in (0, 100]", ExclusiveMinimum: true),
        ["BurnIn"] = new(0, 1_000_000, "0 to 1 000 000 epochs"),
        ["Every"] = new(1, 1_000_000, "1 to 1 000 000 epochs between hyperparameter steps"),
        ["Steps"] = new(1, 1_000_000, "1 to 1 000 000 Adam steps"),
    };

    /// <summary>The rule for Attribute.Property, or for the property name alone.</summary>
    public static RangeRule? Find(string attribute, string property)
        => Rules.TryGetValue($"{attribute}.{property}", out var specific) ? specific : Rules.TryGetValue(property, out var general) ? general : null;
}
