using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LieGG.Runtime.Results;

/// <summary>
/// Upgrades result.json files of earlier schemas to the current one, once, as they load — the only place that knows
/// the old forms. Schema 1 held the settings as text only (record dumps and descriptions), schema 2 beside it a
/// reflective copy of the spec (<c>setup</c>, with an <c>effective</c> group); schema 3 holds the typed spec itself
/// (<c>spec</c>, see <see cref="SpecJson"/>). A file is never rewritten by loading it.
/// </summary>
internal static class RecordMigrations
{
    /// <summary><paramref name="root"/> in the current schema; an unknown schema is left for the reader to refuse.</summary>
    public static JsonObject Upgrade(JsonObject root)
    {
        int schema = root["schema"] is JsonValue value && value.TryGetValue(out int number) ? number : 1;
        if (schema is < 1 or >= RunRecord.CurrentSchema) return root;
        var groups = schema == 1 ? GroupsFromText(root["settings"] as JsonObject) : root["setup"] as JsonObject;
        root["spec"] = Spec(groups, (string?)root["result"]?["experiment"] ?? "");
        root.Remove("settings");
        root.Remove("setup");
        root["schema"] = RunRecord.CurrentSchema;
        return root;
    }

    /// <summary>The typed spec's JSON from schema-2 groups (kind + PascalCase properties).</summary>
    private static JsonObject Spec(JsonObject? groups, string name)
    {
        var spec = new JsonObject { ["name"] = name };
        if (groups is null) return spec;
        foreach (var (group, node) in groups)
        {
            if (group == "effective" || node is not JsonObject properties) continue;
            spec[group] = Record(properties, polymorphic: group is "dataset" or "architecture" or "prior" or "groundTruth");
        }
        // The classic protocol's sizes are its own; schema 2 wrote the DSL defaults beside it.
        if (spec["dataset"] is JsonObject dataset && (string?)dataset["digits"] == "ClassicRotation")
            foreach (var count in new[] { "trainCount", "validationCount", "testCount" }) dataset.Remove(count);
        return spec;
    }

    private static JsonObject Record(JsonObject properties, bool polymorphic)
    {
        var record = new JsonObject();
        foreach (var (key, value) in properties)
        {
            if (key == SpecJson.Kind)
            {
                if (polymorphic) record[SpecJson.Kind] = value?.DeepClone();
                continue;
            }
            record[JsonNamingPolicy.CamelCase.ConvertName(key)] = value switch
            {
                JsonObject nested => Record(nested, polymorphic: false),
                JsonArray names when key is "Named" or "NamedExact" => new JsonArray(names.Select(n => Element((string?)n)).ToArray()),
                _ => value?.DeepClone(),
            };
        }
        // The polymorphic kind must come first for the reader.
        if (record[SpecJson.Kind] is { } kind)
        {
            record.Remove(SpecJson.Kind);
            var ordered = new JsonObject { [SpecJson.Kind] = kind };
            foreach (var (key, value) in record.ToList())
            {
                record.Remove(key);
                ordered[key] = value;
            }
            return ordered;
        }
        return record;
    }

    /// <summary>A group element from the name schema 2 recorded ("rot90", "shift(0,3)", "flip").</summary>
    private static JsonNode? Element(string? name) => name switch
    {
        "rot90" or "rot180" or "rot270" => new JsonObject { [SpecJson.Kind] = "Rotation90", ["quarters"] = int.Parse(name[3..], CultureInfo.InvariantCulture) / 90 },
        "flip" => new JsonObject { [SpecJson.Kind] = "Flip" },
        _ when name is not null && ShiftPattern.Match(name) is { Success: true } shift => new JsonObject
        {
            [SpecJson.Kind] = "CyclicShift",
            ["rows"] = int.Parse(shift.Groups[1].Value, CultureInfo.InvariantCulture),
            ["columns"] = int.Parse(shift.Groups[2].Value, CultureInfo.InvariantCulture),
        },
        _ => null,
    };

    /// <summary>Schema-2-style groups parsed from schema 1's settings text.</summary>
    private static JsonObject? GroupsFromText(JsonObject? settings)
    {
        if (settings is null) return null;
        var groups = new JsonObject();
        foreach (var group in new[] { "dataset", "architecture", "groundTruth", "analysis" })
            if ((string?)settings[group] is { } text && RecordDump(text) is { } parsed) groups[group] = parsed;
        if ((string?)settings["prior"] is { } prior && Prior(prior) is { } parsedPrior) groups["prior"] = parsedPrior;
        if ((string?)settings["training"] is { } training)
        {
            var (options, laplace) = Training(training);
            groups["training"] = options;
            if (laplace is not null) groups["laplace"] = laplace;
        }
        return groups;
    }

    /// <summary>"MlpSpec { Hidden = 1, Width = 53, Pathways = FactoredFC, Conv }" → kind and properties; null when the text is no record dump.</summary>
    private static JsonObject? RecordDump(string text)
    {
        int open = text.IndexOf(" {", StringComparison.Ordinal);
        if (open <= 0 || !text.EndsWith('}')) return null;
        var record = new JsonObject { [SpecJson.Kind] = text[..open] };
        string body = text[(open + 2)..^1].Trim();
        // Split at ", Name = " at brace depth 0 (flag values such as "FactoredFC, Conv" hold commas too).
        var members = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i < body.Length; i++)
        {
            depth += body[i] == '{' ? 1 : body[i] == '}' ? -1 : 0;
            if (depth == 0 && body[i] == ',' && NextMember.IsMatch(body[(i + 1)..]))
            {
                members.Add(body[start..i]);
                start = i + 1;
            }
        }
        if (body.Length > 0) members.Add(body[start..]);
        foreach (var member in members)
        {
            int equals = member.IndexOf(" = ", StringComparison.Ordinal);
            if (equals < 0) continue;
            string name = member[..equals].Trim(), value = member[(equals + 3)..].Trim();
            record[name] = value switch
            {
                "True" or "False" => value == "True",
                "auto" => null,
                // A flags value printed by its selection ("Rotations StrideShifts").
                _ when Regex.IsMatch(value, @"^[A-Z]\w*( [A-Z]\w*)+$") => value.Replace(" ", ", ", StringComparison.Ordinal),
                _ when value.Contains(" {", StringComparison.Ordinal) => RecordDump(value),
                _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number == Math.Floor(number) && Math.Abs(number) < int.MaxValue ? (JsonNode)(int)number : number,
                _ => value,
            };
        }
        return record;
    }

    /// <summary>"spatial prior (Centered, affine)" or "generic prior (n = 5, copies = 2, scalars = 1)".</summary>
    private static JsonObject? Prior(string text)
    {
        if (text.StartsWith("spatial prior", StringComparison.Ordinal))
            return new JsonObject
            {
                [SpecJson.Kind] = "SpatialPrior",
                ["Convention"] = text.Contains("Reference", StringComparison.Ordinal) ? "Reference" : "Centered",
                ["Affine"] = text.Contains("affine", StringComparison.Ordinal),
            };
        var generic = GenericPriorPattern.Match(text);
        if (!generic.Success) return null;
        return new JsonObject
        {
            [SpecJson.Kind] = "GenericPrior",
            ["Dimension"] = int.Parse(generic.Groups["n"].Value, CultureInfo.InvariantCulture),
            ["Copies"] = int.Parse(generic.Groups["copies"].Value, CultureInfo.InvariantCulture),
            ["Scalars"] = generic.Groups["scalars"].Success ? int.Parse(generic.Groups["scalars"].Value, CultureInfo.InvariantCulture) : 0,
        };
    }

    /// <summary>Schema 1's training sentence ("epochs 50, batch 128, lr 0.1, …, priors learned by Laplace … (burn-in 5, …)") as [Train] and [Laplace] values.</summary>
    private static (JsonObject Training, JsonObject? Laplace) Training(string text)
    {
        var training = new JsonObject { [SpecJson.Kind] = "TrainingOptions" };
        void Take(string pattern, string property, Func<string, JsonNode> convert)
        {
            var match = Regex.Match(text, pattern, RegexOptions.CultureInvariant);
            if (match.Success) training[property] = convert(match.Groups[1].Value);
        }
        JsonNode Integer(string v) => int.Parse(v, CultureInfo.InvariantCulture);
        JsonNode Number(string v) => double.Parse(v, CultureInfo.InvariantCulture);
        Take(@"^epochs (\d+)", "Epochs", Integer);
        Take(@"batch (\d+)", "BatchSize", Integer);
        Take(@", lr ([^,]+),", "LearningRate", Number);
        Take(@"weight decay ([^,]+),", "WeightDecay", Number);
        Take(@"seed (-?\d+)", "Seed", Integer);
        Take(@"select best (True|False)", "SelectBest", v => v == "True");
        Take(@"optimizer (\w+)", "Optimizer", v => v);
        Take(@"\(momentum ([^)]+)\)", "Momentum", Number);
        Take(@"schedule (\w+) to", "Schedule", v => v);
        Take(@"schedule \w+ to ([^,]+)", "FinalLearningRate", Number);
        Take(@"warm-up over (\d+) epoch", "WarmupEpochs", Integer);
        var laplace = Regex.Match(text, @"priors learned by Laplace marginal likelihood \(burn-in (\d+), every (\d+), (\d+) Adam steps at lr ([^,]+), (\w+) Fisher\)", RegexOptions.CultureInvariant);
        return (training, laplace.Success
            ? new JsonObject
            {
                ["BurnIn"] = Integer(laplace.Groups[1].Value),
                ["Every"] = Integer(laplace.Groups[2].Value),
                ["Steps"] = Integer(laplace.Groups[3].Value),
                ["LearningRate"] = Number(laplace.Groups[4].Value),
                ["Fisher"] = laplace.Groups[5].Value,
            }
            : null);
    }

    /// <summary>", Name = " at the start of what follows a comma: the next member of a record dump.</summary>
    private static readonly Regex NextMember = new(@"^ [A-Z][A-Za-z]* = ", RegexOptions.CultureInvariant);

    private static readonly Regex ShiftPattern = new(@"^shift\((-?\d+),(-?\d+)\)$", RegexOptions.CultureInvariant);

    private static readonly Regex GenericPriorPattern = new(@"generic prior \(n = (?<n>\d+), copies = (?<copies>\d+)(, scalars = (?<scalars>\d+))?\)", RegexOptions.CultureInvariant);
}
