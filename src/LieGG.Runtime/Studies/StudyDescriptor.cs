using LieGG.Dsl;

namespace LieGG.Runtime.Studies;

/// <summary>One study of a generated catalog: the CLI lists, runs (by shard) and merges studies from these.</summary>
public sealed record StudyDescriptor(
    string Name,
    string TypeName,
    IReadOnlyList<StudyTrial> Trials,
    IReadOnlyList<(Metric X, Metric Y)> Correlations,
    string? Description = null,
    IReadOnlyList<StudyPlot>? Plots = null,
    string? Reference = null);
