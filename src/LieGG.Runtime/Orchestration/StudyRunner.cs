using LieGG.Runtime.Experiments;
using LieGG.Runtime.Results;
using LieGG.Runtime.Studies;

namespace LieGG.Runtime.Orchestration;

/// <summary>
/// Runs a study's trials, each into <c>&lt;output&gt;/&lt;study&gt;/trials/trial-NNNN/</c>. A trial whose folder holds a
/// loadable result.json is complete and skipped (result.json is written last, so an interrupted trial never
/// looks complete); merging reads every trial folder back, however many shards wrote them. Each trial is claimed
/// (<see cref="TrialClaim"/>) before it trains, so any number of study processes sharing the output folder — shards,
/// overlapping submissions, array tasks with the same index — train each trial once. A trial that fails is recorded
/// (<see cref="TrialFailure"/>) and the study goes on with the others.
/// </summary>
public static class StudyRunner
{
    public static string StudyFolder(string output, string study) => Path.Combine(output, study);

    public static string TrialFolder(string output, TrialInfo trial) => Path.Combine(StudyFolder(output, trial.Study), "trials", trial.Key);

    /// <summary>How often a study waiting for trials other processes hold looks at them again.</summary>
    public static TimeSpan WaitPoll { get; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Runs the selected trials. A trial another live process holds is left to it; a whole study or shard then waits
    /// for such trials once its own are done — until their holder finishes them, or gives them up (it exits, its job
    /// ends, its lease runs out) and this process takes them over — so the command that returns has finished the work.
    /// A single trial (<see cref="StudyRunOptions.Trial"/>: an array task, a worker) does not wait.
    /// </summary>
    /// <param name="liveness">How claims are judged stale; by default this host's processes, the local Slurm and the lease.</param>
    public static StudyRunSummary Run(IReadOnlyList<StudyTrial> trials, StudyRunOptions options, IProgress<StudyProgress>? progress = null, CancellationToken cancellationToken = default, ClaimLiveness? liveness = null)
    {
        var (selected, folders, finished) = Select(trials, options);
        int ran = 0, skipped = 0, toRun = finished.Count(r => r is null);
        var failed = new List<(TrialInfo, string)>();
        var elsewhere = new List<(TrialInfo, string)>();
        var tookOver = new List<(TrialInfo, string)>();
        var held = new List<int>();
        var reported = new HashSet<int>();

        // Claims and runs trial i unless it is finished or held; false when another process holds it.
        bool Attempt(int i)
        {
            var trial = selected[i];
            if (TryLoadFinished(folders[i]) is not null)
            {
                skipped++;
                progress?.Report(new StudyProgress(i + 1, selected.Count, trial.Info, Skipped: true, null, toRun - ran));
                return true;
            }
            var attempt = TrialClaim.TryClaim(folders[i], options.Lease, liveness);
            if (attempt.Claim is not { } claim)
            {
                if (reported.Add(i))
                {
                    elsewhere.Add((trial.Info, attempt.HeldBy!));
                    progress?.Report(new StudyProgress(i + 1, selected.Count, trial.Info, Skipped: true, null, toRun - ran) { HeldBy = attempt.HeldBy });
                }
                return false;
            }
            using (claim)
            {
                // Finished by another process between the check above and this claim (its claim was released since).
                if (TryLoadFinished(folders[i]) is not null)
                {
                    skipped++;
                    progress?.Report(new StudyProgress(i + 1, selected.Count, trial.Info, Skipped: true, null, toRun - ran));
                    return true;
                }
                if (claim.TookOver is { } reason) tookOver.Add((trial.Info, reason));
                switch (RunClaimed(trial, folders[i], claim, options, progress is null ? null : new TrialProgress(progress, i + 1, selected.Count, trial.Info, toRun - ran - 1), cancellationToken))
                {
                    case null: ran++; break;
                    case { } failure: failed.Add((trial.Info, failure)); break;
                }
            }
            return true;
        }

        for (int i = 0; i < selected.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (finished[i] is not null)
            {
                skipped++;
                progress?.Report(new StudyProgress(i + 1, selected.Count, selected[i].Info, Skipped: true, null, toRun - ran));
                continue;
            }
            if (!Attempt(i)) held.Add(i);
        }
        while (options.Trial is null && held.Count > 0)
        {
            cancellationToken.WaitHandle.WaitOne(WaitPoll);
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var i in held.ToList())
                if (Attempt(i)) held.Remove(i);
        }
        return new StudyRunSummary(selected.Count, ran, skipped, StudyFolder(options.Output, trials[0].Info.Study))
        {
            Failed = failed, HeldElsewhere = elsewhere, TookOver = tookOver,
        };
    }

    /// <summary>Trains a claimed trial into its folder. Null when it finished; else why it did not (the study goes on).</summary>
    private static string? RunClaimed(StudyTrial trial, string folder, TrialClaim claim, StudyRunOptions options, TrialProgress? progress, CancellationToken cancellationToken)
    {
        ClearEarlierAttempt(folder);
        var log = new TrialLog(folder, claim.Owner.Describe());
        log.Write(claim.TookOver is { } reason ? $"took the trial over: {reason}" : $"claimed {trial.Info.Label}");
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, claim.Lost);
        var started = DateTimeOffset.UtcNow;
        try
        {
            TrialFaults.AtStart(trial.Info, stopping.Token);
            var spec = options.Run.ApplyTo(trial.Spec);
            var logged = new LoggedProgress(log, progress);
            var result = ExperimentRunner.Run(spec, options.Run with { Seed = trial.Info.Seed, WeightsFile = Path.Combine(folder, TrainedNetwork.FileName) }, logged, stopping.Token);
            var record = RunRecord.Create(spec, result, started) with { Trial = trial.Info, RunId = trial.Info.Key, TookOver = claim.TookOver };
            // The last check before the result makes the trial complete: a holder whose claim was taken over writes nothing.
            if (!claim.IsHeld()) throw new OperationCanceledException(claim.Lost);
            ReportWriter.WriteInto(record, folder);
            File.Delete(Path.Combine(folder, TrialFailure.FileName));
            log.Write("finished");
            return null;
        }
        catch (OperationCanceledException) when (claim.Lost.IsCancellationRequested || !claim.IsHeld())
        {
            // Another process holds the trial now: its folder is that process's to write.
            log.Write("lost the claim to another process; stopped without a result");
            return "its claim was taken over by another process while it trained";
        }
        catch (OperationCanceledException)
        {
            log.Write("interrupted; its unfinished files were removed");
            ClearEarlierAttempt(folder);
            throw;
        }
        catch (ExperimentSetupException)
        {
            // Bad input fails every trial the same way, before training: the whole study stops with its message.
            ClearEarlierAttempt(folder);
            throw;
        }
        catch (IOException e)
        {
            // A full disk or a folder that cannot be written fails every later trial too: the study stops, naming the file.
            log.Write($"stopped: {e.Message}");
            throw;
        }
        catch (Exception e)
        {
            log.Write($"failed: {e.GetType().Name}: {e.Message}");
            TrialFailure.Of(e, claim.Owner).WriteInto(folder);
            return e.Message;
        }
    }

    /// <summary>Removes what an unfinished earlier attempt left in a trial folder; its claim, log and failure record stay.</summary>
    private static void ClearEarlierAttempt(string folder)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder))
        {
            var name = Path.GetFileName(entry);
            if (name is TrialClaim.FileName or TrialLog.FileName or TrialFailure.FileName) continue;
            if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
            else File.Delete(entry);
        }
    }

    /// <summary>
    /// The trials this invocation would train (its shard or single trial, minus finished ones), after the same stale-trial
    /// check as <see cref="Run"/>: what a parallel runner hands to its workers.
    /// </summary>
    public static IReadOnlyList<StudyTrial> Pending(IReadOnlyList<StudyTrial> trials, StudyRunOptions options)
    {
        var (selected, folders, finished) = Select(trials, options);
        var liveness = ClaimLiveness.Default;
        return selected.Where((t, i) => finished[i] is null && TrialState.Of(t.Info, folders[i], liveness, logLines: 0).Stage != TrialStage.Running).ToList();
    }

    private static (List<StudyTrial> Selected, List<string> Folders, List<RunRecord?> Finished) Select(IReadOnlyList<StudyTrial> trials, StudyRunOptions options)
    {
        if (trials.Count == 0) throw new ArgumentException("The study has no trials.", nameof(trials));
        if (options.Trial is { } only && (only < 0 || only >= trials.Count))
            throw new ArgumentOutOfRangeException(nameof(options), only, $"Trial {only} does not exist; the study has trials 0 … {trials.Count - 1}.");
        var selected = trials.Where(t => (options.Shard?.Includes(t.Info.Index) ?? true) && (options.Trial is not { } one || t.Info.Index == one)).ToList();
        var folders = selected.Select(t => TrialFolder(options.Output, t.Info)).ToList();
        var finished = folders.Select(TryLoadFinished).ToList();
        RequireNoStaleTrials(selected, folders, finished, options);
        return (selected, folders, finished);
    }

    /// <summary>The finished trials of a study folder, in grid order.</summary>
    public static IReadOnlyList<RunRecord> LoadTrials(string studyFolder)
    {
        var trialsFolder = Path.Combine(studyFolder, "trials");
        if (!Directory.Exists(trialsFolder)) throw new DirectoryNotFoundException($"{studyFolder}: no trials folder; run the study (or its shards) first.");
        return Directory.GetDirectories(trialsFolder)
            .Select(TryLoadFinished)
            .OfType<RunRecord>()
            .OrderBy(record => record.Trial!.Index)
            .ToList();
    }

    /// <summary>
    /// A finished trial is reused only when it is this trial run this way; otherwise (a --quick result before a full
    /// run, a changed declaration, other data) the study stops before training anything, so no result is silently
    /// mixed into the study or overwritten.
    /// </summary>
    private static void RequireNoStaleTrials(IReadOnlyList<StudyTrial> trials, IReadOnlyList<string> folders, IReadOnlyList<RunRecord?> finished, StudyRunOptions options)
    {
        var stale = trials
            .Select((trial, i) => (Trial: trial, Folder: folders[i], Reason: finished[i] is { } record ? Mismatch(trial, record, options.Run) : null))
            .Where(t => t.Reason is not null)
            .ToList();
        if (stale.Count == 0) return;
        var listed = stale.Take(3).Select(t => $"  {t.Folder} ({t.Trial.Info.Label}): {t.Reason}");
        throw new StaleTrialException(
            $"{stale.Count} finished trial(s) of study '{stale[0].Trial.Info.Study}' in {StudyFolder(options.Output, stale[0].Trial.Info.Study)} do not match this run:\n" +
            string.Join("\n", listed) + (stale.Count > 3 ? $"\n  … and {stale.Count - 3} more" : "") +
            "\nRun into another --out folder, or delete those trial folders to run them again.");
    }

    /// <summary>Why a finished trial's record does not stand for <paramref name="trial"/> run with <paramref name="run"/>; null when it does.</summary>
    public static string? Mismatch(StudyTrial trial, RunRecord record, ExperimentRunOptions run)
    {
        var spec = run.ApplyTo(trial.Spec);
        var result = record.Result;
        if (record.Trial?.Label != trial.Info.Label) return $"it holds trial {record.Trial?.Label ?? "(none)"}, not {trial.Info.Label}";
        if (result.Quick != run.Quick) return result.Quick ? "it is a --quick result, this run is full size" : "it is a full-size result, this run is --quick";
        int epochs = run.EpochsFor(spec.Training.EpochsFor(result.Data.Train));
        if (result.Epochs != epochs) return $"it trained for {result.Epochs} epochs, this run trains for {epochs}";
        string? directory = run.DataDirectoryFor(spec.Dataset);
        if (result.DataDirectory != directory) return $"its data came from {result.DataDirectory ?? "the embedded set"}, this run uses {directory ?? "the embedded set"}";
        if (directory is not null && result.Prerotated != spec.Dataset.UsesGivenRotatedDigits(new DatasetContext(result.Seed, directory, run.Quick, run.Prerotated, run.PoolSplits)))
            return result.Prerotated ? "it used the files as given rotated digits, this run rotates them" : "it rotated the files' digits, this run uses them as given rotated digits (--prerotated)";
        if (directory is not null && result.PoolSplits != run.PoolSplits)
            return result.PoolSplits ? "it pooled the files' splits (--pool-splits), this run keeps them" : "it kept the files' splits, this run pools them (--pool-splits)";
        var overrides = SpecOverrides.Recorded(spec, run.Overrides);
        if (!result.Overrides.SequenceEqual(overrides, StringComparer.Ordinal))
            return $"it ran with {Describe(result.Overrides)}, this run with {Describe(overrides)}";
        // The sizes it used are those this run asks for (a data directory gives each split at most its file).
        if (spec.Dataset.PlannedSizes(run.Quick) is { } planned)
        {
            var used = (result.Data.Train, result.Data.Validation, result.Data.Test);
            bool capped = directory is not null && !run.PoolSplits;
            if (capped ? used.Train > planned.Train || used.Validation > planned.Validation || used.Test > planned.Test : used != planned)
                return $"it used {used.Train} / {used.Validation} / {used.Test} samples, this run asks for {planned.Train} / {planned.Validation} / {planned.Test}";
        }
        return SpecValues.FirstDifference(record.Spec, RunRecord.Used(spec, result)) is { } difference ? $"its {difference}" : null;
    }

    private static string Describe(IReadOnlyList<string> overrides) => overrides.Count == 0 ? "the declared values" : string.Join(" ", overrides.Select(o => $"--set {o}"));

    /// <summary>The trial's record if its folder holds a complete, loadable result.json of a study trial; else null.</summary>
    public static RunRecord? TryLoadFinished(string folder)
    {
        var path = Path.Combine(folder, RunFiles.ResultJson);
        if (!File.Exists(path)) return null;
        try
        {
            return RunRecord.Load(path) is { Trial: not null } record ? record : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>Epochs and stages into the trial's log as well as to the caller.</summary>
    private sealed class LoggedProgress(TrialLog log, IProgress<ExperimentProgress>? target) : IProgress<ExperimentProgress>
    {
        public void Report(ExperimentProgress value)
        {
            if (value.Epoch is { } epoch) log.Write(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"epoch {epoch.Epoch}/{epoch.Epochs} loss {epoch.TrainLoss:G4}"));
            target?.Report(value);
        }
    }

    private sealed class TrialProgress(IProgress<StudyProgress> target, int position, int count, TrialInfo info, int laterTrialsToRun) : IProgress<ExperimentProgress>
    {
        public void Report(ExperimentProgress value) => target.Report(new StudyProgress(position, count, info, Skipped: false, value, laterTrialsToRun));
    }
}
