using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using LieGG.Dsl;
using LieGG.Runtime.Experiments;
using LieGG.Runtime.Symmetry;

namespace LieGG.Runtime.Results;

/// <summary>
/// The content of <c>result.json</c>: one run, complete, loadable again (<see cref="Load"/>) to re-render or compare.
/// </summary>
public sealed record RunRecord
{
    /// <summary>2: <see cref="Setup"/> holds the settings as data. Schema-1 files (settings as text only) still load.</summary>
    public const int CurrentSchema = 2;

    public int Schema { get; init; } = CurrentSchema;

    public required string RunId { get; init; }

    public required DateTimeOffset Started { get; init; }

    public required ExperimentSettings Settings { get; init; }

    /// <summary>The settings as data (<see cref="RunSetup"/>); null in schema-1 files.</summary>
    public JsonObject? Setup { get; init; }

    public required RunVersions Versions { get; init; }

    public required ExperimentResult Result { get; init; }

    /// <summary>Set when the run is one trial of a study.</summary>
    public Studies.TrialInfo? Trial { get; init; }

    /// <summary>Set when this trial was taken over from an earlier holder that abandoned it: why that holder was judged gone.</summary>
    public string? TookOver { get; init; }

    /// <summary>The spatial prior the run was analysed with (from <see cref="Setup"/>), or null for any other prior.</summary>
    public SpatialPrior? AnalysedSpatialPrior()
    {
        if (Setup is not null)
            return Setup["prior"] is JsonObject { } prior && (string?)prior["kind"] == nameof(SpatialPrior)
                ? new SpatialPrior(Enum.Parse<SpatialConvention>((string)prior[nameof(SpatialPrior.Convention)]!), (bool)prior[nameof(SpatialPrior.Affine)]!)
                : null;
        // Schema 1 stored the prior only as its description, e.g. "spatial prior (Reference, affine)".
        var description = Settings.Prior;
        if (!description.StartsWith("spatial prior", StringComparison.Ordinal)) return null;
        var convention = description.Contains(nameof(SpatialConvention.Reference), StringComparison.Ordinal) ? SpatialConvention.Reference : SpatialConvention.Centered;
        return new SpatialPrior(convention, description.Contains("affine", StringComparison.Ordinal));
    }

    /// <summary>UTC start second, seed and "-quick" for smoke runs, e.g. 20261130-040609-seed2023-quick.</summary>
    public static string RunIdFor(DateTimeOffset started, int seed, bool quick) => $"{started.UtcDateTime:yyyyMMdd-HHmmss}-seed{seed}{(quick ? "-quick" : "")}";

    public static RunRecord Create(ExperimentSpec spec, ExperimentResult result, DateTimeOffset started) => new()
    {
        RunId = RunIdFor(started, result.Seed, result.Quick),
        Started = started,
        Settings = ExperimentSettings.Of(spec, result),
        Setup = RunSetup.Of(spec, result),
        Versions = RunVersions.Current(),
        Result = result,
    };

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static RunRecord FromJson(string json, string source = "result.json")
    {
        try
        {
            var record = JsonSerializer.Deserialize<RunRecord>(json, JsonOptions) ?? throw new JsonException("the file holds null");
            if (record.Schema is < 1 or > CurrentSchema)
                throw new InvalidDataException($"{source}: schema {record.Schema} is not one this version reads (1 … {CurrentSchema}); read it with the version that wrote it, or re-run the experiment.");
            return record;
        }
        catch (JsonException e)
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
