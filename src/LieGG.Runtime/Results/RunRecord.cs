using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using LieGG.Dsl;
using LieGG.Runtime.Experiments;
using LieGG.Runtime.Symmetry;

namespace LieGG.Runtime.Results;

/// <summary>
/// The content of <c>result.json</c>: one run, complete, loadable again (<see cref="Load"/>) to re-render or compare.
/// </summary>
public sealed record RunRecord
{
    /// <summary>3: <see cref="Spec"/> holds the typed spec the run used. Files of schemas 1 and 2 are upgraded as they load (<see cref="RecordMigrations"/>).</summary>
    public const int CurrentSchema = 3;

    public int Schema { get; init; } = CurrentSchema;

    public required string RunId { get; init; }

    public required DateTimeOffset Started { get; init; }

    /// <summary>
    /// The experiment as this run used it: the declaration with the run's overrides, units and convention applied, and the
    /// split sizes, epochs and seed the run settled (<see cref="Used"/>). Every text form of the settings — the report's
    /// Settings table, export and comparison columns, the stale-trial check — is a view of it (<see cref="SpecValues"/>).
    /// </summary>
    public required ExperimentSpec Spec { get; init; }

    public required RunVersions Versions { get; init; }

    public required ExperimentResult Result { get; init; }

    /// <summary>Set when the run is one trial of a study.</summary>
    public Studies.TrialInfo? Trial { get; init; }

    /// <summary>Set when this trial was taken over from an earlier holder that abandoned it: why that holder was judged gone.</summary>
    public string? TookOver { get; init; }

    /// <summary>UTC start second, seed and "-quick" for smoke runs, e.g. 20261130-040609-seed2023-quick.</summary>
    public static string RunIdFor(DateTimeOffset started, int seed, bool quick) => $"{started.UtcDateTime:yyyyMMdd-HHmmss}-seed{seed}{(quick ? "-quick" : "")}";

    /// <param name="spec">The spec the run was given (declaration with its options applied); recorded with the values the run itself settled (<see cref="Used"/>).</param>
    public static RunRecord Create(ExperimentSpec spec, ExperimentResult result, DateTimeOffset started) => new()
    {
        RunId = RunIdFor(started, result.Seed, result.Quick),
        Started = started,
        Spec = Used(spec, result),
        Versions = RunVersions.Current(),
        Result = result,
    };

    /// <summary>
    /// <paramref name="spec"/> with what the run settled itself: the split sizes it used (after --quick, or a data
    /// directory's split, which gives each split at most its file), the epochs it trained (after --quick or a sample
    /// budget) and its seed — one spec that says what ran. An analysis trains nothing and keeps the trained network's epochs.
    /// </summary>
    public static ExperimentSpec Used(ExperimentSpec spec, ExperimentResult result)
    {
        var used = spec with { Dataset = spec.Dataset.WithSizes(result.Data.Train, result.Data.Validation, result.Data.Test) };
        return result.AnalysisOf is null ? used with { Training = used.Training with { Epochs = result.Epochs, Seed = result.Seed } } : used;
    }

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { SpecJson.Modify } },
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static RunRecord FromJson(string json, string source = RunFiles.ResultJson)
    {
        try
        {
            if (JsonNode.Parse(json) is not JsonObject root) throw new JsonException("the file holds no JSON object");
            int schema = root["schema"] is JsonValue value && value.TryGetValue(out int number) ? number : 1;
            if (schema is < 1 or > CurrentSchema)
                throw new InvalidDataException($"{source}: schema {schema} is not one this version reads (1 … {CurrentSchema}); read it with the version that wrote it, or re-run the experiment.");
            return RecordMigrations.Upgrade(root).Deserialize<RunRecord>(JsonOptions) ?? throw new JsonException("the file holds null");
        }
        // A damaged file can fail anywhere in parsing, upgrading or binding: each is the same answer to the reader.
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or FormatException or InvalidCastException or ArgumentException or OverflowException or KeyNotFoundException)
        {
            throw new InvalidDataException($"{source}: not a LieGG result file ({e.Message}).", e);
        }
    }

    public static RunRecord Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such result file.", path);
        return FromJson(File.ReadAllText(path), path);
    }
}
