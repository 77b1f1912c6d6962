namespace LieGG.Runtime.Experiments;

/// <summary>One entry of a generated experiment catalog: the CLI lists and runs experiments from these.</summary>
/// <param name="Name">The name given in [Experiment("…")].</param>
/// <param name="TypeName">The declaring type, fully qualified.</param>
/// <param name="Description">[Experiment(Description = "…")], or null.</param>
public sealed record ExperimentDescriptor(string Name, string TypeName, ExperimentSpec Spec, string? Description = null);
