using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using LieGG.Runtime.Experiments;
using LieGG.Runtime.Orchestration;
using LieGG.Runtime.Reports;
using LieGG.Runtime.Results;
using LieGG.Runtime.Studies;
using Spectre.Console;
using static LieGG.Cli.LieGGCommandLine;

namespace LieGG.Cli;

/// <summary><c>study &lt;name&gt;</c> (one shard or all, resumable) and <c>study-merge &lt;name&gt;</c>.</summary>
internal static class StudyCommands
{
    public static Command Run(IReadOnlyList<StudyDescriptor> studies, IAnsiConsole console, IAnsiConsole errors)
    {
        var name = new Argument<string>("name") { Description = "Study name." };
        var common = new CommonOptions(quickDescription: $"Smoke-size trials, not results: {QuickRun.Description}.");
        var (output, quick, threads, dataDirectory) = (common.Output, common.Quick, common.Threads, common.DataDirectory);
        var shard = new Option<string?>("--shard") { Description = "Run every n-th trial starting at i (i/n, 0 ≤ i < n); 'auto' takes i and n from a Slurm job array, 'auto/N' i from a Kubernetes Indexed Job of N completions." };
        var jobs = new Option<int?>("--jobs") { Description = "Train N trials at a time in N worker processes, each taking the next pending trial when it finishes one (threads per worker: --threads, default cores / N)." };
        var trialIndex = new Option<string?>("--trial") { Description = "Run only the trial with this grid index (0-based), and do not merge; 'auto' takes it from a job array's task index." };
        var worker = new Option<bool>("--worker")
        {
            Description = $"Run the trials whose grid indices arrive on standard input, one per line, until '{WorkerProtocol.Exit}' (how study --jobs drives its worker processes).",
            Hidden = true,
        };
        var lease = new Option<string?>("--lease") { Description = "How long a trial's claim held on another host may go unrenewed before it is taken over (e.g. 90s, 10m, 1h; default 10m)." };
        var submit = SlurmSubmission.Options();
        var (prerotated, poolSplits, convention) = LieGGCommandLine.DataAndAnalysisOptions();
        var tensorBoard = LieGGCommandLine.TensorBoardOption("each finished trial, at the merge");
        var command = new Command("study", "Run a study's trials (skipping finished ones and ones another process is running), then merge what has finished into its report.")
        {
            name, shard, jobs, trialIndex, worker, prerotated, poolSplits, convention, lease, tensorBoard,
        };
        foreach (var option in common.All) command.Options.Add(option);
        foreach (var option in submit.All) command.Options.Add(option);
        command.SetAction(parse =>
        {
            if (Find(studies, parse.GetValue(name)!, errors) is not { } study) return UsageError;
            var problems = common.Problems(parse, out var overrides);
            var swept = SpecOverrides.Varying(study.Trials.Select(t => t.Spec).ToList());
            foreach (var entry in overrides.Where(o => swept.Contains(o.Target)))
                problems.Add($"--set {entry}: {entry.Target} varies between the trials of '{study.Name}' (a swept value or the replicates' seeds); a study cannot fix it — declare another study.");
            // Every trial checked before any runs (in this process, a worker or an array task).
            problems.AddRange(LieGGCommandLine.OverrideProblems(study.Trials.Select(t => t.Spec), overrides.Where(o => !swept.Contains(o.Target)).ToList()).Distinct());
            Shard? selected = null;
            if (parse.GetValue(shard) is { } text)
            {
                try
                {
                    selected = Shard.Parse(text, Environment.GetEnvironmentVariable);
                }
                catch (FormatException e)
                {
                    problems.Add(e.Message);
                }
            }
            int? trial = null;
            if (parse.GetValue(trialIndex) is { } trialText)
            {
                try
                {
                    trial = ParseTrial(trialText);
                }
                catch (FormatException e)
                {
                    problems.Add(e.Message);
                }
            }
            TimeSpan claimLease = StudyRunOptions.DefaultLease;
            if (parse.GetValue(lease) is { } leaseText && !TryParseDuration(leaseText, out claimLease))
                problems.Add($"--lease '{leaseText}' is not a duration such as 90s, 10m or 1h.");
            if (parse.GetValue(jobs) is < 1) problems.Add($"--jobs must be at least 1, not {parse.GetValue(jobs)}.");
            if (parse.GetValue(jobs) is > 1 && trial is not null) problems.Add("--trial runs one trial; it cannot be combined with --jobs.");
            if (trial is { } index && (index < 0 || index >= study.Trials.Count))
                problems.Add($"--trial {index} does not exist; '{study.Name}' has trials 0 … {study.Trials.Count - 1}.");
            problems.AddRange(LieGGCommandLine.DataOptionProblems(parse.GetValue(dataDirectory), parse.GetValue(prerotated), parse.GetValue(poolSplits)));
            var submission = submit.Read(parse, problems);
            if (submission is not null && (parse.GetValue(jobs) is not null || trial is not null))
                problems.Add("--submit hands the trials to the scheduler, one array task each; it cannot be combined with --jobs or --trial.");
            if (parse.GetValue(worker) && (trial is not null || selected is not null || parse.GetValue(jobs) is not null || submission is not null))
                problems.Add("--worker takes its trials from standard input; it cannot be combined with --trial, --shard, --jobs or --submit.");
            if (problems.Count > 0)
            {
                foreach (var each in problems) errors.MarkupLine($"[red]error:[/] {Markup.Escape(each)}");
                return UsageError;
            }
            if (parse.GetValue(dataDirectory) is { } given && study.Trials.All(t => !t.Spec.Dataset.ReadsDataDirectory()))
                errors.MarkupLine(LieGGCommandLine.UnusedDataDirectoryWarning(study.Name, given));
            int workers = parse.GetValue(jobs) ?? 1;
            int? threadsPerTrial = submission?.CpusPerTask ?? parse.GetValue(threads) ?? (workers > 1 ? Math.Max(1, Environment.ProcessorCount / workers) : null);
            var options = new StudyRunOptions
            {
                Output = parse.GetValue(output)!,
                Shard = selected,
                Trial = trial,
                Lease = claimLease,
                Run = new ExperimentRunOptions
                {
                    Quick = parse.GetValue(quick), Threads = threadsPerTrial, DataDirectory = parse.GetValue(dataDirectory), Overrides = overrides,
                    Prerotated = parse.GetValue(prerotated), PoolSplits = parse.GetValue(poolSplits), Convention = LieGGCommandLine.ParseConvention(parse.GetValue(convention)),
                },
            };
            var shared = SharedArguments(options, parse.GetValue(convention), parse.GetValue(lease));
            var events = parse.GetValue(tensorBoard);
            int MergeWithEvents(StudyDescriptor merged, string folder, IAnsiConsole output, IAnsiConsole problems) => MergeAndReport(merged, folder, output, problems, events);
            if (submission is not null) return submission.Submit(study, options, shared, console, errors, MergeWithEvents);
            if (parse.GetValue(worker)) return RunAsWorker(study, options, console, errors, MergeWithEvents);
            if (workers > 1) return RunInWorkers(study, options, workers, shared, console, errors, MergeWithEvents);
            return RunHere(study, options, console, errors, MergeWithEvents);
        });
        return command;
    }

    /// <summary>The trial index of <c>--trial</c>: a number, or <c>auto</c> (a job array's task index).</summary>
    private static int ParseTrial(string text)
    {
        if (text.StartsWith("auto", StringComparison.Ordinal))
        {
            int? count = text.Length > 4 && text[4] == '/' && int.TryParse(text[5..], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : null;
            if (text != "auto" && count is null) throw new FormatException($"--trial '{text}' is not auto or auto/N (N the number of tasks, for a Kubernetes Indexed Job).");
            try
            {
                return count is null ? ArrayTask.IndexFromEnvironment(Environment.GetEnvironmentVariable) : ArrayTask.FromEnvironment(Environment.GetEnvironmentVariable, count).Index;
            }
            catch (FormatException e)
            {
                throw new FormatException($"--trial {text}: {e.Message}", e);
            }
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            ? index
            : throw new FormatException($"--trial '{text}' is not a trial index (0, 1, …) or auto.");
    }

    /// <summary>"90s", "10m", "1h", "2h30m" or a number of seconds.</summary>
    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = System.Text.RegularExpressions.Regex.Match(text.Trim(), @"^(?:(?<h>\d+)h)?(?:(?<m>\d+)m)?(?:(?<s>\d+)s?)?$");
        if (!match.Success || text.Trim().Length == 0) return false;
        int Part(string group) => match.Groups[group].Success ? int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
        duration = new TimeSpan(Part("h"), Part("m"), Part("s"));
        return duration > TimeSpan.Zero;
    }

    /// <summary>The options every trial process of this study is started with (workers, array tasks): the same run, one trial each.</summary>
    private static List<string> SharedArguments(StudyRunOptions options, string? convention, string? lease)
    {
        var run = options.Run;
        var shared = new List<string> { "--out", Path.GetFullPath(options.Output), "--threads", (run.Threads ?? 1).ToString(CultureInfo.InvariantCulture) };
        if (run.Quick) shared.Add("--quick");
        if (run.DataDirectory is { } directory) shared.AddRange(["--data-dir", Path.GetFullPath(directory)]);
        if (run.Prerotated) shared.Add("--prerotated");
        if (run.PoolSplits) shared.Add("--pool-splits");
        if (convention is not null) shared.AddRange(["--convention", convention]);
        if (lease is not null) shared.AddRange(["--lease", lease]);
        shared.AddRange(CommonOptions.Arguments(run.Overrides));
        return shared;
    }

    /// <summary>The selected trials one after another in this process; SIGTERM or Ctrl-C stops the trial in training, removes its unfinished files and releases its claim.</summary>
    private static int RunHere(StudyDescriptor study, StudyRunOptions options, IAnsiConsole console, IAnsiConsole errors, Func<StudyDescriptor, string, IAnsiConsole, IAnsiConsole, int> merge)
    {
        var writer = console.Profile.Out.Writer;
        using var cancellation = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            cancellation.Cancel();
        }
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        StudyRunSummary summary;
        try
        {
            summary = StudyRunner.Run(study.Trials, options, new Progress(writer), cancellation.Token);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            errors.MarkupLine($"[yellow]{Markup.Escape(study.Name)} interrupted:[/] finished trials are kept; the one in training was removed and its claim released. Run the same command again to resume.");
            return Interrupted;
        }
        catch (Exception e) when (e is StaleTrialException or ExperimentSetupException)
        {
            errors.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return UsageError;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            errors.MarkupLine($"[red]{Markup.Escape(study.Name)} failed:[/] {Markup.Escape(e.Message)}");
            return RunFailed;
        }
        var selected = options.Shard;
        if (summary.Selected == 0)
        {
            // A scheduler's array may be larger than the study: the spare shards have nothing to do, which is fine.
            writer.WriteLine($"{study.Name}: no trials in shard {selected!.Index}/{selected.Count} (the study has {study.Trials.Count}); nothing to run.");
            return Success;
        }
        foreach (var (trial, reason) in summary.TookOver) writer.WriteLine($"{trial.Key}: taken over — {reason}.");
        foreach (var (trial, heldBy) in summary.HeldElsewhere)
            writer.WriteLine($"{trial.Key} ({trial.Label}): held by another process ({heldBy}); {(options.Trial is null ? "waited for it" : "left to it")}.");
        writer.WriteLine($"{study.Name}: {summary.Ran} trials run, {summary.Skipped} already finished" +
            (options.Trial is not null && summary.HeldElsewhere.Count > 0 ? $", {summary.HeldElsewhere.Count} running elsewhere" : "") +
            (summary.Failed.Count > 0 ? $", {summary.Failed.Count} failed" : "") +
            $"{(selected is null ? "" : $" (shard {selected.Index}/{selected.Count})")}.");
        foreach (var (trial, reason) in summary.Failed)
            errors.MarkupLine($"[red]{Markup.Escape(trial.Key)} ({Markup.Escape(trial.Label)}) failed:[/] {Markup.Escape(reason)} (its log: {Markup.Escape(Path.Combine(StudyRunner.TrialFolder(options.Output, trial), TrialLog.FileName))})");
        if (options.Trial is not null)
        {
            if (summary.Failed.Count > 0)
            {
                // The exit code belongs in the record too: study-status shows it for a trial an array task ran.
                var folder = StudyRunner.TrialFolder(options.Output, study.Trials[options.Trial.Value].Info);
                if (TrialFailure.TryLoad(folder) is { } failure) failure.WithExitCode(RunFailed).WriteInto(folder);
                return RunFailed;
            }
            return Success;
        }
        int merged = merge(study, options.Output, console, errors);
        return summary.Failed.Count > 0 ? RunFailed : merged;
    }

    /// <summary>
    /// <c>study NAME --worker</c>: each trial the study hands over (<see cref="WorkerProtocol"/>) run as <c>--trial K</c>
    /// runs it, one after another in this process, so a study of many short trials starts libtorch and compiles its code
    /// once per worker rather than once per trial. Ends after <see cref="WorkerProtocol.Exit"/>, or after a trial was
    /// interrupted by a signal.
    /// </summary>
    private static int RunAsWorker(StudyDescriptor study, StudyRunOptions options, IAnsiConsole console, IAnsiConsole errors, Func<StudyDescriptor, string, IAnsiConsole, IAnsiConsole, int> merge)
    {
        while (ParentWatch.ReadCommand() is { } line)
        {
            int? index;
            try
            {
                index = WorkerProtocol.ParseCommand(line);
            }
            catch (FormatException e)
            {
                errors.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
                return UsageError;
            }
            if (index is not { } trial) return Success;
            FinalizeEarlierTrials();
            int exitCode = trial >= 0 && trial < study.Trials.Count
                ? RunHere(study, options with { Trial = trial }, console, errors, merge)
                : Refuse($"trial {trial} does not exist; '{study.Name}' has trials 0 … {study.Trials.Count - 1}.");
            string finished = WorkerProtocol.Finished(trial, exitCode);
            console.Profile.Out.Writer.WriteLine(finished);
            console.Profile.Out.Writer.Flush();
            errors.Profile.Out.Writer.WriteLine(finished);
            errors.Profile.Out.Writer.Flush();
            if (exitCode == Interrupted) return Interrupted;
        }
        return Success;

        int Refuse(string message)
        {
            errors.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
            return UsageError;
        }
    }

    /// <summary>
    /// Finalizes what the earlier trials left unreachable before the next trial makes a native call. TorchSharp frees
    /// a scalar from its finalizer and passes a scalar's bare handle to libtorch without keeping the object alive, so a
    /// collection another thread triggers during an operation can free the scalar while libtorch reads it. A worker
    /// fresh from a trial has that trial's TorchSharp objects to finalize; doing it here, while this thread makes no
    /// native call, keeps that work and the collections it triggers out of the next trial's first operations.
    /// </summary>
    private static void FinalizeEarlierTrials()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>The trials to hand to workers or a scheduler; null, with the reason written, when finished trials do not match this run.</summary>
    internal static IReadOnlyList<StudyTrial>? PendingOrExplain(StudyDescriptor study, StudyRunOptions options, IAnsiConsole errors)
    {
        try
        {
            return StudyRunner.Pending(study.Trials, options);
        }
        catch (Exception e) when (e is StaleTrialException or ExperimentSetupException)
        {
            errors.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return null;
        }
    }

    /// <summary>
    /// <c>study --jobs N</c>: the pending trials in N worker processes, then — as a sequential study does — waits for
    /// trials another process holds, starting workers for any it gives up, then the merge.
    /// </summary>
    private static int RunInWorkers(StudyDescriptor study, StudyRunOptions options, int workers, IReadOnlyList<string> shared, IAnsiConsole console, IAnsiConsole errors,
        Func<StudyDescriptor, string, IAnsiConsole, IAnsiConsole, int> merge)
    {
        var writer = console.Profile.Out.Writer;
        if (PendingOrExplain(study, options, errors) is not { } pending) return UsageError;
        var run = options.Run;
        var selected = study.Trials.Where(t => options.Shard?.Includes(t.Info.Index) ?? true).ToList();
        writer.WriteLine($"{study.Name}: {pending.Count} trial(s) to run in {Math.Min(workers, Math.Max(pending.Count, 1))} worker process(es) of {run.Threads} thread(s) each.");
        int ran = 0;
        var failed = new List<(TrialInfo Trial, int ExitCode, string Errors)>();
        int alreadyFinished = selected.Count(t => StudyRunner.TryLoadFinished(StudyRunner.TrialFolder(options.Output, t.Info)) is not null);
        while (true)
        {
            var toStart = pending.Where(t => !failed.Any(f => f.Trial.Index == t.Info.Index)).ToList();
            if (toStart.Count > 0)
            {
                var outcome = new StudyWorkers(study.Name, shared, writer).Run(toStart, workers, options.Output);
                ran += outcome.Ran;
                failed.AddRange(outcome.Failed);
                if (outcome.Interrupted)
                {
                    errors.MarkupLine($"[yellow]{Markup.Escape(study.Name)} interrupted:[/] {ran} trial(s) finished in this run and are kept; unfinished trials were removed. Run the same command again to resume.");
                    return Interrupted;
                }
            }
            else if (!TrialState.Read(selected, options.Output, logLines: 0).Any(s => s.Stage == TrialStage.Running))
            {
                // No live holder now, but one may have exited after the pending list was read: its trial is pending again, not done.
                if (PendingOrExplain(study, options, errors) is not { } last) return UsageError;
                if (!last.Any(t => !failed.Any(f => f.Trial.Index == t.Info.Index))) break;
                pending = last;
                continue;
            }
            else
            {
                // Another live process holds trials of this selection: wait for it, then take over what it leaves.
                Thread.Sleep(StudyRunner.WaitPoll);
            }
            if (PendingOrExplain(study, options, errors) is not { } next) return UsageError;
            pending = next;
        }
        writer.WriteLine($"{study.Name}: {ran} trials run, {alreadyFinished} already finished.");
        if (failed.Count > 0)
        {
            foreach (var (trial, exitCode, lastErrors) in failed)
                errors.MarkupLine($"[red]{Markup.Escape(trial.Key)} ({Markup.Escape(trial.Label)}) failed[/] (exit {exitCode}): {Markup.Escape(lastErrors)}");
            // Bad input fails every worker the same way: nothing to merge. A trial that failed on its own leaves the rest to merge.
            if (failed.Any(f => f.ExitCode == UsageError)) return UsageError;
            merge(study, options.Output, console, errors);
            return RunFailed;
        }
        return merge(study, options.Output, console, errors);
    }

    public static Command Merge(IReadOnlyList<StudyDescriptor> studies, IAnsiConsole console, IAnsiConsole errors)
    {
        var name = new Argument<string>("name") { Description = "Study name." };
        var output = new Option<string>("--out") { Description = "Folder the shards wrote to.", DefaultValueFactory = _ => "results" };
        var tensorBoard = LieGGCommandLine.TensorBoardOption("each finished trial");
        var command = new Command("study-merge", "Rebuild a study's result and report from the finished trials of all its shards.") { name, output, tensorBoard };
        command.SetAction(parse => Find(studies, parse.GetValue(name)!, errors) is { } study ? MergeAndReport(study, parse.GetValue(output)!, console, errors, parse.GetValue(tensorBoard)) : UsageError);
        return command;
    }

    /// <param name="tensorBoard">Where to write every finished trial's TensorBoard events too; null for none.</param>
    private static int MergeAndReport(StudyDescriptor study, string output, IAnsiConsole console, IAnsiConsole errors, string? tensorBoard = null)
    {
        var folder = StudyRunner.StudyFolder(output, study.Name);
        try
        {
            var records = StudyRunner.LoadTrials(folder);
            if (records.Count == 0)
            {
                errors.MarkupLine($"[red]error:[/] {Markup.Escape(folder)} holds no finished trial of '{Markup.Escape(study.Name)}'; run the study (or its shards) first.");
                return UsageError;
            }
            var finished = records.Select(r => r.Trial!.Index).ToHashSet();
            var missing = TrialState.Read(study.Trials.Where(t => !finished.Contains(t.Info.Index)).ToList(), output, logLines: 0)
                .Select(state => new MissingTrial(state.Trial.Index, state.Trial.Label, $"{state.Stage.ToString().ToLowerInvariant()}: {state.Detail}"))
                .ToList();
            var result = StudyResult.FromRecords(study.Name, study.Trials.Count, records, study.Correlations, study.Reference) with { Missing = missing };
            StudyWriter.Write(result, folder, study.Plots, trials: records);
            var writer = console.Profile.Out.Writer;
            writer.WriteLine($"{study.Name}: {result.Rows.Count} of {result.ExpectedTrials} trials in {Path.Combine(folder, RunFiles.StudyMarkdown)}");
            if (tensorBoard is not null)
            {
                foreach (var record in records) TensorBoardLog.Write(record, tensorBoard);
                writer.WriteLine($"{study.Name}: TensorBoard events of {records.Count} trials in {Path.Combine(tensorBoard, study.Name)} (tensorboard --logdir {tensorBoard})");
            }
            if (missing.Count > 0)
                writer.WriteLine($"{study.Name}: missing {string.Join(", ", missing.Select(m => $"trial {m.Index} ({m.State.Split(':')[0]})"))}; 'study-status {study.Name}' says more.");
            return Success;
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            errors.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return UsageError;
        }
    }

    /// <summary><c>study-status &lt;name&gt;</c>: every trial's state, from the files alone.</summary>
    public static Command Status(IReadOnlyList<StudyDescriptor> studies, IAnsiConsole console, IAnsiConsole errors)
    {
        var name = new Argument<string>("name") { Description = "Study name." };
        var output = new Option<string>("--out") { Description = "Folder the study writes to.", DefaultValueFactory = _ => "results" };
        var lines = new Option<int>("--log-lines") { Description = "Lines of a failed or stopped trial's log to show.", DefaultValueFactory = _ => 5 };
        var command = new Command("study-status", "Show every trial of a study: finished, running (where), failed (why, with its log), stopped unfinished, or pending.") { name, output, lines };
        command.SetAction(parse =>
        {
            if (Find(studies, parse.GetValue(name)!, errors) is not { } study) return UsageError;
            var states = TrialState.Read(study.Trials, parse.GetValue(output)!, logLines: Math.Max(0, parse.GetValue(lines)));
            var writer = console.Profile.Out.Writer;
            writer.WriteLine($"{study.Name} in {StudyRunner.StudyFolder(parse.GetValue(output)!, study.Name)}: " +
                string.Join(", ", Enum.GetValues<TrialStage>().Select(stage => (stage, count: states.Count(s => s.Stage == stage))).Where(c => c.count > 0)
                    .Select(c => $"{c.count} {c.stage.ToString().ToLowerInvariant()}")) + $" of {states.Count} trials");
            foreach (var state in states)
            {
                writer.WriteLine($"{state.Trial.Key}  {state.Stage.ToString().ToLowerInvariant(),-9}  {state.Trial.Label}  {state.Detail}");
                if (state.Stage is TrialStage.Failed or TrialStage.Abandoned)
                    foreach (var line in state.LogTail) writer.WriteLine($"    | {line}");
            }
            return Success;
        });
        return command;
    }

    private static StudyDescriptor? Find(IReadOnlyList<StudyDescriptor> studies, string name, IAnsiConsole errors)
    {
        var match = studies.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
        if (match is not null) return match;
        var suggestions = NameMatcher.Suggest(name, studies.Select(s => s.Name));
        errors.MarkupLine($"[red]error:[/] no study named '{Markup.Escape(name)}'." +
            (suggestions.Count > 0 ? $" Did you mean {string.Join(", ", suggestions.Select(s => $"'{Markup.Escape(s)}'"))}?" : " Run 'list' to see them."));
        return null;
    }

    /// <summary>
    /// Plain progress lines: trial k / total with its parameters, its epochs, and an ETA for the whole study from
    /// the mean time of the trials this invocation has finished, times the trials it still has to train.
    /// </summary>
    private sealed class Progress(TextWriter writer) : IProgress<StudyProgress>
    {
        private readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
        private TimeSpan trainingTime;
        private int finished;

        public void Report(StudyProgress value)
        {
            string trial = $"trial {value.Trial}/{value.Trials} ({value.Info.Label})";
            if (value.Skipped)
            {
                writer.WriteLine(value.HeldBy is { } holder ? $"{trial}: held by another process ({holder})" : $"{trial}: finished before, skipped");
                clock.Restart();
            }
            else if (value.Run is { Epoch: { } epoch })
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{trial}: epoch {epoch.Epoch}/{epoch.Epochs} loss {epoch.TrainLoss:G4}{StudyEta(value)}"));
            }
            else if (value.Run is { Stage: RunStage.Done })
            {
                trainingTime += clock.Elapsed;
                clock.Restart();
                finished++;
                writer.WriteLine($"{trial}: done{StudyEta(value)}");
            }
        }

        private string StudyEta(StudyProgress value)
        {
            if (finished == 0) return "";
            bool current = value.Run?.Stage != RunStage.Done;
            var remaining = trainingTime / finished * (value.LaterTrialsToRun + (current ? 1 : 0)) - (current ? clock.Elapsed : TimeSpan.Zero);
            return string.Create(CultureInfo.InvariantCulture, $"  (study ETA {(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero):hh\\:mm\\:ss})");
        }
    }
}
