using System.Globalization;
using System.Reflection;
using LieGG.Dsl;
using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Training;

namespace LieGG.Runtime.Experiments;

/// <summary>
/// Checks a spec's numbers against the ranges the DSL declares on its attributes ([AllowedRange]): the analyzers check
/// declarations at compile time, this checks specs built or changed in code (<c>spec with { … }</c>) before any
/// training, with the same rule and the same words.
/// </summary>
public static class SpecRanges
{
    /// <summary>Which attribute declares each spec record's properties.</summary>
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
        [typeof(AnalysisSpec)] = typeof(AnalysisAttribute),
        [typeof(PretrainSpec)] = typeof(PretrainAttribute),
        [typeof(LaplaceSpec)] = typeof(LaplaceAttribute),
        [typeof(EquivarianceSpec)] = typeof(EquivarianceAttribute),
        [typeof(JointSpec)] = typeof(OutputRepresentationAttribute),
    };

    /// <summary>The spec records whose values are range-checked, with the attribute that declares their ranges.</summary>
    public static IReadOnlyDictionary<Type, Type> Checked => AttributeOf;

    /// <exception cref="ExperimentSetupException">A value lies outside its declared range; the message names the attribute, the property and the range.</exception>
    public static void Check(ExperimentSpec spec)
    {
        object?[] parts = [spec.Dataset, spec.Architecture, spec.Training, spec.Prior, spec.Analysis, spec.Pretrain, spec.Laplace, spec.Analysis.Equivariance, spec.Analysis.Joint];
        foreach (var part in parts)
        {
            if (part is null || !AttributeOf.TryGetValue(part.GetType(), out var attribute)) continue;
            foreach (var property in attribute.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetCustomAttribute<AllowedRangeAttribute>() is not { } range) continue;
                if (part.GetType().GetProperty(property.Name)?.GetValue(part) is not IConvertible value) continue;
                double number = value.ToDouble(CultureInfo.InvariantCulture);
                if (!range.Allows(number))
                    throw new ExperimentSetupException(
                        $"Experiment '{spec.Name}': [{Name(attribute, part)}] {property.Name} = {value.ToString(CultureInfo.InvariantCulture)} is out of range; allowed: {range.Allowed}.");
            }
        }
    }

    private static string Name(Type attribute, object part)
    {
        if (part is MnistDatasetSpec { Rotate: true }) attribute = typeof(RotatedMnistAttribute);
        return attribute.Name[..^"Attribute".Length];
    }
}
