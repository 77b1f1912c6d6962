namespace LieGG.Runtime.Training;

/// <summary>Reported after every epoch.</summary>
/// <param name="Epoch">1-based epoch just finished.</param>
/// <param name="ValidationMetric">Validation accuracy (classification) or MSE (regression); NaN without a validation split.</param>
/// <param name="IsBest">Whether this epoch's weights are the best so far.</param>
public sealed record EpochProgress(
    int Epoch,
    int Epochs,
    double TrainLoss,
    double ValidationMetric,
    string ValidationMetricName,
    bool IsBest,
    double SamplesPerSecond,
    TimeSpan Elapsed,
    TimeSpan EstimatedRemaining);

/// <summary>One epoch of the training history.</summary>
/// <param name="LearningRate">The rate of the epoch's last optimizer step (warm-up and schedule applied); NaN in results written before it was recorded.</param>
public sealed record EpochRecord(int Epoch, double TrainLoss, double ValidationMetric, double Seconds, double LearningRate = double.NaN);

/// <summary>What training produced, besides the trained weights left in the model.</summary>
/// <param name="BestEpoch">Epoch whose weights the model holds (the last one when best-model selection is off).</param>
public sealed record TrainingResult(
    IReadOnlyList<EpochRecord> History,
    int BestEpoch,
    double BestValidationMetric,
    string ValidationMetricName,
    bool StoppedEarly,
    TimeSpan Elapsed)
{
    /// <summary>No training (an analysis of a network trained elsewhere).</summary>
    public static TrainingResult None { get; } = new([], 0, double.NaN, "", false, TimeSpan.Zero);
}

/// <summary>Training produced a non-finite or exploding loss; the message names the epoch and batch.</summary>
public sealed class TrainingDivergedException(int epoch, int batch, double loss, double initialLoss = double.NaN)
    : Exception($"Training diverged: the loss became {loss}{(double.IsNaN(initialLoss) ? "" : $" (it started at {initialLoss:G4})")} in epoch {epoch}, batch {batch}. Lower the learning rate, or check the data for NaN/Inf values.")
{
    public int Epoch { get; } = epoch;

    public int Batch { get; } = batch;

    public double Loss { get; } = loss;
}
