using System.Diagnostics;
using LieGG.Runtime.Results;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using LieGG.Runtime.Orchestration;
using LieGG.Runtime.Studies;

namespace LieGG.Cli;

/// <summary>What became of a parallel study's trials.</summary>
/// <param name="Failed">Trials whose worker exited with an error, with the last lines it wrote to standard error.</param>
public sealed record WorkerOutcome(int Ran, IReadOnlyList<(TrialInfo Trial, int ExitCode, string Errors)> Failed, bool Interrupted);

/// <summary>
/// <c>study --jobs N</c>: trains a study's pending trials in up to N worker processes of this same program, one
/// process per trial (<c>study NAME --trial K</c>), so a slow trial never holds up a queue of others. Every worker
/// runs its trial exactly as a sequential run would (same seed, same options), so with the same threads per trial
/// the results are identical. Worker output is relayed line by line, prefixed with the trial. Ctrl-C (or SIGTERM)
/// stops every worker and removes the folders of the trials they had not finished, so no partial trial remains.
/// </summary>
public sealed class StudyWorkers(string study, IReadOnlyList<string> sharedArguments, TextWriter output)
{
    private readonly object gate = new();
    private readonly List<(Process Process, StudyTrial Trial, string Folder)> running = [];
    private readonly List<Process> started = [];
    private volatile bool interrupted;
    // Set once Interrupt has removed every unfinished folder: the signal thread does that, and the program must not
    // exit (the main thread returning as soon as the killed workers' tasks end) before it is done.
    private readonly ManualResetEventSlim stopped = new();

    /// <summary>The command that starts this program again: its apphost, or <c>dotnet</c> and its entry assembly.</summary>
    public static (string FileName, IReadOnlyList<string> Prefix) CurrentProgram()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this program is unknown, so --jobs cannot start workers; run the study without --jobs.");
        if (Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            && Assembly.GetEntryAssembly()?.Location is { Length: > 0 } entry)
            return (process, [entry]);
        return (process, []);
    }

    public WorkerOutcome Run(IReadOnlyList<StudyTrial> pending, int jobs, string outputFolder)
    {
        var failed = new List<(TrialInfo, int, string)>();
        int ran = 0, next = 0;
        var program = CurrentProgram();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            Interrupt();
        };
        Console.CancelKeyPress += onCancel;
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            Interrupt();
        });
        try
        {
            var active = new List<Task<(StudyTrial Trial, int ExitCode, string Errors)>>();
            while (!interrupted && (next < pending.Count || active.Count > 0))
            {
                while (!interrupted && active.Count < jobs && next < pending.Count)
                {
                    var trial = pending[next++];
                    active.Add(Start(program, trial, StudyRunner.TrialFolder(outputFolder, trial.Info), pending.Count));
                }
                if (active.Count == 0) break;
                int done = Task.WaitAny([.. active]);
                var (finishedTrial, exitCode, errors) = active[done].Result;
                active.RemoveAt(done);
                if (interrupted) break;
                var folder = StudyRunner.TrialFolder(outputFolder, finishedTrial.Info);
                // A worker that found its trial held by another process exits 0 without a result: it did not run it.
                if (exitCode == 0)
                {
                    if (File.Exists(Path.Combine(folder, RunFiles.ResultJson))) ran++;
                }
                else
                {
                    failed.Add((finishedTrial.Info, exitCode, errors));
                    RecordCrash(folder, exitCode, errors);
                }
            }
            if (interrupted)
            {
                Task.WaitAll([.. active]);
                stopped.Wait();
            }
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            foreach (var process in started) process.Dispose();
        }
        return new WorkerOutcome(ran, failed, interrupted);
    }

    private Task<(StudyTrial, int, string)> Start((string FileName, IReadOnlyList<string> Prefix) program, StudyTrial trial, string folder, int pendingCount)
    {
        var start = new ProcessStartInfo(program.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment[ParentWatch.Variable] = "1";
        foreach (var argument in program.Prefix) start.ArgumentList.Add(argument);
        foreach (var argument in new[] { "study", study, "--trial", trial.Info.Index.ToString(CultureInfo.InvariantCulture) }.Concat(sharedArguments)) start.ArgumentList.Add(argument);
        var process = new Process { StartInfo = start };
        string prefix = $"[{trial.Info.Key}] ";
        var errors = new Queue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line) lock (gate) output.WriteLine(prefix + line);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not { Length: > 0 } line) return;
            lock (gate)
            {
                output.WriteLine(prefix + line);
                errors.Enqueue(line);
                if (errors.Count > 20) errors.Dequeue();
            }
        };
        lock (gate)
        {
            if (interrupted) return Task.FromResult((trial, -1, ""));
            process.Start();
            started.Add(process);
            running.Add((process, trial, folder));
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return Task.Run(() =>
        {
            process.WaitForExit();
            lock (gate)
            {
                running.RemoveAll(r => r.Process == process);
                return (trial, process.ExitCode, string.Join("\n", errors));
            }
        });
    }

    /// <summary>Stops every worker and removes the folders of the trials they had not finished (result.json is written last).</summary>
    private void Interrupt()
    {
        List<(Process Process, StudyTrial Trial, string Folder)> stopping;
        lock (gate)
        {
            if (interrupted) return;
            interrupted = true;
            stopping = [.. running];
            output.WriteLine($"{study}: interrupted; stopping {stopping.Count} worker(s).");
        }
        // Outside the lock: the workers' output handlers take it until their streams close.
        try
        {
            foreach (var (process, _, folder) in stopping) Stop(process, folder);
        }
        finally
        {
            stopped.Set();
        }
    }

    /// <summary>A worker that died without recording why (killed, crashed) gets a failure record from its exit code and last errors.</summary>
    private static void RecordCrash(string folder, int exitCode, string errors)
    {
        if (!Directory.Exists(folder)) return;
        if (TrialFailure.TryLoad(folder) is { } recorded)
        {
            if (recorded.ExitCode is null) recorded.WithExitCode(exitCode).WriteInto(folder);
            return;
        }
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        new TrialFailure(lines.Length > 0 ? lines[^1] : $"the worker exited with code {exitCode}", "WorkerExit", exitCode, ClaimOwner.HostName, -1, null, DateTimeOffset.UtcNow).WriteInto(folder);
    }

    private static void Stop(Process process, string folder)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // It had exited already.
        }
        // Only what this worker started: a trial it found held by another study process is that process's to finish.
        var (owner, _) = TrialClaim.Read(TrialClaim.PathIn(folder));
        if (owner is not null && owner.ProcessId != process.Id) return;
        if (Directory.Exists(folder) && !File.Exists(Path.Combine(folder, RunFiles.ResultJson))) Directory.Delete(folder, recursive: true);
    }
}
