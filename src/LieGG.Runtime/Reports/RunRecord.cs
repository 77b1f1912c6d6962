using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using LieGG.Runtime.Experiments;

namespace LieGG.Runtime.Reports;

/// <summary>What an experiment declared, as text (each spec's own description), for reports and comparisons.</summary>
public sealed record ExperimentSettings(string Dataset, string Architecture, string Training, string Prior, string? GroundTruth, string Analysis)
{
    public static ExperimentSettings Of(ExperimentSpec spec, ExperimentResult result)
    {
        // Spec records print their numbers with the current culture; settings are stored and compared across runs
        // and machines, so they are always written the invariant way.
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            return new(
                spec.Dataset.ToString(),
                spec.Architecture.ToString(),
                TrainingDescription(spec, result),
                spec.Prior.Description,
                spec.GroundTruth?.ToString(),
                spec.Analysis.ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    private static string TrainingDescription(ExperimentSpec spec, ExperimentResult result)
    {
        var t = spec.Training;
        var text = $"epochs {result.Epochs}, batch {t.BatchSize}, lr {t.LearningRate:G4}, weight decay {t.WeightDecay:G4}, loss {t.ResolveLoss(result.Task)}, seed {result.Seed}, select best {t.SelectBest}";
        if (t.Optimizer != LieGG.Dsl.Optimizer.Adam) text += $", optimizer {t.Optimizer} (momentum {t.Momentum:G4})";
        if (t.Schedule != LieGG.Dsl.LearningRateSchedule.Constant) text += $", schedule {t.Schedule} to {t.FinalLearningRate:G4}";
        if (spec.Laplace is { } laplace)
            text += $", priors learned by Laplace marginal likelihood (burn-in {laplace.BurnIn}, every {laplace.Every}, {laplace.Steps} Adam steps at lr {laplace.LearningRate:G4}, {laplace.Fisher} Fisher)";
        else if (spec.Architecture is RelaxedCnnSpec relaxed)
            text += $", MAP with fixed prior precision {relaxed.PriorPrecision:G4}";
        return text;
    }
}

/// <summary>Versions of what produced a run.</summary>
public sealed record RunVersions(string LieGG, string TorchSharp, string Dotnet, string Os)
{
    public static RunVersions Current() => new(
        typeof(RunRecord).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
        typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown",
        Environment.Version.ToString(),
        RuntimeInformation.OSDescription);
}

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
    public System.Text.Json.Nodes.JsonObject? Setup { get; init; }

    public required RunVersions Versions { get; init; }

    public required ExperimentResult Result { get; init; }

    /// <summary>Set when the run is one trial of a study.</summary>
    public Studies.TrialInfo? Trial { get; init; }

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

/// <summary>Files written whole or not at all: a temporary file in the same folder, then a rename.</summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string contents) => Write(path, temporary => File.WriteAllText(temporary, contents));

    public static void Write(string path, Action<string> writeTemporary)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            writeTemporary(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
        RemoveStaleTemporaries(directory);
    }

    /// <summary>How old a temporary file must be before a later write to its folder treats it as left by a killed writer.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);

    // Our own temporaries live for milliseconds; one older than StaleAfter was left by a process that was killed mid-write.
    private static void RemoveStaleTemporaries(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, ".*.tmp"))
        {
            var name = Path.GetFileName(file);
            int guid = name.Length - ".tmp".Length - 32;
            if (guid < 2 || name[guid - 1] != '.' || !name.AsSpan(guid, 32).ToString().All(Uri.IsHexDigit)) continue;
            try
            {
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > StaleAfter) File.Delete(file);
            }
            catch (IOException)
            {
                // Another process may be removing it too.
            }
        }
    }
}
