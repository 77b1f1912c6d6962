namespace LieGG.Runtime.Experiments;

/// <summary>
/// What <c>--quick</c> (a smoke-size run: seconds, not a result) changes, in one place: the runner, the datasets, the
/// ELLA hyperparameter schedule, the reports and the command line's help all read it from here.
/// </summary>
public static class QuickRun
{
    /// <summary>Epochs trained, at most (an explicit --epochs wins).</summary>
    public const int MaxEpochs = 2;

    /// <summary>The training split shrinks to a tenth, but never below this many samples (so sweeps over sizes keep their order).</summary>
    public const int MinTrainCount = 100;

    public const int TrainDivisor = 10;

    /// <summary>Validation and test samples, at most each.</summary>
    public const int MaxEvaluationCount = 200;

    /// <summary>Samples in the polarization matrix, at most.</summary>
    public const int MaxAnalysedSamples = 500;

    /// <summary>Samples in the equivariance analysis, at most.</summary>
    public const int MaxEquivarianceSamples = 32;

    /// <summary>Bootstrap resamples, at most.</summary>
    public const int MaxBootstrap = 20;

    /// <summary>The policy in words, for --help texts and reports.</summary>
    public static string Description { get; } =
        $"≤ {MaxEpochs} epochs (an explicit --epochs wins), a tenth of the training data (≥ {MinTrainCount}), ≤ {MaxEvaluationCount} validation and test samples, " +
        $"≤ {MaxAnalysedSamples} analysed samples ({MaxEquivarianceSamples} for equivariance), ≤ {MaxBootstrap} bootstrap resamples; ELLA networks update their priors after every epoch with the Monte-Carlo Fisher, and their nested evidence trains single pathways only";

    public static int Epochs(int declared) => Math.Min(declared, MaxEpochs);

    public static (int Train, int Validation, int Test) Sizes(int train, int validation, int test)
        => (Math.Min(train, Math.Max(MinTrainCount, train / TrainDivisor)), Math.Min(validation, MaxEvaluationCount), Math.Min(test, MaxEvaluationCount));
}
