using LieGG.Dsl;

namespace LieGG.Runtime.Training;

/// <summary>How a model is trained. Defaults are the LieGG paper's O(5) settings where it gives one.</summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = Defaults.TrainEpochs;

    public int BatchSize { get; init; } = Defaults.TrainBatchSize;

    public double LearningRate { get; init; } = Defaults.TrainLearningRate;

    /// <summary>The optimiser's (coupled, L2) weight decay, as in torch.optim.</summary>
    public double WeightDecay { get; init; }

    public Optimizer Optimizer { get; init; } = Optimizer.Adam;

    /// <summary>SGD's momentum (ignored by Adam).</summary>
    public double Momentum { get; init; } = Defaults.TrainMomentum;

    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>Where the cosine schedule ends after the last step.</summary>
    public double FinalLearningRate { get; init; } = Defaults.TrainFinalLearningRate;

    /// <summary>
    /// Epochs over which the learning rate ramps up linearly, step by step, from 1/steps of its scheduled value to all
    /// of it; 0 = none. The schedule itself is unchanged: warm-up only scales the rate each step uses.
    /// </summary>
    public int WarmupEpochs { get; init; }

    /// <summary><see cref="Loss.Auto"/>: MSE for regression, cross-entropy for classification.</summary>
    public Loss Loss { get; init; } = Loss.Auto;

    /// <summary>Seeds the batch order and any stochastic layer.</summary>
    public int Seed { get; init; }

    /// <summary>Keep the weights of the epoch with the best validation metric (accuracy, or MSE for regression).</summary>
    public bool SelectBest { get; init; } = true;

    /// <summary>When positive, <see cref="EpochsFor"/> trains for ⌊SampleBudget / N⌋ epochs (at least one) instead of <see cref="Epochs"/>.</summary>
    public int SampleBudget { get; init; }

    /// <summary>Stop when the validation metric has not improved for this many epochs; null = never.</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>CPU threads for TorchSharp; null leaves the current setting.</summary>
    public int? Threads { get; init; }

    /// <summary>"cpu" or "cuda" (or "cuda:N").</summary>
    public string Device { get; init; } = "cpu";

    public void Validate()
    {
        if (Epochs <= 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be at least 1.");
        if (BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be a positive finite number.");
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay)) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "WeightDecay must be zero or positive.");
        if (!(Momentum >= 0 && Momentum < 1)) throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "Momentum must lie in [0, 1).");
        if (!(FinalLearningRate >= 0) || double.IsInfinity(FinalLearningRate)) throw new ArgumentOutOfRangeException(nameof(FinalLearningRate), FinalLearningRate, "FinalLearningRate must be zero or a positive finite number.");
        if (WarmupEpochs < 0 || WarmupEpochs > Epochs) throw new ArgumentOutOfRangeException(nameof(WarmupEpochs), WarmupEpochs, $"WarmupEpochs must lie between 0 and the {Epochs} training epochs.");
        if (SampleBudget < 0) throw new ArgumentOutOfRangeException(nameof(SampleBudget), SampleBudget, "SampleBudget must be 0 (use Epochs) or positive.");
        if (EarlyStoppingPatience is <= 0) throw new ArgumentOutOfRangeException(nameof(EarlyStoppingPatience), EarlyStoppingPatience, "EarlyStoppingPatience must be at least 1 (or null for none).");
        if (Threads is <= 0) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Threads must be at least 1 (or null to keep the current setting).");
    }

    /// <summary>The epochs a run on <paramref name="trainingSamples"/> samples trains for: <see cref="Epochs"/>, or the <see cref="SampleBudget"/> spread over them.</summary>
    public int EpochsFor(int trainingSamples) => SampleBudget > 0 && trainingSamples > 0 ? Math.Max(1, SampleBudget / trainingSamples) : Epochs;

    /// <summary>These options for a run of <paramref name="epochs"/> epochs, warming up over at most all of it.</summary>
    public TrainingOptions WithEpochs(int epochs) => this with { Epochs = epochs, WarmupEpochs = Math.Min(WarmupEpochs, epochs) };

    public Loss ResolveLoss(TaskKind task) => Loss != Loss.Auto ? Loss : task == TaskKind.Classification ? Loss.CrossEntropy : Loss.Mse;
}
