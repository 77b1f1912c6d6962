using static LieGG.Dsl.Generators.Diagnostics.DiagnosticDescriptors;

namespace LieGG.Dsl.Generators.Diagnostics;

/// <summary>
/// LGG3xxx: the symmetry side — a prior that fits the inputs, a ground truth that fits the prior, an analysis the outputs
/// allow, exact symmetries the architecture can keep, an output representation that fits the task.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SymmetryRulesAnalyzer : DeclarationAnalyzer
{
    /// <summary>The generic prior's n×n generators above this many entries make the polarization matrix impractically wide.</summary>
    private const int GenericEntriesLimit = 1024;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        OutOfRange, WrongType, SpatialOnVectors, GenericSizeMismatch, AlgebraShapeMismatch, GenericOnLargeInput, TransformOfSingleOutput,
        ExactSymmetryImpossible, ExactElementsOnVectors, OutputRepresentationSize, OutputRepresentationMisfit, UnitsWithoutStandardization);

    private protected override void Analyze(DeclarationFacts facts, Reporter report, SymbolAnalysisContext context, object? compilationState)
    {
        if (facts.IsComparison) return;
        if (facts.Prior is { } prior) CheckPrior(report, prior, facts.Data);
        if (facts.GroundTruth is { } groundTruth) CheckGroundTruth(report, groundTruth, facts.Prior, facts.Interfaces);
        if (facts.Analysis is { } analysis) CheckAnalysis(report, analysis, facts.Data);
        if (facts.Equivariance is { } equivariance) CheckEquivariance(report, equivariance, facts.Architecture, facts.Prior);
        if (facts.Joint is { } joint) CheckJoint(report, joint, facts.Prior, facts.Data, facts.GroundTruth);
    }

    private static void CheckPrior(Reporter report, DslAttribute prior, DatasetFacts? data)
    {
        if (prior.Name == "SpatialPrior")
        {
            if (data?.Shape is { Length: 1 } vector)
                report.At(prior.Location, SpatialOnVectors, data.Source, vector[0]);
            return;
        }
        report.Ranges(prior);
        int dimension = prior.Int("Dimension") ?? Defaults.GenericPriorDimension, copies = prior.Int("Copies") ?? 1, scalars = prior.Int("Scalars") ?? 0;
        if (dimension < 1 || copies < 1 || scalars < 0) return;
        if (data?.InputSize is { } size && (long)dimension * copies + scalars != size)
            report.At(prior.ArgumentLocation("Dimension"), GenericSizeMismatch, dimension, copies, (long)dimension * copies + scalars, data.Source, size);
        if ((long)dimension * dimension > GenericEntriesLimit)
            report.At(prior.ArgumentLocation("Dimension"), GenericOnLargeInput, dimension, (long)dimension * dimension);
    }

    private static void CheckGroundTruth(Reporter report, DslAttribute groundTruth, DslAttribute? prior, RuntimeInterfaces interfaces)
    {
        if (groundTruth.Data.ConstructorArguments.Length > 0 && groundTruth.Data.ConstructorArguments[0].Kind == TypedConstantKind.Type)
        {
            report.TypeImplements(groundTruth, 0, interfaces.LieAlgebra, "LieGG.Runtime.Symmetry.ILieAlgebra");
            return;
        }
        if (prior is null || groundTruth.ConstructorEnum<Group>(0) is not { } group) return;
        bool spatial = prior.Name == "SpatialPrior";
        bool affine = spatial && prior.Named("Affine")?.Value is true;
        int dimension = spatial ? 2 : prior.Int("Dimension") ?? Defaults.GenericPriorDimension;
        if (DeclarationRules.GroundTruthFitsPrior(group.ToString(), spatial, affine, dimension) is { } misfit)
            report.At(groundTruth.ConstructorLocation(0), AlgebraShapeMismatch, group.ToString(), misfit.Fault, misfit.Fix);
    }

    private static void CheckAnalysis(Reporter report, DslAttribute analysis, DatasetFacts? data)
    {
        report.Ranges(analysis);
        if (data is { Outputs: 1 } && analysis.Enum<OutputTransform>("Transform") == OutputTransform.L2Normalize)
            report.At(analysis.ArgumentLocation("Transform"), TransformOfSingleOutput, data.Source);
        // Custom datasets may carry a standardization of their own (TensorDataset.Standardization): only built-ins are known here.
        if (data is not null && analysis.Enum<RegressionUnits>("Units") == RegressionUnits.Standardized && DeclarationRules.StandardizedUnitsFault(data.Attribute, data.Regression) is { } fault)
            report.At(analysis.ArgumentLocation("Units"), UnitsWithoutStandardization, data.Source, fault);
    }

    /// <summary>An exact symmetry the architecture cannot have (EQUIVARIANCE.md §4); custom architectures are the author's claim and are measured only.</summary>
    private static void CheckEquivariance(Reporter report, DslAttribute equivariance, DslAttribute? architecture, DslAttribute? prior)
    {
        report.Ranges(equivariance);
        if (equivariance.Enum<SymmetryElements>("Exact") is not { } exact) return;
        var location = equivariance.ArgumentLocation("Exact");
        if (exact != SymmetryElements.None && prior?.Name == "GenericPrior")
        {
            report.At(location, ExactElementsOnVectors, exact.ToString());
            return;
        }
        if (architecture is null) return;
        var pathways = architecture.Name == "RelaxedCnn" ? architecture.Enum<Pathways>("Pathways") ?? Defaults.RelaxedPathways : 0;
        foreach (var (element, fault, fix) in DeclarationRules.ExactSymmetryFaults((int)exact, architecture.Name, (int)pathways))
            report.At(location, ExactSymmetryImpossible, element, architecture.Name, fault, fix);
    }

    /// <summary>
    /// What the declaration fixes about the joint analysis: B needs the generic prior's Rⁿ, outputs that are copies of it or a
    /// tensor on it (sizes known for the built-in datasets), a task whose outputs the group can act on (not class logits),
    /// and a pair truth that fits the representation.
    /// </summary>
    private static void CheckJoint(Reporter report, DslAttribute joint, DslAttribute? prior, DatasetFacts? data, DslAttribute? groundTruth)
    {
        report.Ranges(joint);
        if (joint.ConstructorEnum<OutputSpace>(0) is not { } kind) return;
        var at = joint.ConstructorLocation(0);
        bool diagonal = (joint.Enum<PairTruth>("Truth") ?? PairTruth.Diagonal) == PairTruth.Diagonal;
        if (kind == OutputSpace.Invariant)
        {
            if (diagonal && groundTruth is not null && joint.Named("Truth") is not null)
                report.At(joint.ArgumentLocation("Truth"), OutputRepresentationMisfit, kind.ToString(), "leaves the outputs alone, so pairs (h, h) that move them cannot be its truth", "use Truth = PairTruth.InputOnly");
            return;
        }
        if (data is { Regression: false })
        {
            report.At(at, OutputRepresentationMisfit, kind.ToString(), $"acts on the outputs of {data.Source}, a classification task whose outputs are class scores the group does not move", "use OutputSpace.Invariant (LieGG's analysis) or a regression task");
            return;
        }
        if (prior?.Name == "SpatialPrior")
        {
            report.At(at, OutputRepresentationMisfit, kind.ToString(), "acts on copies of the input's space Rⁿ, but [SpatialPrior] acts on the image plane", "analyse vector data with [GenericPrior], or use OutputSpace.Invariant");
            return;
        }
        if (prior?.Name != "GenericPrior") return;
        int n = prior.Int("Dimension") ?? Defaults.GenericPriorDimension;
        if (n < 1 || data?.Outputs is not { } outputs) return;
        if (kind == OutputSpace.Vectors)
        {
            int copies = joint.Int("Copies") ?? 1;
            if (copies >= 1 && (long)copies * n != outputs)
                report.At(joint.Named("Copies") is null ? at : joint.ArgumentLocation("Copies"), OutputRepresentationSize, kind.ToString(), $"with Copies = {copies} on R^{n} needs {(long)copies * n} outputs", data.Source, outputs,
                    outputs % n == 0 ? $"set Copies = {outputs / n}" : $"{outputs} is not a multiple of n = {n}: the outputs are not copies of the input's space (declare Dimension as the space they share, or OutputSpace.Tensor / Invariant)");
        }
        else if (kind == OutputSpace.Tensor && (long)n * n != outputs)
            report.At(at, OutputRepresentationSize, kind.ToString(), $"on R^{n} needs {n * n} outputs (an n × n tensor)", data.Source, outputs,
                "use OutputSpace.Vectors for vector outputs, or the prior's Dimension the tensor is on");
    }
}
