using LieGG.Runtime.Studies;

namespace LieGG.Runtime.Orchestration;

/// <summary>Where a study is.</summary>
/// <param name="LaterTrialsToRun">Trials after this one that this invocation will train (finished ones are skipped): what an ETA counts.</param>
public sealed record StudyProgress(int Trial, int Trials, TrialInfo Info, bool Skipped, ExperimentProgress? Run, int LaterTrialsToRun);

/// <summary>What one invocation did (a shard may run a subset; finished trials are skipped).</summary>
public sealed record StudyRunSummary(int Selected, int Ran, int Skipped, string Folder);
