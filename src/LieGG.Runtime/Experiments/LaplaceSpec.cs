using LieGG.Dsl;

namespace LieGG.Runtime.Experiments;

/// <summary>How ELLA's prior precisions are learned (see <see cref="Training.Laplace.LaplaceOptions"/>).</summary>
public sealed record LaplaceSpec(int BurnIn = Defaults.LaplaceBurnIn, int Every = Defaults.LaplaceEvery, int Steps = Defaults.LaplaceSteps, double LearningRate = Defaults.LaplaceLearningRate, FisherKind Fisher = FisherKind.Exact, bool NestedEvidence = false,
    bool ExactGgnCheck = false)
{
    /// <summary>
    /// The options a run uses; a quick (smoke-size, <see cref="QuickRun"/>) run steps after every epoch from the first and
    /// uses the Monte-Carlo Fisher, one backward pass instead of one per class.
    /// </summary>
    public Training.Laplace.LaplaceOptions Options(bool quick) => new()
    {
        BurnIn = quick ? 1 : BurnIn,
        Every = quick ? 1 : Every,
        Steps = Steps,
        LearningRate = LearningRate,
        Fisher = quick ? FisherKind.MonteCarlo : Fisher,
    };
}
