using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace LieGG.Runtime.Results;

/// <summary>
/// A declaration record as its compiler-generated <c>ToString</c> prints it (<c>MlpSpec { Hidden = 1, Width = 53, … }</c>),
/// but with numbers always in the invariant culture: settings text is stored in result files and compared across runs
/// and machines, whatever culture the process runs in.
/// </summary>
public static class SpecText
{
    public static string Of(object? value) => value switch
    {
        null => "",
        string text => text,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ when HasGeneratedToString(value.GetType()) => Record(value),
        _ => value.ToString() ?? "",
    };

    private static string Record(object value)
    {
        var type = value.GetType();
        var members = Members(type).Select(m => $"{m.Name} = {Of(m.GetValue(value))}").ToList();
        return members.Count == 0 ? $"{type.Name} {{ }}" : $"{type.Name} {{ {string.Join(", ", members)} }}";
    }

    // The members a record prints: public instance properties and fields, base type first, each in declaration order.
    private static IEnumerable<(string Name, Func<object, object?> GetValue)> Members(Type type)
    {
        var chain = new Stack<Type>();
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType) chain.Push(t);
        foreach (var t in chain)
        {
            const BindingFlags declared = BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly;
            var properties = t.GetProperties(declared).Where(p => p.GetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0 && !IsOverride(p))
                .Select(p => (p.MetadataToken, p.Name, (Func<object, object?>)p.GetValue));
            var fields = t.GetFields(declared).Select(f => (f.MetadataToken, f.Name, (Func<object, object?>)f.GetValue));
            foreach (var (_, name, get) in properties.Concat(fields).OrderBy(m => m.MetadataToken)) yield return (name, get);
        }
    }

    // An overriding property is printed where its base declares it.
    private static bool IsOverride(PropertyInfo property) => property.GetMethod!.GetBaseDefinition().DeclaringType != property.DeclaringType;

    private static bool HasGeneratedToString(Type type)
    {
        var toString = type.GetMethod(nameof(ToString), BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes);
        return toString is not null && toString.DeclaringType == type && toString.IsDefined(typeof(CompilerGeneratedAttribute))
            && type.GetMethod("<Clone>$") is not null;
    }
}
