using System.Reflection;
using System.Text.Json.Nodes;
using LieGG.Runtime.Experiments;

namespace LieGG.Runtime.Results;

/// <summary>
/// A run's settings as data (result.json schema 2, <c>setup</c>): one object per group — dataset, architecture, training,
/// prior, groundTruth, analysis — holding the declaration's kind and its properties (numbers as numbers, enums as names),
/// and <c>effective</c>, the values the run actually used (split sizes after --quick, epochs, seed). Filter with
/// <c>setup["architecture"]["Hidden"]</c>, or flatten to columns with <see cref="Flatten"/>.
/// </summary>
public static class RunSetup
{
    public static JsonObject Of(ExperimentSpec spec, ExperimentResult result) => new()
    {
        ["dataset"] = Describe(spec.Dataset),
        ["architecture"] = Describe(spec.Architecture),
        ["training"] = Describe(spec.Training),
        ["prior"] = Describe(spec.Prior),
        ["groundTruth"] = spec.GroundTruth is { } truth ? Describe(truth) : null,
        ["analysis"] = Describe(spec.Analysis),
        ["laplace"] = spec.Laplace is { } laplace ? Describe(laplace) : null,
        ["pretrain"] = spec.Pretrain is { } pretrain ? Describe(pretrain) : null,
        ["effective"] = new JsonObject
        {
            ["TrainCount"] = result.Data.Train,
            ["ValidationCount"] = result.Data.Validation,
            ["TestCount"] = result.Data.Test,
            ["Epochs"] = result.Epochs,
            ["Seed"] = result.Seed,
            ["Quick"] = result.Quick,
            ["PolarizationRows"] = result.Symmetry.Rows,
            ["AnalysedSplit"] = result.AnalysedSplit.ToString(),
            ["DataDirectory"] = result.DataDirectory,
            ["Threads"] = result.Threads,
        },
    };

    /// <summary>"group.Property" → value, for a table with one column per setting.</summary>
    public static IReadOnlyDictionary<string, JsonNode?> Flatten(JsonObject setup)
    {
        var columns = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (group, node) in setup)
            if (node is JsonObject properties) Add(group, properties);
        return columns;

        // A nested spec (the analysis's equivariance) gives columns of its own: "analysis.Equivariance.Exact".
        void Add(string prefix, JsonObject properties)
        {
            foreach (var (name, value) in properties)
                if (value is JsonObject nested) Add($"{prefix}.{name}", nested);
                else columns[$"{prefix}.{name}"] = value;
        }
    }

    /// <summary>The first setting in which two setups differ, as "group.Property: a → b"; null when they agree (the effective values aside).</summary>
    public static string? FirstDifference(JsonObject recorded, JsonObject expected)
    {
        var a = Flatten(recorded);
        var b = Flatten(expected);
        foreach (var key in a.Keys.Union(b.Keys).Where(k => !k.StartsWith("effective.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            a.TryGetValue(key, out var x);
            b.TryGetValue(key, out var y);
            if (!JsonNode.DeepEquals(x, y)) return $"{key} was {x?.ToJsonString() ?? "unset"}, the declaration now says {y?.ToJsonString() ?? "unset"}";
        }
        return null;
    }

    /// <summary>The settings of one spec record: its kind and every property a declaration can set (constructor parameters and init properties).</summary>
    private static JsonObject Describe(object value)
    {
        var type = value.GetType();
        var settable = type.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.Name!).ToHashSet(StringComparer.Ordinal);
        var node = new JsonObject { ["kind"] = type.Name };
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            bool declared = settable.Contains(property.Name) || property.SetMethod is { IsPublic: true };
            if (!declared || property.GetIndexParameters().Length > 0) continue;
            if (Convert(property.GetValue(value)) is { } converted) node[property.Name] = converted;
            else if (IsSimple(property.PropertyType)) node[property.Name] = null;
        }
        return node;
    }

    private static bool IsSimple(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal);
    }

    private static JsonNode? Convert(object? value) => value switch
    {
        null => null,
        Enum e => JsonValue.Create(e.ToString()),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(d.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        float f => JsonValue.Create((double)f),
        int[] array => new JsonArray(array.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
        Experiments.EquivarianceSpec equivariance => Describe(equivariance),
        IEnumerable<Symmetry.Equivariance.GroupElement> elements => new JsonArray(elements.Select(e => (JsonNode?)JsonValue.Create(e.Name)).ToArray()),
        _ => null,
    };
}
