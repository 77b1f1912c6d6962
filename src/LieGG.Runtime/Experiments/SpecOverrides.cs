using System.Globalization;
using System.Reflection;
using LieGG.Dsl;

namespace LieGG.Runtime.Experiments;

/// <summary>One value of an experiment that <c>--set Attribute.Property=value</c> can replace.</summary>
/// <param name="Value">The value the experiment uses now (null: the record leaves it to a default, see <see cref="Shown"/>).</param>
/// <param name="Range">The declared [AllowedRange] in words, the enum's names, or null.</param>
public sealed record SettableProperty(string Attribute, string Property, Type Type, object? Value, string? Range)
{
    public string Target => $"{Attribute}.{Property}";

    /// <summary>The value as <c>list NAME</c> prints it and <c>--set</c> reads it back.</summary>
    public string Shown => SpecOverrides.Format(Value);
}

/// <summary>
/// Typed overrides of a declared experiment (<c>--set RotatedMnist.TrainCount=8000 --set Train.LearningRate=3e-4</c>):
/// names as in the declaration, values parsed to the property's type (numbers in the invariant culture, enums and flags by
/// name, booleans), each checked against the same [AllowedRange] and the same cross-property rules as declarations
/// (<see cref="SpecRanges"/>). Every bad override is reported at once, with the nearest valid name.
/// </summary>
public static class SpecOverrides
{
    /// <summary>Every value of <paramref name="spec"/> an override can set, part by part in declaration order.</summary>
    public static IReadOnlyList<SettableProperty> Settable(ExperimentSpec spec)
        => SpecPart.Of(spec).SelectMany(part => Properties(part).Select(p => new SettableProperty(part.Attribute, p.Name, p.PropertyType, Shown(part.Value, p), Range(part, p)))).ToList();

    /// <summary>
    /// <paramref name="spec"/> with every override applied, in order (a later one of the same target is refused, not
    /// silently winning). Idempotent: applying the same overrides to the result changes nothing.
    /// </summary>
    /// <exception cref="ExperimentSetupException">One or more overrides name no settable property, hold a value the property's type cannot take, lie outside its range or break a rule; the message lists each.</exception>
    public static ExperimentSpec Apply(ExperimentSpec spec, IReadOnlyList<SpecOverride> overrides)
    {
        if (overrides.Count == 0) return spec;
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in overrides)
        {
            if (!seen.Add(entry.Target))
            {
                problems.Add($"--set {entry}: {entry.Target} is set twice; keep one.");
                continue;
            }
            var parts = SpecPart.Of(spec);
            var part = parts.FirstOrDefault(p => string.Equals(p.Attribute, entry.Attribute, StringComparison.OrdinalIgnoreCase));
            if (part is null)
            {
                problems.Add($"--set {entry}: experiment '{spec.Name}' declares no [{entry.Attribute}]{NearestName.Hint(entry.Attribute, parts.Select(p => p.Attribute))}; its attributes with settable values: {string.Join(", ", parts.Select(p => p.Attribute))}.");
                continue;
            }
            var properties = Properties(part).ToList();
            var property = properties.FirstOrDefault(p => string.Equals(p.Name, entry.Property, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                problems.Add($"--set {entry}: [{part.Attribute}] has no settable property '{entry.Property}'{NearestName.Hint(entry.Property, properties.Select(p => $"{p.Name}"))}; 'list {spec.Name}' shows them all.");
                continue;
            }
            if (!TryParse(entry.Value, property.PropertyType, out var value, out var expected))
            {
                problems.Add($"--set {entry}: {part.Attribute}.{property.Name} takes {expected}, not '{entry.Value}'{(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType) switch { { IsEnum: true } e => NearestName.Hint(entry.Value, Enum.GetNames(e)), _ => "" }}.");
                continue;
            }
            var range = part.AttributeType.GetProperty(property.Name)?.GetCustomAttribute<AllowedRangeAttribute>();
            if (range is not null && value is IConvertible number && !range.Allows(number.ToDouble(CultureInfo.InvariantCulture)))
            {
                problems.Add($"--set {entry}: [{part.Attribute}] {property.Name} = {Format(value)} is out of range; allowed: {range.Allowed}.");
                continue;
            }
            spec = part.Replace(spec, With(part.Value, property, value));
        }
        // The rules that tie values together, on the spec with every valid override in place.
        problems.AddRange(SpecRanges.Problems(spec).Select(p => $"with the overrides, {p}"));
        if (problems.Count > 0)
            throw new ExperimentSetupException(problems.Count == 1 ? problems[0] : $"{problems.Count} problems with --set:{string.Concat(problems.Select(p => $"{Environment.NewLine}  {p}"))}");
        return spec;
    }

    /// <summary>The settable values that differ between <paramref name="specs"/> (a study's trials: its swept values and seeds), as "Attribute.Property".</summary>
    public static IReadOnlySet<string> Varying(IReadOnlyList<ExperimentSpec> specs)
        => specs.SelectMany(Settable).GroupBy(p => p.Target, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Select(p => p.Shown).Distinct(StringComparer.Ordinal).Count() > 1 || g.Count() < specs.Count)
            .Select(g => g.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The overrides as a run records them: the declaration's spelling of each target and the value the run used, e.g.
    /// "Train.LearningRate=0.0003" for <c>--set train.learningrate=3e-4</c>.
    /// </summary>
    public static IReadOnlyList<string> Recorded(ExperimentSpec applied, IReadOnlyList<SpecOverride> overrides)
    {
        var settable = Settable(applied);
        return overrides.Select(o => settable.FirstOrDefault(p => string.Equals(p.Target, o.Target, StringComparison.OrdinalIgnoreCase)) is { } p ? $"{p.Target}={p.Shown}" : o.ToString()).ToList();
    }

    /// <summary>A value as overrides write it: invariant numbers (round-trip), enum and flag names joined by '|', lower-case booleans.</summary>
    public static string Format(object? value) => value switch
    {
        null => "auto",
        bool b => b ? "true" : "false",
        Enum e => e.ToString().Replace(", ", "|", StringComparison.Ordinal),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>
    /// The properties of a part that overrides can set: those its attribute declares (settable, or given to its
    /// constructor, as <c>GroundTruth.Group</c>) that the spec record has too, of a type a command line can write.
    /// </summary>
    private static IEnumerable<PropertyInfo> Properties(SpecPart part)
    {
        var constructorParameters = part.AttributeType.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.Name!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var declared in part.AttributeType.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            if (declared.SetMethod is not { IsPublic: true } && !constructorParameters.Contains(declared.Name)) continue;
            var property = part.Value.GetType().GetProperty(declared.Name, BindingFlags.Public | BindingFlags.Instance);
            if (property?.SetMethod is null || !Writable(property.PropertyType)) continue;
            yield return property;
        }
    }

    private static bool Writable(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(bool) || type == typeof(string) || type.IsEnum;
    }

    private static object? Shown(object part, PropertyInfo property)
    {
        var value = property.GetValue(part);
        // MNIST's split sizes default to the digit set's own (the classic protocol's, or the DSL defaults).
        if (value is null && part is MnistDatasetSpec mnist)
        {
            var sizes = mnist.DeclaredSizes();
            return property.Name switch
            {
                nameof(MnistDatasetSpec.TrainCount) => sizes.Train,
                nameof(MnistDatasetSpec.ValidationCount) => sizes.Validation,
                nameof(MnistDatasetSpec.TestCount) => sizes.Test,
                _ => null,
            };
        }
        return value;
    }

    private static string? Range(SpecPart part, PropertyInfo property)
    {
        if (part.AttributeType.GetProperty(property.Name)?.GetCustomAttribute<AllowedRangeAttribute>() is { } range) return range.Allowed;
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (type.IsEnum) return (type.IsDefined(typeof(FlagsAttribute)) ? "any of " : "one of ") + string.Join(type.IsDefined(typeof(FlagsAttribute)) ? " | " : ", ", Enum.GetNames(type));
        return type == typeof(bool) ? "true or false" : null;
    }

    /// <summary>A copy of a spec record with one property replaced (records clone; their init setters take the value).</summary>
    private static object With(object record, PropertyInfo property, object? value)
    {
        var clone = record.GetType().GetMethod("<Clone>$")!.Invoke(record, null)!;
        property.SetValue(clone, value);
        return clone;
    }

    private static bool TryParse(string text, Type type, out object? value, out string expected)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        value = null;
        string plain = text.Replace("_", "", StringComparison.Ordinal);
        if (target == typeof(int))
        {
            expected = "an integer";
            if (!int.TryParse(plain, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)) return false;
            value = i;
        }
        else if (target == typeof(long))
        {
            expected = "an integer";
            if (!long.TryParse(plain, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) return false;
            value = l;
        }
        else if (target == typeof(double))
        {
            expected = "a number (e.g. 3e-4)";
            if (!double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d)) return false;
            value = d;
        }
        else if (target == typeof(bool))
        {
            expected = "true or false";
            if (!bool.TryParse(text, out var b)) return false;
            value = b;
        }
        else if (target.IsEnum)
        {
            bool flags = target.IsDefined(typeof(FlagsAttribute));
            expected = (flags ? "any of " : "one of ") + string.Join(flags ? " | " : ", ", Enum.GetNames(target));
            var names = flags ? text.Split('|', ',', StringSplitOptions.TrimEntries) : [text.Trim()];
            ulong bits = 0;
            foreach (var name in names)
            {
                var match = Enum.GetNames(target).FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
                if (match is null) return false;
                bits |= Convert.ToUInt64(Enum.Parse(target, match), CultureInfo.InvariantCulture);
            }
            value = Enum.ToObject(target, bits);
        }
        else
        {
            expected = "text";
            value = text;
        }
        return true;
    }
}
