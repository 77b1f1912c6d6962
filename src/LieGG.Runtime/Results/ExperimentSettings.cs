using System.Globalization;
using LieGG.Runtime.Experiments;

namespace LieGG.Runtime.Results;

/// <summary>What an experiment declared, as text (<see cref="SpecText"/>, invariant culture), for reports and schema-1 comparisons; <see cref="RunSetup"/> holds the same as data.</summary>
public sealed record ExperimentSettings(string Dataset, string Architecture, string Training, string Prior, string? GroundTruth, string Analysis)
{
    public static ExperimentSettings Of(ExperimentSpec spec, ExperimentResult result) => new(
        DatasetDescription(spec, result),
        SpecText.Of(spec.Architecture),
        TrainingDescription(spec, result),
        spec.Prior.Description,
        spec.GroundTruth is { } truth ? SpecText.Of(truth) : null,
        SpecText.Of(spec.Analysis));

    /// <summary>The declared dataset, with what a --data-dir replaced: its files are the digits, given rotated or not as the run used them.</summary>
    private static string DatasetDescription(ExperimentSpec spec, ExperimentResult result)
    {
        var text = SpecText.Of(spec.Dataset);
        if (result.DataDirectory is null || spec.Dataset is not MnistDatasetSpec mnist) return text;
        return text.Replace($"Digits = {mnist.Digits}", "Digits = the --data-dir files", StringComparison.Ordinal)
            .Replace($"Prerotated = {mnist.Prerotated}", $"Prerotated = {result.Prerotated}", StringComparison.Ordinal);
    }

    private static string TrainingDescription(ExperimentSpec spec, ExperimentResult result)
    {
        var t = spec.Training;
        var text = string.Create(CultureInfo.InvariantCulture, $"epochs {result.Epochs}, batch {t.BatchSize}, lr {t.LearningRate:G4}, weight decay {t.WeightDecay:G4}, loss {t.ResolveLoss(result.Task)}, seed {result.Seed}, select best {t.SelectBest}");
        if (t.Optimizer != LieGG.Dsl.Optimizer.Adam) text += string.Create(CultureInfo.InvariantCulture, $", optimizer {t.Optimizer} (momentum {t.Momentum:G4})");
        if (t.Schedule != LieGG.Dsl.LearningRateSchedule.Constant) text += string.Create(CultureInfo.InvariantCulture, $", schedule {t.Schedule} to {t.FinalLearningRate:G4}");
        if (t.SampleBudget > 0) text += string.Create(CultureInfo.InvariantCulture, $" (a budget of {t.SampleBudget} samples over the training split)");
                if (t.WarmupEpochs > 0) text += string.Create(CultureInfo.InvariantCulture, $", linear warm-up over {t.WarmupEpochs} epoch{(t.WarmupEpochs == 1 ? "" : "s")}");
        if (spec.Laplace is { } laplace)
            text += string.Create(CultureInfo.InvariantCulture, $", priors learned by Laplace marginal likelihood (burn-in {laplace.BurnIn}, every {laplace.Every}, {laplace.Steps} Adam steps at lr {laplace.LearningRate:G4}, {laplace.Fisher} Fisher)");
        else if (spec.Architecture is RelaxedCnnSpec relaxed)
            text += string.Create(CultureInfo.InvariantCulture, $", MAP with fixed prior precision {relaxed.PriorPrecision:G4}");
        return text;
    }
}
