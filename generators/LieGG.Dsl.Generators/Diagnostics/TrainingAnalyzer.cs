using static LieGG.Dsl.Generators.Diagnostics.DiagnosticDescriptors;

namespace LieGG.Dsl.Generators.Diagnostics;

/// <summary>LGG40xx: training — values in range, a loss that fits the task, a Laplace schedule that steps on a network with priors.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TrainingAnalyzer : DeclarationAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(OutOfRange, LossMismatch, LaplaceWithoutPriors, LaplaceNeverSteps);

    private protected override void Analyze(DeclarationFacts facts, Reporter report, SymbolAnalysisContext context, object? compilationState)
    {
        if (facts.IsComparison) return;
        if (facts.Laplace is { } laplace) CheckLaplace(report, laplace, facts.Architecture, facts.Training);
        if (facts.Training is { } training) CheckTraining(report, training, facts.Data);
    }

    private static void CheckLaplace(Reporter report, DslAttribute laplace, DslAttribute? architecture, DslAttribute? training)
    {
        report.Ranges(laplace);
        if (architecture is not null && architecture.Name != "RelaxedCnn")
            report.At(laplace.Location, LaplaceWithoutPriors, architecture.Name);
        int burnIn = laplace.Int("BurnIn") ?? Defaults.LaplaceBurnIn, epochs = training?.Int("Epochs") ?? Defaults.TrainEpochs;
        if (training is not null && DeclarationRules.LaplaceNeverSteps(burnIn, epochs))
            report.At(laplace.Named("BurnIn") is null ? laplace.Location : laplace.ArgumentLocation("BurnIn"), LaplaceNeverSteps, burnIn, epochs);
    }

    private static void CheckTraining(Reporter report, DslAttribute training, DatasetFacts? data)
    {
        report.Ranges(training);
        if (training.Int("WarmupEpochs") is { } warmup && DeclarationRules.WarmupWithinEpochs(warmup, training.Int("Epochs") ?? Defaults.TrainEpochs) is { } requirement)
            report.At(training.ArgumentLocation("WarmupEpochs"), OutOfRange, "Train", "WarmupEpochs", warmup.ToString(CultureInfo.InvariantCulture), requirement);
        if (data is not null && training.Enum<Loss>("Loss") is { } loss && DeclarationRules.LossFitting(loss.ToString(), data.Regression) is { } instead)
            report.At(training.ArgumentLocation("Loss"), LossMismatch, loss.ToString(), data.Source, data.Regression ? "regression" : "classification", instead);
    }
}
