using LieGG.Runtime.Training;

namespace LieGG.Runtime.Orchestration;

/// <summary>The stages of a run, in order, as progress reports them.</summary>
public enum RunStage
{
    Data,
    Training,
    /// <summary>ELLA: training the single-pathway sub-networks whose evidence the learned network's is compared with.</summary>
    NestedEvidence,
    Analysis,
    Done,
}

public static class RunStages
{
    /// <summary>How the console names a stage ("nested evidence").</summary>
    public static string Label(this RunStage stage) => stage == RunStage.NestedEvidence ? "nested evidence" : stage.ToString().ToLowerInvariant();
}

/// <summary>Where a run is.</summary>
/// <param name="Epoch">The last finished epoch while training, else null.</param>
public sealed record ExperimentProgress(string Experiment, RunStage Stage, EpochProgress? Epoch);
