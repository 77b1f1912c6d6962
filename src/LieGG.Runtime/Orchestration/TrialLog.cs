using System.Globalization;

namespace LieGG.Runtime.Orchestration;

/// <summary>
/// A trial's own log, <c>trial.log</c> in its folder: every attempt at the trial appends to it (who ran it, its epochs,
/// how it ended), so <c>study-status</c> can show why a trial failed or stopped without the scheduler's own log files.
/// </summary>
public sealed class TrialLog(string trialFolder, string attempt)
{
    public const string FileName = "trial.log";

    public string Path { get; } = System.IO.Path.Combine(trialFolder, FileName);

    /// <summary>Appends one line, stamped with the time and the attempt ("pid 12 on node3"). A log that cannot be written never stops a trial.</summary>
    public void Write(string line)
    {
        try
        {
            File.AppendAllText(Path, string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ} [{attempt}] {line}\n"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The last <paramref name="count"/> lines of the log in <paramref name="trialFolder"/>; empty when it has none.</summary>
    public static IReadOnlyList<string> Tail(string trialFolder, int count)
    {
        var path = System.IO.Path.Combine(trialFolder, FileName);
        try
        {
            return File.Exists(path) ? File.ReadLines(path).TakeLast(count).ToList() : [];
        }
        catch (IOException)
        {
            return [];
        }
    }
}
