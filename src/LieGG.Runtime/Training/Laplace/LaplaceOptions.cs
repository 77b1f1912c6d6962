using LieGG.Dsl;

namespace LieGG.Runtime.Training.Laplace;

/// <summary>
/// How ELLA's prior precisions are learned: after a burn-in, every <see cref="Every"/> epochs KFAC is fitted once on
/// the whole training set and <see cref="Steps"/> Adam steps (learning rate <see cref="LearningRate"/>) are taken on
/// the log precisions, reusing the same eigendecompositions. Adam's moments persist across hyperparameter steps.
/// </summary>
public sealed record LaplaceOptions
{
    /// <summary>Epochs of plain MAP training before the first hyperparameter step.</summary>
    public int BurnIn { get; init; } = 10;

    /// <summary>Epochs between hyperparameter steps.</summary>
    public int Every { get; init; } = 5;

    /// <summary>Adam steps on the log precisions per hyperparameter step.</summary>
    public int Steps { get; init; } = 20;

    public double LearningRate { get; init; } = 0.1;

    public FisherKind Fisher { get; init; } = FisherKind.Exact;

    /// <summary>Samples per forward pass while fitting KFAC.</summary>
    public int KfacBatchSize { get; init; } = 500;

    public void Validate()
    {
        if (BurnIn < 0) throw new ArgumentOutOfRangeException(nameof(BurnIn), BurnIn, "BurnIn must be zero or more epochs.");
        if (Every < 1) throw new ArgumentOutOfRangeException(nameof(Every), Every, "Every must be at least 1 epoch.");
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Steps must be at least 1.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be a positive finite number.");
        if (KfacBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(KfacBatchSize), KfacBatchSize, "KfacBatchSize must be at least 1.");
    }

    /// <summary>Whether a hyperparameter step follows epoch <paramref name="epoch"/> (1-based).</summary>
    public bool StepsAfter(int epoch) => epoch >= Math.Max(BurnIn, 1) && (epoch - Math.Max(BurnIn, 1)) % Every == 0;
}
