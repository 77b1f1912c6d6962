using LieGG.Runtime.Studies;

namespace LieGG.Runtime.Orchestration;

/// <summary>Where a study trial stands, as its folder says.</summary>
public enum TrialStage
{
    /// <summary>Its result.json is there.</summary>
    Finished,

    /// <summary>A live process holds its claim.</summary>
    Running,

    /// <summary>Its last attempt failed (failure.json) and nothing holds it now.</summary>
    Failed,

    /// <summary>Its claim's holder is gone: the next run takes it over.</summary>
    Abandoned,

    /// <summary>Nothing has started it.</summary>
    Pending,
}

/// <summary>One trial's state, with the detail a reader needs: where it runs, why it failed, the last lines of its log.</summary>
public sealed record TrialState(TrialInfo Trial, TrialStage Stage, string Detail, IReadOnlyList<string> LogTail)
{
    /// <summary>Every trial's state, read from the files alone (a scheduler is asked only whether a claim's job still runs).</summary>
    public static IReadOnlyList<TrialState> Read(IReadOnlyList<StudyTrial> trials, string output, ClaimLiveness? liveness = null, int logLines = 5)
    {
        liveness ??= ClaimLiveness.Default;
        return trials.Select(t => Of(t.Info, StudyRunner.TrialFolder(output, t.Info), liveness, logLines)).ToList();
    }

    public static TrialState Of(TrialInfo trial, string folder, ClaimLiveness liveness, int logLines = 5)
    {
        if (!Directory.Exists(folder)) return new(trial, TrialStage.Pending, "not started", []);
        var tail = TrialLog.Tail(folder, logLines);
        if (StudyRunner.TryLoadFinished(folder) is { } record)
            return new(trial, TrialStage.Finished, $"finished (started {record.Started:u}" + $", {record.Result.Timings.TotalSeconds:F1} s)", []);
        var (owner, renewed) = TrialClaim.Read(TrialClaim.PathIn(folder));
        ClaimJudgement? claim = owner is not null && renewed is { } at ? liveness.Judge(owner, at, DateTime.UtcNow) : null;
        if (claim is { Stale: false }) return new(trial, TrialStage.Running, claim.Reason, tail);
        if (TrialFailure.TryLoad(folder) is { } failure)
            return new(trial, TrialStage.Failed,
                $"failed{(failure.ExitCode is { } code ? $" (exit {code})" : "")} on {failure.Host} at {failure.At:u}: {failure.Message}", tail);
        if (claim is { Stale: true }) return new(trial, TrialStage.Abandoned, $"stopped unfinished: {claim.Reason}", tail);
        return new(trial, TrialStage.Pending, tail.Count > 0 ? "stopped unfinished" : "not started", tail);
    }
}
