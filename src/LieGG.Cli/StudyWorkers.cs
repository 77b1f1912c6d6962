using System.Collections.Concurrent;
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
/// <c>study --jobs N</c>: trains a study's pending trials in up to N worker processes of this same program
/// (<c>study NAME --worker</c>), each handed the next pending trial when it finishes one (<see cref="WorkerProtocol"/>),
/// so a slow trial never holds up a queue of others, and a worker starts the runtime and libtorch once, not once per
/// trial. Every worker runs each trial exactly as <c>study NAME --trial K</c> (and a sequential run) would — same seed,
/// same options — so with the same threads per trial the results are identical. Worker output is relayed line by line,
/// prefixed with the trial. A worker that dies takes only its current trial with it (recorded as failed); a new worker
/// takes the rest. Ctrl-C (or SIGTERM) stops every worker and removes the folders of the trials they had not finished,
/// so no partial trial remains.
/// </summary>
public sealed class StudyWorkers(string study, IReadOnlyList<string> sharedArguments, TextWriter output)
{
    private readonly object gate = new();
    private readonly TextWriter relay = output;
    private readonly List<Worker> running = [];
    private readonly List<Process> started = [];
    private readonly BlockingCollection<WorkerEvent> events = [];
    private volatile bool interrupted;
    // Set once Interrupt has removed every unfinished folder: the signal thread does that, and the program must not
    // exit (the main thread returning as soon as the killed workers end) before it is done.
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
        int ran = 0, next = 0, alive = 0;
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
        // Hands the worker the next pending trial, or tells it to exit when there is none (or the study was interrupted).
        void Feed(Worker worker)
        {
            if (!interrupted && next < pending.Count)
            {
                var trial = pending[next++];
                worker.Assign(trial, StudyRunner.TrialFolder(outputFolder, trial.Info));
            }
            else
            {
                worker.Release();
            }
        }
        try
        {
            while (!interrupted && alive < jobs && next < pending.Count && StartWorker(program) is { } worker)
            {
                alive++;
                Feed(worker);
            }
            while (alive > 0)
            {
                switch (events.Take())
                {
                    case TrialFinished(var worker, var trial, var folder, int exitCode, string errors):
                        if (interrupted) break;
                        // A worker that found its trial held by another process reports 0 without a result: it did not run it.
                        if (exitCode == 0)
                        {
                            if (File.Exists(Path.Combine(folder, RunFiles.ResultJson))) ran++;
                        }
                        else
                        {
                            failed.Add((trial.Info, exitCode, errors));
                            RecordCrash(folder, exitCode, errors);
                        }
                        Feed(worker);
                        break;
                    case WorkerExited(int exitCode, var unfinished, string errors):
                        alive--;
                        if (interrupted) break;
                        if (unfinished is { } held)
                        {
                            failed.Add((held.Trial.Info, exitCode, errors));
                            RecordCrash(held.Folder, exitCode, errors);
                        }
                        // The trials it would have taken go to a new worker.
                        if (next < pending.Count && StartWorker(program) is { } replacement)
                        {
                            alive++;
                            Feed(replacement);
                        }
                        break;
                }
            }
            if (interrupted) stopped.Wait();
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            foreach (var process in started) process.Dispose();
        }
        return new WorkerOutcome(ran, failed, interrupted);
    }

    private Worker? StartWorker((string FileName, IReadOnlyList<string> Prefix) program)
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
        foreach (var argument in new[] { "study", study, "--worker" }.Concat(sharedArguments)) start.ArgumentList.Add(argument);
        var worker = new Worker(new Process { StartInfo = start }, this);
        lock (gate)
        {
            if (interrupted) return null;
            worker.Process.Start();
            started.Add(worker.Process);
            running.Add(worker);
        }
        worker.Process.OutputDataReceived += (_, e) => worker.OnLine(e.Data, isError: false);
        worker.Process.ErrorDataReceived += (_, e) => worker.OnLine(e.Data, isError: true);
        worker.Process.BeginOutputReadLine();
        worker.Process.BeginErrorReadLine();
        _ = Task.Run(() =>
        {
            worker.Process.WaitForExit(); // returns once both streams have ended, so every line has been handled
            lock (gate)
            {
                running.Remove(worker);
                events.Add(new WorkerExited(worker.Process.ExitCode, worker.Current, worker.Errors()));
            }
        });
        return worker;
    }

    /// <summary>Stops every worker and removes the folders of the trials they had not finished (result.json is written last).</summary>
    private void Interrupt()
    {
        List<(Process Process, string? Folder)> stopping;
        lock (gate)
        {
            if (interrupted) return;
            interrupted = true;
            stopping = running.Select(w => (w.Process, w.Current?.Folder)).ToList();
            relay.WriteLine($"{study}: interrupted; stopping {stopping.Count} worker(s).");
        }
        // Outside the lock: the workers' output handlers take it until their streams close.
        try
        {
            foreach (var (process, folder) in stopping) Stop(process, folder);
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

    private static void Stop(Process process, string? folder)
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
        if (folder is null) return; // between trials
        // Only what this worker started: a trial it found held by another study process is that process's to finish.
        var (owner, _) = TrialClaim.Read(TrialClaim.PathIn(folder));
        if (owner is not null && owner.ProcessId != process.Id) return;
        if (Directory.Exists(folder) && !File.Exists(Path.Combine(folder, RunFiles.ResultJson))) Directory.Delete(folder, recursive: true);
    }

    private abstract record WorkerEvent;

    /// <summary>Both of the worker's streams reported the end of its trial.</summary>
    private sealed record TrialFinished(Worker Worker, StudyTrial Trial, string Folder, int ExitCode, string Errors) : WorkerEvent;

    /// <param name="Unfinished">The trial it held when it died; null when it exited between trials.</param>
    private sealed record WorkerExited(int ExitCode, Assignment? Unfinished, string Errors) : WorkerEvent;

    private sealed record Assignment(StudyTrial Trial, string Folder);

    /// <summary>One worker process: the trial it runs, its relayed output, and the last lines of standard error for that trial.</summary>
    private sealed class Worker(Process process, StudyWorkers owner)
    {
        private readonly Queue<string> errors = new();
        private bool outputFinished, errorFinished;

        public Process Process { get; } = process;

        /// <summary>Written by the study's loop, read by the output handlers and the interrupt; guarded by the owner's gate.</summary>
        public Assignment? Current { get; private set; }

        public string Errors()
        {
            lock (owner.gate) return string.Join("\n", errors);
        }

        public void Assign(StudyTrial trial, string folder)
        {
            lock (owner.gate)
            {
                Current = new Assignment(trial, folder);
                errors.Clear();
                outputFinished = errorFinished = false;
            }
            Send(trial.Info.Index.ToString(CultureInfo.InvariantCulture));
        }

        public void Release() => Send(WorkerProtocol.Exit);

        private void Send(string command)
        {
            try
            {
                Process.StandardInput.WriteLine(command);
                Process.StandardInput.Flush();
            }
            catch (IOException)
            {
                // It has died: its exit is reported with the trial it held.
            }
        }

        public void OnLine(string? line, bool isError)
        {
            if (line is not { Length: > 0 }) return;
            lock (owner.gate)
            {
                if (WorkerProtocol.TryReadFinished(line, out int index, out int exitCode))
                {
                    if (Current is not { } assignment || assignment.Trial.Info.Index != index) return;
                    if (isError) errorFinished = true;
                    else outputFinished = true;
                    if (!outputFinished || !errorFinished) return;
                    Current = null;
                    owner.events.Add(new TrialFinished(this, assignment.Trial, assignment.Folder, exitCode, string.Join("\n", errors)));
                    return;
                }
                owner.relay.WriteLine(Current is { } current ? $"[{current.Trial.Info.Key}] {line}" : line);
                if (!isError) return;
                errors.Enqueue(line);
                if (errors.Count > 20) errors.Dequeue();
            }
        }
    }
}
