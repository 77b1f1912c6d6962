using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LieGG.Runtime.Orchestration;

/// <summary>
/// Who holds a trial's claim: enough to decide, from any machine sharing the output folder, whether that holder can
/// still be working on it — its host and process (with the process's start time, so a reused process id is not
/// mistaken for it), the Slurm job it runs in, and the lease it promised to renew within.
/// </summary>
/// <param name="Token">Unique per claim; a holder that finds another token in its claim file has lost the claim.</param>
/// <param name="ProcessStart">The process's start time in clock ticks since boot (<c>/proc/PID/stat</c> field 22), where readable.</param>
/// <param name="SlurmJob">The holder's Slurm job (an array task as ARRAYJOB_TASK), when it runs under Slurm.</param>
public sealed record ClaimOwner(
    string Token, string Host, int ProcessId, string? ProcessStart, string? SlurmJob, DateTimeOffset ClaimedAt, double LeaseSeconds)
{
    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);

    /// <summary>This process, claiming now.</summary>
    public static ClaimOwner Current(TimeSpan lease) => new(
        Guid.NewGuid().ToString("N"), HostName, Environment.ProcessId, ProcessStartOf(Environment.ProcessId), SlurmJobOfThisProcess(), DateTimeOffset.UtcNow, lease.TotalSeconds);

    /// <summary>
    /// An array task as ARRAYJOB_TASK (e.g. 10_1), the form squeue and scancel know it by from the start — its own
    /// SLURM_JOB_ID is refused by scancel for a moment after the task starts; any other job by SLURM_JOB_ID.
    /// </summary>
    private static string? SlurmJobOfThisProcess()
    {
        string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
        if (Variable("SLURM_ARRAY_JOB_ID") is { } array && Variable("SLURM_ARRAY_TASK_ID") is { } task) return $"{array}_{task}";
        return Variable("SLURM_JOB_ID");
    }

    /// <summary>"pid 123 on node7 (Slurm job 45)".</summary>
    public string Describe() => $"pid {ProcessId} on {Host}" + (SlurmJob is { } job ? $" (Slurm job {job})" : "");

    public static string HostName { get; } = Environment.MachineName;

    /// <summary>
    /// The start time of a process on this host; null when it is gone. Where there is no /proc to read the start time
    /// from, an existing process gives an empty string: alive, its start unknown.
    /// </summary>
    public static string? ProcessStartOf(int processId)
    {
        if (!Directory.Exists("/proc/self"))
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(processId);
                return process.HasExited ? null : "";
            }
            catch (ArgumentException)
            {
                return null;
            }
        }
        try
        {
            // Field 2 (the command) is in parentheses and may hold spaces: count fields after its closing one.
            var stat = File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 19 ? fields[19] : "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The owner in a claim file's text; null when the text is not (yet) a whole claim — its writer may be mid-write.</summary>
    public static ClaimOwner? Parse(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<ClaimOwner>(text, Json) is { Token.Length: > 0, Host.Length: > 0 } owner ? owner : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
