using LieGG.Runtime.Experiments;

namespace LieGG.Runtime.Studies;

/// <summary>One point of a study grid: its parameters and the experiment spec with them applied.</summary>
public sealed record StudyTrial(TrialInfo Info, ExperimentSpec Spec);
