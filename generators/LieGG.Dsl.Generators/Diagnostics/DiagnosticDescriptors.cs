using Microsoft.CodeAnalysis;

namespace LieGG.Dsl.Generators.Diagnostics;

/// <summary>
/// Every LieGG diagnostic. IDs by range: LGG1xxx usage, LGG2xxx dataset/architecture, LGG3xxx symmetry/group,
/// LGG4xxx training. Each message states the fault and the fix; docs/diagnostics.md lists them all.
/// </summary>
public static class DiagnosticDescriptors
{
    private const string Usage = "LieGG.Usage";
    private const string Data = "LieGG.DatasetAndArchitecture";
    private const string Symmetry = "LieGG.Symmetry";
    private const string Training = "LieGG.Training";

    // No help link: the project has no public documentation site, and a path inside the repository means nothing to
    // a package user. The message carries the fault and the fix; the description says where every rule is explained.
    private static DiagnosticDescriptor Rule(string id, string title, string message, string category, DiagnosticSeverity severity = DiagnosticSeverity.Error, params string[] tags)
        => new(id, title, message, category, severity, isEnabledByDefault: true, description: Explained(id), customTags: tags);

    private static string Explained(string id)
        => $"The message names the fault and the fix. {id} is explained, with an example, in docs/diagnostics.md (section {id.ToLowerInvariant()}), " +
           "which ships inside the LieGG.Dsl package (docs/diagnostics.md in the package folder) and in the source repository.";

    public static readonly DiagnosticDescriptor NotPartial = Rule("LGG1001", "Experiment type must be partial",
        "'{0}' has [Experiment] but is not partial; add the partial modifier so the generated Spec, Run and result can be added", Usage);

    public static readonly DiagnosticDescriptor Nested = Rule("LGG1002", "Experiment type must be top-level",
        "'{0}' is nested in '{1}'; declare experiments as top-level types in a namespace", Usage);

    public static readonly DiagnosticDescriptor InvalidName = Rule("LGG1003", "Invalid experiment name",
        "Experiment name '{0}' is not usable on the command line; use letters, digits, '-', '_' or '.', starting with a letter or digit", Usage);

    public static readonly DiagnosticDescriptor DuplicateName = Rule("LGG1004", "Duplicate experiment name",
        "Experiment name '{0}' is also used by '{1}'; give every experiment its own name", Usage, DiagnosticSeverity.Error, WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor AttributeWithoutExperiment = Rule("LGG1005", "DSL attribute without [Experiment]",
        "[{0}] on '{1}' has no effect without [Experiment(\"name\")] or [Study(\"name\")]; add one or remove the attribute", Usage, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor MissingGroup = Rule("LGG1006", "Missing experiment attribute",
        "Experiment '{0}' declares no {1}; add one of {2}", Usage);

    public static readonly DiagnosticDescriptor DuplicateGroup = Rule("LGG1007", "Conflicting experiment attributes",
        "Experiment '{0}' declares more than one {1} ([{2}] and [{3}]); keep exactly one", Usage);

    public static readonly DiagnosticDescriptor OutOfRange = Rule("LGG2001", "Value out of range",
        "{0}.{1} = {2} is out of range; use {3}", Data);

    public static readonly DiagnosticDescriptor WrongType = Rule("LGG2002", "Type does not implement the required interface",
        "{0}({1}) needs a non-abstract type implementing {2} with a public parameterless constructor; '{1}' {3}", Data);

    public static readonly DiagnosticDescriptor CnnNeedsDigits = Rule("LGG2003", "CNN architecture needs 28×28 images",
        "[{0}] is built for 28×28 single-channel images but {1} gives inputs of shape [{2}]; use [Mnist]/[RotatedMnist] (or a dataset of 28×28 images) or an MLP", Data);

    public static readonly DiagnosticDescriptor RelaxedNeedsPowerOfTwoCanvas = Rule("LGG2004", "Relaxed CNN needs a square power-of-two image",
        "[RelaxedCnn] halves the image with stride-2 blocks down to 2×2 but {0} gives inputs of shape [{1}]; use square images whose side is a power of two ≥ 4, e.g. [QuadrantMnist(Canvas = 16)]", Data);

    public static readonly DiagnosticDescriptor InvalidPathways = Rule("LGG2005", "Invalid pathway set",
        "RelaxedCnn.Pathways = {0} {1}; use FC, FactoredFC, Conv or GroupConv alone or together, with at most one of FC and FactoredFC (e.g. FactoredFC | Conv | GroupConv)", Data);

    public static readonly DiagnosticDescriptor QuadrantDigitDoesNotFit = Rule("LGG2006", "Digit does not fit a quadrant",
        "[QuadrantMnist] with Canvas = {0} and DigitSize = {1}: {2}; {3}", Data);

    public static readonly DiagnosticDescriptor ClassicSplitFixed = Rule("LGG2007", "The classic protocol fixes the split sizes",
        "[{0}(Digits = DigitSet.ClassicRotation)] uses the classic split of 10 000 / 2 000 / 50 000 digits, so {1} has no effect; remove it, or use DigitSet.Mnist70k to choose the sizes", Data);

    public static readonly DiagnosticDescriptor SpatialOnVectors = Rule("LGG3001", "Spatial prior on non-image data",
        "[SpatialPrior] acts on pixel coordinates but {0} gives inputs of shape [{1}]; use [GenericPrior(Dimension = …, Copies = …)] for vector data", Symmetry);

    public static readonly DiagnosticDescriptor GenericSizeMismatch = Rule("LGG3002", "Generic prior does not match the input size",
        "GenericPrior(Dimension = {0}, Copies = {1}) acts on {2} inputs but {3} gives {4}; choose Dimension × Copies (+ Scalars) = {4}", Symmetry);

    public static readonly DiagnosticDescriptor AlgebraShapeMismatch = Rule("LGG3003", "Ground-truth algebra does not fit the prior",
        "[GroundTruth(Group.{0})] {1}; {2}", Symmetry);

    public static readonly DiagnosticDescriptor GenericOnLargeInput = Rule("LGG3004", "Generic prior on a large input",
        "GenericPrior(Dimension = {0}) looks for {1} generator entries (a {0}×{0} matrix) in flattened data; for images use [SpatialPrior], which acts on pixel coordinates with 2×2 generators", Symmetry, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor TransformOfSingleOutput = Rule("LGG3005", "L2 normalisation of a single output",
        "Analysis Transform = L2Normalize on the single output of {0} gives ±1, whose gradient is zero; use OutputTransform.None", Symmetry);

    public static readonly DiagnosticDescriptor ExactSymmetryImpossible = Rule("LGG3006", "Architecture cannot keep the declared exact symmetry",
        "[Equivariance(Exact = SymmetryElements.{0})] but [{1}] {2}; {3}", Symmetry);

    public static readonly DiagnosticDescriptor ExactElementsOnVectors = Rule("LGG3007", "Exact image symmetries on vector data",
        "[Equivariance(Exact = SymmetryElements.{0})] acts on images, but the prior is [GenericPrior]; remove Exact (the continuous analysis along gl(n) still runs) or analyse images with [SpatialPrior]", Symmetry);

    public static readonly DiagnosticDescriptor OutputRepresentationSize = Rule("LGG3008", "Output representation does not match the outputs",
        "[OutputRepresentation(OutputSpace.{0})] {1} but {2} gives {3} outputs; {4}", Symmetry);

    public static readonly DiagnosticDescriptor OutputRepresentationMisfit = Rule("LGG3009", "Output representation does not fit the task",
        "[OutputRepresentation(OutputSpace.{0})] {1}; {2}", Symmetry);

    public static readonly DiagnosticDescriptor UnitsWithoutStandardization = Rule("LGG3010", "Standardised units on a task without a standardization",
        "[Analysis(Units = RegressionUnits.Standardized)] measures the network inside a regression task's standardization, but {0} {1}; remove Units (only [O5Regression] standardises its targets)", Symmetry);

    public static readonly DiagnosticDescriptor LossMismatch = Rule("LGG4001", "Loss does not fit the task",
        "Loss.{0} does not fit {1}, a {2} task; use Loss.{3} or leave Loss at Auto", Training);

    public static readonly DiagnosticDescriptor LaplaceWithoutPriors = Rule("LGG4002", "Laplace on a model without per-tensor priors",
        "[Laplace] learns the per-tensor prior precisions of an ELLA network but the architecture is [{0}]; declare [RelaxedCnn] or remove [Laplace]", Training);

    public static readonly DiagnosticDescriptor LaplaceNeverSteps = Rule("LGG4003", "Laplace schedule never steps",
        "[Laplace(BurnIn = {0})] with [Train(Epochs = {1})]: no hyperparameter step happens, so the priors keep their initial precision (plain MAP); make BurnIn smaller than Epochs", Training, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor ShareOfNetworkWithoutPathways = Rule("LGG4004", "Pathway share of a network without pathways",
        "Metric.{0} is a share of an ELLA network's pathways but '{1}' is [{2}], which has none; use [RelaxedCnn] for every trial or another metric", Training);

    public static readonly DiagnosticDescriptor PairMetricWithoutPairs = Rule("LGG4005", "Pair metric without an output representation",
        "Metric.{0} measures the pairs (A, B) of the joint analysis but '{1}' declares no [OutputRepresentation]; declare one, or use Metric.{2}", Training);

    public static readonly DiagnosticDescriptor UnknownSweepTarget = Rule("LGG4101", "Unknown sweep target",
        "Sweep target '{0}' {1}; write \"Attribute.Property\" for an attribute of this study{2}", Training);

    public static readonly DiagnosticDescriptor SweepValueType = Rule("LGG4102", "Sweep value of the wrong type",
        "Sweep value {0} is not a {1}, the type of {2}; give values of that type", Training);

    public static readonly DiagnosticDescriptor SweepValueOutOfRange = Rule("LGG4103", "Sweep value out of range",
        "Sweep value {0} for {1} is out of range; use {2}", Training);

    public static readonly DiagnosticDescriptor EmptySweep = Rule("LGG4104", "Sweep without values",
        "Sweep of '{0}' has no values; list at least one", Training);

    public static readonly DiagnosticDescriptor DuplicateSweep = Rule("LGG4105", "Property swept twice",
        "'{0}' is swept twice; merge the values into one [Sweep]", Training);

    public static readonly DiagnosticDescriptor BadReplicates = Rule("LGG4106", "Replicates out of range",
        "[Replicates({0})] must be from 1 to 1000 seeds", Training);

    public static readonly DiagnosticDescriptor UnknownPlotAxis = Rule("LGG4108", "Unknown plot axis",
        "Plot {0} '{1}' is not {2}; use one of: {3}", Training);

    public static readonly DiagnosticDescriptor ComparedNotExperiment = Rule("LGG4109", "Compared type is not an experiment",
        "[Compare] lists '{0}', which has no [Experiment(\"name\")]; list experiment types only", Training);

    public static readonly DiagnosticDescriptor ComparisonWithOwnSettings = Rule("LGG4110", "Comparison study with settings of its own",
        "[{0}] on comparison study '{1}' has no effect: it repeats the compared experiments as declared; remove [{0}]", Training);

    public static readonly DiagnosticDescriptor ComparisonAcrossTasks = Rule("LGG4111", "Comparison of experiments of different tasks",
        "[Compare] mixes classification ({0}) and regression ({1}) experiments; accuracy and MSE cannot share a column, so compare experiments of one task", Training);

    public static readonly DiagnosticDescriptor StudyWithoutSweep = Rule("LGG4112", "Study without a sweep",
        "Study '{0}' has no [Sweep] and no [Compare]: it repeats one configuration over its seeds; add a [Sweep], or declare an [Experiment] and run it with --seed", Training, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor StudyAttributeOnExperiment = Rule("LGG4107", "Study attribute on an experiment",
        "[{0}] only applies to studies; change [Experiment(…)] on '{1}' to [Study(…)] or remove [{0}]", Training);
}
