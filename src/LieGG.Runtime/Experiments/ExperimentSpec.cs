using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Training;

namespace LieGG.Runtime.Experiments;

/// <summary>
/// Everything an experiment declares; generated code builds one from the attributes' constants. The spec records
/// use the attributes' property names and defaults, so generated code passes only what a declaration sets.
/// </summary>
public sealed record ExperimentSpec
{
    public required string Name { get; init; }

    public required DatasetSpec Dataset { get; init; }

    public required ArchitectureSpec Architecture { get; init; }

    public required TrainingOptions Training { get; init; }

    public required ISymmetryPrior Prior { get; init; }

    public GroundTruthSpec? GroundTruth { get; init; }

    public AnalysisSpec Analysis { get; init; } = new();

    /// <summary>Pre-training of the first layers and the training regime (paper §5.4); null = end to end.</summary>
    public PretrainSpec? Pretrain { get; init; }

    /// <summary>ELLA: learn the per-tensor prior precisions by Laplace marginal likelihood; null = MAP with fixed precisions.</summary>
    public LaplaceSpec? Laplace { get; init; }
}
