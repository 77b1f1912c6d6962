using LieGG.Dsl.Generators.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace LieGG.Dsl.Generators.Emit;

/// <summary>Typed constants written as invariant-culture C# source: the one place the generator turns values into text.</summary>
internal static class CSharp
{
    public static string Literal(ConstantModel value) => value.Kind switch
    {
        ConstantKind.Null => "null",
        ConstantKind.Boolean => value.Boolean ? "true" : "false",
        ConstantKind.Integer => value.Integer.ToString(CultureInfo.InvariantCulture),
        ConstantKind.Long => value.Integer.ToString(CultureInfo.InvariantCulture) + "L",
        ConstantKind.Double => double.IsNaN(value.Number) ? "double.NaN" : double.IsPositiveInfinity(value.Number) ? "double.PositiveInfinity" : double.IsNegativeInfinity(value.Number) ? "double.NegativeInfinity"
            : value.Number.ToString("R", CultureInfo.InvariantCulture) + "d",
        ConstantKind.Single => float.IsNaN((float)value.Number) ? "float.NaN" : float.IsPositiveInfinity((float)value.Number) ? "float.PositiveInfinity" : float.IsNegativeInfinity((float)value.Number) ? "float.NegativeInfinity"
            : ((float)value.Number).ToString("R", CultureInfo.InvariantCulture) + "f",
        ConstantKind.String => SymbolDisplay.FormatLiteral(value.Text!, quote: true),
        ConstantKind.Enum => value.Text is { } member ? $"{value.TypeName}.{member}" : $"(({value.TypeName}){value.Integer.ToString(CultureInfo.InvariantCulture)})",
        ConstantKind.Type => $"typeof({value.TypeName})",
        ConstantKind.Array => $"new {value.TypeName}[] {{ {string.Join(", ", value.Elements.Select(Literal))} }}",
        _ => "default",
    };

    /// <summary>A string as a C# literal.</summary>
    public static string Quoted(string text) => SymbolDisplay.FormatLiteral(text, quote: true);
}
