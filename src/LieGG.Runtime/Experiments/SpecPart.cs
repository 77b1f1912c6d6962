using LieGG.Dsl;
using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Training;

namespace LieGG.Runtime.Experiments;

/// <summary>
/// One record of an <see cref="ExperimentSpec"/> that an attribute declares — the dataset, the architecture, [Train], the
/// prior, … — with the attribute's name as declarations and overrides write it (<c>RotatedMnist</c>, <c>Train</c>), the
/// attribute type (its properties, defaults and <see cref="AllowedRangeAttribute"/>s) and how to put a changed record back.
/// </summary>
/// <param name="Group">Where the part sits in the spec, as exported columns name it: dataset, architecture, training, prior, groundTruth, analysis, analysis.Equivariance, analysis.Joint, pretrain, laplace.</param>
public sealed record SpecPart(string Group, string Attribute, Type AttributeType, object Value, Func<ExperimentSpec, object, ExperimentSpec> Replace)
{
    /// <summary>Which attribute declares each spec record.</summary>
    private static readonly IReadOnlyDictionary<Type, Type> AttributeOf = new Dictionary<Type, Type>
    {
        [typeof(O5DatasetSpec)] = typeof(O5RegressionAttribute),
        [typeof(O5EquivariantDatasetSpec)] = typeof(O5EquivariantAttribute),
        [typeof(InertiaDatasetSpec)] = typeof(InertiaAttribute),
        [typeof(MnistDatasetSpec)] = typeof(MnistAttribute),
        [typeof(QuadrantMnistDatasetSpec)] = typeof(QuadrantMnistAttribute),
        [typeof(CanvasMnistDatasetSpec)] = typeof(CanvasMnistAttribute),
        [typeof(MlpSpec)] = typeof(MlpAttribute),
        [typeof(MlpBudgetSpec)] = typeof(MlpBudgetAttribute),
        [typeof(CnnSpec)] = typeof(CnnAttribute),
        [typeof(P4CnnSpec)] = typeof(P4CnnAttribute),
        [typeof(RelaxedCnnSpec)] = typeof(RelaxedCnnAttribute),
        [typeof(TrainingOptions)] = typeof(TrainAttribute),
        [typeof(GenericPrior)] = typeof(GenericPriorAttribute),
        [typeof(SpatialPrior)] = typeof(SpatialPriorAttribute),
        [typeof(BuiltInGroundTruth)] = typeof(GroundTruthAttribute),
        [typeof(AnalysisSpec)] = typeof(AnalysisAttribute),
        [typeof(PretrainSpec)] = typeof(PretrainAttribute),
        [typeof(LaplaceSpec)] = typeof(LaplaceAttribute),
        [typeof(EquivarianceSpec)] = typeof(EquivarianceAttribute),
        [typeof(JointSpec)] = typeof(OutputRepresentationAttribute),
    };

    /// <summary>The spec records an attribute declares, with that attribute.</summary>
    public static IReadOnlyDictionary<Type, Type> Declared => AttributeOf;

    /// <summary>
    /// The parts <paramref name="spec"/> has, in declaration order (dataset, architecture, training, prior, ground truth,
    /// analysis and what it nests, pre-training, Laplace); custom datasets, models and algebras have no attribute
    /// properties and are left out.
    /// </summary>
    public static IReadOnlyList<SpecPart> Of(ExperimentSpec spec)
    {
        var parts = new List<SpecPart>();
        void Add(string group, object? value, Func<ExperimentSpec, object, ExperimentSpec> replace)
        {
            if (value is null || !AttributeOf.TryGetValue(value.GetType(), out var attribute)) return;
            if (value is MnistDatasetSpec { Rotate: true }) attribute = typeof(RotatedMnistAttribute);
            parts.Add(new SpecPart(group, attribute.Name[..^nameof(Attribute).Length], attribute, value, replace));
        }
        Add("dataset", spec.Dataset, (s, v) => s with { Dataset = (DatasetSpec)v });
        Add("architecture", spec.Architecture, (s, v) => s with { Architecture = (ArchitectureSpec)v });
        Add("training", spec.Training, (s, v) => s with { Training = (TrainingOptions)v });
        Add("prior", spec.Prior, (s, v) => s with { Prior = (ISymmetryPrior)v });
        Add("groundTruth", spec.GroundTruth, (s, v) => s with { GroundTruth = (GroundTruthSpec)v });
        Add("analysis", spec.Analysis, (s, v) => s with { Analysis = (AnalysisSpec)v });
        Add("analysis.Equivariance", spec.Analysis.Equivariance, (s, v) => s with { Analysis = s.Analysis with { Equivariance = (EquivarianceSpec)v } });
        Add("analysis.Joint", spec.Analysis.Joint, (s, v) => s with { Analysis = s.Analysis with { Joint = (JointSpec)v } });
        Add("pretrain", spec.Pretrain, (s, v) => s with { Pretrain = (PretrainSpec)v });
        Add("laplace", spec.Laplace, (s, v) => s with { Laplace = (LaplaceSpec)v });
        return parts;
    }
}
