using System.Diagnostics;

namespace LieGG.Runtime.Orchestration;

/// <summary>What the local Slurm controller says about a job, through its own command-line tools.</summary>
public static class SlurmQueue
{
    /// <summary>
    /// True while the job is pending, running, suspended or completing; false once Slurm no longer lists it as active;
    /// null when Slurm cannot be asked here (no squeue, no controller answering), so the caller falls back to its lease.
    /// </summary>
    public static bool? IsActive(string jobId)
    {
        var (exitCode, output) = Run("squeue", "-h", "-j", jobId, "-o", "%T");
        if (exitCode is null) return null;
        if (exitCode == 0)
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Any(state => state is "PENDING" or "RUNNING" or "SUSPENDED" or "COMPLETING" or "CONFIGURING" or "REQUEUED" or "RESIZING");
        // A job the controller has forgotten (after MinJobAge) is "Invalid job id specified": certainly not active.
        return output.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase) ? false : null;
    }

    /// <summary>Runs a Slurm tool; a null exit code when it is not installed or did not answer within 30 s.</summary>
    public static (int? ExitCode, string Output) Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(30_000))
            {
                process.Kill(entireProcessTree: true);
                return (null, $"{tool} did not answer within 30 s");
            }
            return (process.ExitCode, output.Result + errors.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (null, $"{tool} is not installed here");
        }
    }
}
