using System.Text.Json;
using LieGG.Runtime.Results;

namespace LieGG.Runtime.Orchestration;

/// <summary>
/// <c>failure.json</c> in a trial's folder: the last attempt at the trial failed, how, and where. It does not stop the
/// study's other trials or their merge; the next attempt at the trial replaces it.
/// </summary>
/// <param name="ExitCode">The exit code of the process that ran the trial, where it is known.</param>
public sealed record TrialFailure(string Message, string Error, int? ExitCode, string Host, int ProcessId, string? SlurmJob, DateTimeOffset At)
{
    public const string FileName = "failure.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static TrialFailure Of(Exception exception, ClaimOwner owner, int? exitCode = null) => new(
        exception.Message, exception.GetType().Name, exitCode, owner.Host, owner.ProcessId, owner.SlurmJob, DateTimeOffset.UtcNow);

    public TrialFailure WithExitCode(int exitCode) => this with { ExitCode = exitCode };

    public void WriteInto(string trialFolder) => AtomicFile.WriteAllText(Path.Combine(trialFolder, FileName), JsonSerializer.Serialize(this, Json));

    /// <summary>The failure recorded in <paramref name="trialFolder"/>, or null (none, or unreadable).</summary>
    public static TrialFailure? TryLoad(string trialFolder)
    {
        try
        {
            var path = Path.Combine(trialFolder, FileName);
            return File.Exists(path) ? JsonSerializer.Deserialize<TrialFailure>(File.ReadAllText(path), Json) : null;
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }
}
