using LieGG.Runtime.Training;

namespace LieGG.Runtime.Orchestration;

/// <summary>Where a run is.</summary>
/// <param name="Stage">"data", "training", "analysis" or "done".</param>
/// <param name="Epoch">The last finished epoch while training, else null.</param>
public sealed record ExperimentProgress(string Experiment, string Stage, EpochProgress? Epoch);
