namespace LieGG.Dsl.Generators.Model;

/// <summary>What kind of value an attribute argument holds.</summary>
internal enum ConstantKind
{
    Null,
    Boolean,
    Integer,
    Long,
    Double,
    Single,
    String,
    /// <summary>An enum value: <see cref="ConstantModel.TypeName"/> the enum, <see cref="ConstantModel.Text"/> its member (null when the value names none), <see cref="ConstantModel.Integer"/> the value.</summary>
    Enum,
    /// <summary>A <c>typeof(T)</c>: <see cref="ConstantModel.TypeName"/>.</summary>
    Type,
    /// <summary>An array: <see cref="ConstantModel.TypeName"/> the element type, <see cref="ConstantModel.Elements"/> the values.</summary>
    Array,
}

/// <summary>
/// An attribute argument's value as data — a bool, a number, a string, an enum member, a type — never as C# text: the
/// pipeline compares it by value and the model asks it typed questions (<see cref="IsEnumMember"/>); only the emitter
/// writes it as source (<see cref="Emit.CSharp.Literal"/>).
/// </summary>
/// <param name="TypeName">Fully qualified (global::) name of the enum, the typeof type, or the array's element type.</param>
internal sealed record ConstantModel(ConstantKind Kind, bool Boolean = false, long Integer = 0, double Number = 0, string? Text = null, string? TypeName = null, EquatableArray<ConstantModel> Elements = default)
{
    public static ConstantModel Null { get; } = new(ConstantKind.Null);

    /// <summary>Whether this is the member <paramref name="member"/> of the enum <paramref name="enumType"/> (e.g. "global::LieGG.Dsl.TaskKind", "Regression").</summary>
    public bool IsEnumMember(string enumType, string member) => Kind == ConstantKind.Enum && TypeName == enumType && Text == member;

    /// <summary>The value as an int, when it is an integer constant.</summary>
    public int? AsInt => Kind == ConstantKind.Integer ? (int)Integer : null;
}
