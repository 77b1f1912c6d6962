using System.CommandLine;
using System.Globalization;
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
        var output = new Option<string>("--out") { Description = "Folder for the results.", DefaultValueFactory = _ => "results" };
        var quick = new Option<bool>("--quick") { Description = $"Smoke-size trials, not results: {QuickRun.Description}." };
        var shard = new Option<string?>("--shard") { Description = "Run every n-th trial starting at i (i/n, 0 ≤ i < n), e.g. one shard per Slurm array task." };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for TorchSharp." };
        var dataDirectory = new Option<string?>("--data-dir") { Description = "MNIST IDX files to use instead of the embedded digits." };
        var jobs = new Option<int?>("--jobs") { Description = "Train N trials at a time, each in its own worker process (threads per worker: --threads, default cores / N)." };
        var trialIndex = new Option<int?>("--trial") { Description = "Run only the trial with this grid index (0-based), and do not merge." };
        var (prerotated, poolSplits, convention) = LieGGCommandLine.DataAndAnalysisOptions();
        var command = new Command("study", "Run a study's trials (skipping finished ones), then merge what has finished into its report.")
        {
            name, output, quick, shard, jobs, trialIndex, threads, dataDirectory, prerotated, poolSplits, convention,
        };
        command.SetAction(parse =>
        {
            if (Find(studies, parse.GetValue(name)!, errors) is not { } study) return UsageError;
            Shard? selected = null;
            if (parse.GetValue(shard) is { } text)
            {
                try
                {
                    selected = Shard.Parse(text);
                }
                catch (FormatException e)
                {
                    errors.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
                    return UsageError;
                }
            }
            if (parse.GetValue(threads) is <= 0)
            {
                errors.MarkupLine("[red]error:[/] --threads must be at least 1.");
                return UsageError;
            }
            var problems = new List<string>();
            if (parse.GetValue(jobs) is < 1) problems.Add($"--jobs must be at least 1, not {parse.GetValue(jobs)}.");
            if (parse.GetValue(jobs) is > 1 && parse.GetValue(trialIndex) is not null) problems.Add("--trial runs one trial; it cannot be combined with --jobs.");
            if (parse.GetValue(trialIndex) is { } index && (index < 0 || index >= study.Trials.Count))
                problems.Add($"--trial {index} does not exist; '{study.Name}' has trials 0 … {study.Trials.Count - 1}.");
            if (LieGGCommandLine.DataDirectoryProblem(parse.GetValue(dataDirectory)) is { } problem) problems.Add(problem);
            problems.AddRange(LieGGCommandLine.DataOptionProblems(parse.GetValue(dataDirectory), parse.GetValue(prerotated), parse.GetValue(poolSplits)));
            if (problems.Count > 0)
            {
                foreach (var each in problems) errors.MarkupLine($"[red]error:[/] {Markup.Escape(each)}");
                return UsageError;
            }
            if (parse.GetValue(dataDirectory) is { } given && study.Trials.All(t => !t.Spec.Dataset.ReadsDataDirectory()))
                errors.MarkupLine(LieGGCommandLine.UnusedDataDirectoryWarning(study.Name, given));
            int workers = parse.GetValue(jobs) ?? 1;
            int? threadsPerTrial = parse.GetValue(threads) ?? (workers > 1 ? Math.Max(1, Environment.ProcessorCount / workers) : null);
            var options = new StudyRunOptions
            {
                Output = parse.GetValue(output)!,
                Shard = selected,
                Trial = parse.GetValue(trialIndex),
                Run = new ExperimentRunOptions
                {
                    Quick = parse.GetValue(quick), Threads = threadsPerTrial, DataDirectory = parse.GetValue(dataDirectory),
                    Prerotated = parse.GetValue(prerotated), PoolSplits = parse.GetValue(poolSplits), Convention = LieGGCommandLine.ParseConvention(parse.GetValue(convention)),
                },
            };
            var writer = console.Profile.Out.Writer;
            if (workers > 1) return RunInWorkers(study, options, workers, parse.GetValue(convention), console, errors);
            try
            {
                var summary = StudyRunner.Run(study.Trials, options, new Progress(writer));
                if (summary.Selected == 0)
                {
                    // A scheduler's array may be larger than the study: the spare shards have nothing to do, which is fine.
                    writer.WriteLine($"{study.Name}: no trials in shard {selected!.Index}/{selected.Count} (the study has {study.Trials.Count}); nothing to run.");
                    return Success;
                }
                writer.WriteLine($"{study.Name}: {summary.Ran} trials run, {summary.Skipped} already finished{(selected is null ? "" : $" (shard {selected.Index}/{selected.Count})")}.");
                if (options.Trial is not null) return Success;
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
            return MergeAndReport(study, options.Output, console, errors);
        });
        return command;
    }

    /// <summary><c>study --jobs N</c>: the pending trials in N worker processes, then the merge.</summary>
    private static int RunInWorkers(StudyDescriptor study, StudyRunOptions options, int workers, string? convention, IAnsiConsole console, IAnsiConsole errors)
    {
        var writer = console.Profile.Out.Writer;
        IReadOnlyList<StudyTrial> pending;
        try
        {
            pending = StudyRunner.Pending(study.Trials, options);
        }
        catch (Exception e) when (e is StaleTrialException or ExperimentSetupException)
        {
            errors.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return UsageError;
        }
        var run = options.Run;
        var shared = new List<string> { "--out", options.Output, "--threads", (run.Threads ?? 1).ToString(CultureInfo.InvariantCulture) };
        if (run.Quick) shared.Add("--quick");
        if (run.DataDirectory is { } directory) shared.AddRange(["--data-dir", Path.GetFullPath(directory)]);
        if (run.Prerotated) shared.Add("--prerotated");
        if (run.PoolSplits) shared.Add("--pool-splits");
        if (convention is not null) shared.AddRange(["--convention", convention]);
        writer.WriteLine($"{study.Name}: {pending.Count} trial(s) to run in {Math.Min(workers, Math.Max(pending.Count, 1))} worker process(es) of {run.Threads} thread(s) each.");
        var outcome = new StudyWorkers(study.Name, shared, writer).Run(pending, workers, options.Output);
        if (outcome.Interrupted)
        {
            errors.MarkupLine($"[yellow]{Markup.Escape(study.Name)} interrupted:[/] {outcome.Ran} trial(s) finished in this run and are kept; unfinished trials were removed. Run the same command again to resume.");
            return Interrupted;
        }
        writer.WriteLine($"{study.Name}: {outcome.Ran} trials run, {study.Trials.Count(t => options.Shard?.Includes(t.Info.Index) ?? true) - pending.Count} already finished.");
        if (outcome.Failed.Count > 0)
        {
            foreach (var (trial, exitCode, lastErrors) in outcome.Failed)
                errors.MarkupLine($"[red]{Markup.Escape(trial.Key)} ({Markup.Escape(trial.Label)}) failed[/] (exit {exitCode}): {Markup.Escape(lastErrors)}");
            return outcome.Failed.Any(f => f.ExitCode == UsageError) ? UsageError : RunFailed;
        }
        return MergeAndReport(study, options.Output, console, errors);
    }

    public static Command Merge(IReadOnlyList<StudyDescriptor> studies, IAnsiConsole console, IAnsiConsole errors)
    {
        var name = new Argument<string>("name") { Description = "Study name." };
        var output = new Option<string>("--out") { Description = "Folder the shards wrote to.", DefaultValueFactory = _ => "results" };
        var command = new Command("study-merge", "Rebuild a study's result and report from the finished trials of all its shards.") { name, output };
        command.SetAction(parse => Find(studies, parse.GetValue(name)!, errors) is { } study ? MergeAndReport(study, parse.GetValue(output)!, console, errors) : UsageError);
        return command;
    }

    private static int MergeAndReport(StudyDescriptor study, string output, IAnsiConsole console, IAnsiConsole errors)
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
            var result = StudyResult.FromRecords(study.Name, study.Trials.Count, records, study.Correlations, study.Reference);
            StudyWriter.Write(result, folder, study.Plots, trials: records);
            console.Profile.Out.Writer.WriteLine($"{study.Name}: {result.Rows.Count} of {result.ExpectedTrials} trials in {Path.Combine(folder, "study.md")}");
            return Success;
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            errors.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return UsageError;
        }
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
                writer.WriteLine($"{trial}: finished before, skipped");
                clock.Restart();
            }
            else if (value.Run is { Epoch: { } epoch })
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{trial}: epoch {epoch.Epoch}/{epoch.Epochs} loss {epoch.TrainLoss:G4}{StudyEta(value)}"));
            }
            else if (value.Run is { Stage: "done" })
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
            bool current = value.Run?.Stage != "done";
            var remaining = trainingTime / finished * (value.LaterTrialsToRun + (current ? 1 : 0)) - (current ? clock.Elapsed : TimeSpan.Zero);
            return string.Create(CultureInfo.InvariantCulture, $"  (study ETA {(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero):hh\\:mm\\:ss})");
        }
    }
}
