using LieGG.Runtime.Studies;

namespace LieGG.Runtime.Orchestration;

/// <summary>Where a study is.</summary>
/// <param name="LaterTrialsToRun">Trials after this one that this invocation will train (finished ones are skipped): what an ETA counts.</param>
public sealed record StudyProgress(int Trial, int Trials, TrialInfo Info, bool Skipped, ExperimentProgress? Run, int LaterTrialsToRun)
{
    /// <summary>Set when the trial is skipped because another live process holds it: who, and since when.</summary>
    public string? HeldBy { get; init; }
}

/// <summary>What one invocation did (a shard may run a subset; finished trials are skipped).</summary>
public sealed record StudyRunSummary(int Selected, int Ran, int Skipped, string Folder)
{
    /// <summary>Trials that failed in this invocation, with why; the others ran on.</summary>
    public IReadOnlyList<(TrialInfo Trial, string Reason)> Failed { get; init; } = [];

    /// <summary>Trials another live process was training, so this one left them alone.</summary>
    public IReadOnlyList<(TrialInfo Trial, string HeldBy)> HeldElsewhere { get; init; } = [];

    /// <summary>Trials whose abandoned claim this invocation took over, with why it was judged abandoned.</summary>
    public IReadOnlyList<(TrialInfo Trial, string Reason)> TookOver { get; init; } = [];
}
