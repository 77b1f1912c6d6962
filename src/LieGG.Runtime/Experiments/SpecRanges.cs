using System.Globalization;
using System.Reflection;
using LieGG.Dsl;
using LieGG.Runtime.Symmetry;

namespace LieGG.Runtime.Experiments;

/// <summary>
/// Checks a spec against what the DSL declares on its attributes — each value's [AllowedRange] and the rules that tie one
/// value to another (<see cref="DeclarationRules"/>, the set the analyzers apply at compile time): for specs built or changed
/// in code (<c>spec with { … }</c>) and for command-line overrides, before any training, with the same rules and words.
/// </summary>
public static class SpecRanges
{
    /// <summary>The spec records whose values are range-checked, with the attribute that declares their ranges.</summary>
    public static IReadOnlyDictionary<Type, Type> Checked => SpecPart.Declared;

    /// <exception cref="ExperimentSetupException">A value is out of its range or breaks a rule; the message names every one, with attribute, property and what is allowed.</exception>
    public static void Check(ExperimentSpec spec)
    {
        var problems = Problems(spec);
        if (problems.Count == 1) throw new ExperimentSetupException($"Experiment '{spec.Name}': {problems[0]}");
        if (problems.Count > 1) throw new ExperimentSetupException($"Experiment '{spec.Name}' has {problems.Count} problems:{string.Concat(problems.Select(p => $"{Environment.NewLine}  {p}"))}");
    }

    /// <summary>Every value of <paramref name="spec"/> out of its declared range, then every broken rule, each as "[Attribute] Property = value …".</summary>
    public static IReadOnlyList<string> Problems(ExperimentSpec spec)
    {
        var problems = new List<string>();
        foreach (var part in SpecPart.Of(spec))
            foreach (var property in part.AttributeType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetCustomAttribute<AllowedRangeAttribute>() is not { } range) continue;
                if (part.Value.GetType().GetProperty(property.Name)?.GetValue(part.Value) is not IConvertible value) continue;
                if (!range.Allows(value.ToDouble(CultureInfo.InvariantCulture)))
                    problems.Add($"[{part.Attribute}] {property.Name} = {value.ToString(CultureInfo.InvariantCulture)} is out of range; allowed: {range.Allowed}.");
            }
        problems.AddRange(BrokenRules(spec));
        return problems;
    }

    /// <summary>The cross-property rules of <see cref="DeclarationRules"/> that need no data, applied to a spec.</summary>
    private static IEnumerable<string> BrokenRules(ExperimentSpec spec)
    {
        var training = spec.Training;
        if (DeclarationRules.WarmupWithinEpochs(training.WarmupEpochs, training.Epochs) is { } warmup)
            yield return $"[Train] WarmupEpochs = {training.WarmupEpochs} is out of range; allowed: {warmup}.";
        bool regression = spec.Dataset.Task == TaskKind.Regression;
        if (DeclarationRules.LossFitting(training.Loss.ToString(), regression) is { } loss)
            yield return $"[Train] Loss = {training.Loss} does not fit a {(regression ? "regression" : "classification")} task; use Loss.{loss} or Auto.";
        if (spec.Pretrain is { } pretrain)
        {
            int? hidden = spec.Architecture switch { MlpSpec mlp => mlp.Hidden, MlpBudgetSpec budget => budget.Hidden, _ => null };
            if (hidden is null)
                yield return "[Pretrain] pre-trains MLP layers, but the architecture is no [Mlp] or [MlpBudget]; remove [Pretrain].";
            else if (DeclarationRules.PretrainWithinHidden(pretrain.Layers, hidden.Value) is { } layers)
                yield return $"[Pretrain] Layers = {pretrain.Layers} is out of range; allowed: {layers}.";
        }
        switch (spec.Dataset)
        {
            case QuadrantMnistDatasetSpec quadrant when DeclarationRules.QuadrantDigitFits(quadrant.Canvas, quadrant.DigitSize) is { } misfit:
                yield return $"[QuadrantMnist] Canvas = {quadrant.Canvas} and DigitSize = {quadrant.DigitSize}: {misfit.Fault}; {misfit.Fix}.";
                break;
            case CanvasMnistDatasetSpec canvas when DeclarationRules.CanvasDigitFits(canvas.Canvas, canvas.DigitSize) is { } requirement:
                yield return $"[CanvasMnist] DigitSize = {canvas.DigitSize} is out of range; allowed: {requirement}.";
                break;
        }
        if (spec.Architecture is RelaxedCnnSpec relaxed && DeclarationRules.PathwaysFault((int)relaxed.Pathways) is { } pathways)
            yield return $"[RelaxedCnn] Pathways = {relaxed.Pathways} {pathways}; use FC, FactoredFC, Conv or GroupConv alone or together, with at most one of FC and FactoredFC.";
        if (spec.Laplace is { } laplace)
        {
            if (spec.Architecture is not RelaxedCnnSpec and not CustomModelSpec)
                yield return "[Laplace] learns the prior precisions of a [RelaxedCnn]'s tensors, but the architecture is no [RelaxedCnn]; drop [Laplace].";
            else if (DeclarationRules.LaplaceNeverSteps(laplace.BurnIn, training.Epochs))
                yield return $"[Laplace] BurnIn = {laplace.BurnIn} with [Train] Epochs = {training.Epochs}: no hyperparameter step happens; make BurnIn smaller than Epochs.";
        }
        if (spec.GroundTruth is BuiltInGroundTruth { Group: var group })
        {
            var (spatial, affine, dimension) = spec.Prior switch
            {
                SpatialPrior s => (true, s.Affine, 2),
                GenericPrior g => (false, false, g.Dimension),
                _ => (false, false, -1),
            };
            if (dimension >= 0 && DeclarationRules.GroundTruthFitsPrior(group.ToString(), spatial, affine, dimension) is { } misfit)
                yield return $"[GroundTruth(Group.{group})] {misfit.Fault}; {misfit.Fix}.";
        }
        if (spec.Analysis.Units == RegressionUnits.Standardized && DatasetAttribute(spec) is { } dataset
            && DeclarationRules.StandardizedUnitsFault(dataset, regression) is { } units)
            yield return $"[Analysis] Units = Standardized, but [{dataset}] {units}; use Units = Task.";
        if (spec.Analysis.Equivariance is { Exact: not SymmetryElements.None } equivariance && ArchitectureAttribute(spec) is { } architecture)
        {
            if (spec.Prior is GenericPrior)
                yield return $"[Equivariance] Exact = {equivariance.Exact} acts on images, but the prior is [GenericPrior]; remove Exact.";
            else
                foreach (var (element, fault, fix) in DeclarationRules.ExactSymmetryFaults((int)equivariance.Exact, architecture, spec.Architecture is RelaxedCnnSpec r ? (int)r.Pathways : 0))
                    yield return $"[Equivariance] Exact = {element}, but [{architecture}] {fault}; {fix}.";
        }
    }

    private static string? DatasetAttribute(ExperimentSpec spec) => SpecPart.Of(spec).FirstOrDefault(p => ReferenceEquals(p.Value, spec.Dataset))?.Attribute;

    private static string? ArchitectureAttribute(ExperimentSpec spec) => SpecPart.Of(spec).FirstOrDefault(p => ReferenceEquals(p.Value, spec.Architecture))?.Attribute;
}
