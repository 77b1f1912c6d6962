using System.Diagnostics;

namespace LieGG.Experiments.Tests;

/// <summary>
/// A Slurm cluster for the tests that submit to one: the one SLURM_CONF names when it answers (CI starts it with
/// tools/slurm/local-slurm), else one started here with that script when Slurm is installed and the tests run as root.
/// Where neither works, <see cref="Unavailable"/> says why and the tests report themselves skipped.
/// </summary>
public sealed class LocalSlurm : IDisposable
{
    private readonly string? started;

    public LocalSlurm()
    {
        if (Environment.GetEnvironmentVariable("SLURM_CONF") is { Length: > 0 } given && File.Exists(given))
        {
            Conf = given;
            if (Run("sinfo", "-h").ExitCode == 0) return;
            Conf = null;
        }
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            Unavailable = "no Slurm answers here (SLURM_CONF unset or silent) and starting one needs root on Linux";
            return;
        }
        if (!File.Exists("/usr/sbin/slurmctld") || !File.Exists("/usr/sbin/slurmd") || !File.Exists("/usr/bin/sbatch"))
        {
            Unavailable = "Slurm is not installed (Debian: slurmctld slurmd slurm-client munge, or tools/slurm/local-slurm install)";
            return;
        }
        started = Path.Combine(Path.GetTempPath(), $"liegg-slurm-{Guid.NewGuid():N}");
        var (exitCode, output) = Script("start", started);
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("export SLURM_CONF=", StringComparison.Ordinal));
        if (exitCode != 0 || line is null)
        {
            Unavailable = $"tools/slurm/local-slurm could not start a cluster: {output.Trim()}";
            Script("stop", started);
            started = null;
            return;
        }
        Conf = line["export SLURM_CONF=".Length..].Trim();
    }

    /// <summary>The cluster's slurm.conf; null when there is none.</summary>
    public string? Conf { get; }

    /// <summary>Why there is no cluster; null when there is one.</summary>
    public string? Unavailable { get; }

    /// <summary>The environment a process needs to reach this cluster.</summary>
    public IReadOnlyDictionary<string, string?> Variables => new Dictionary<string, string?> { ["SLURM_CONF"] = Conf };

    public (int ExitCode, string Output) Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        if (Conf is not null) start.Environment["SLURM_CONF"] = Conf;
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + errors.Result);
    }

    /// <summary>Waits until Slurm lists no task of the job; false if that took longer than <paramref name="timeout"/>.</summary>
    public bool WaitUntilGone(string job, TimeSpan timeout) => SpinWait.SpinUntil(() =>
    {
        var (exitCode, output) = Run("squeue", "-h", "-r", "-j", job, "-o", "%T");
        bool gone = exitCode == 0 ? output.Trim().Length == 0 : output.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase);
        if (!gone) Thread.Sleep(500);
        return gone;
    }, timeout);

    public void Dispose()
    {
        if (started is not null) Script("stop", started);
    }

    private static (int ExitCode, string Output) Script(string command, string folder)
    {
        var script = Path.Combine(RepositoryFolder(), "tools", "slurm", "local-slurm");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { script, command, folder }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + errors.Result);
    }

    private static string RepositoryFolder([System.Runtime.CompilerServices.CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "..", "..");
}

[CollectionDefinition("slurm")]
[TypicalDuration(90)]
public sealed class SlurmCollection : ICollectionFixture<LocalSlurm>;
