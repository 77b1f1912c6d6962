using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using LieGG.Runtime.Experiments;
using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Symmetry.Equivariance;
using LieGG.Runtime.Training;

namespace LieGG.Runtime.Results;

/// <summary>
/// How an <see cref="ExperimentSpec"/> is written into result.json and read back: each family — dataset, architecture,
/// prior, ground truth, group element — polymorphic by <c>"kind"</c>, the record's type name; of every record only the
/// values it is built from (constructor parameters and init properties), never computed ones, and never a custom
/// spec's factory (a custom dataset, model or algebra is recorded by its type name and its own properties; read back,
/// it describes the run but cannot build anything).
/// </summary>
internal static class SpecJson
{
    private static readonly IReadOnlyDictionary<Type, Type[]> Families = new Dictionary<Type, Type[]>
    {
        [typeof(DatasetSpec)] = [typeof(O5DatasetSpec), typeof(O5EquivariantDatasetSpec), typeof(InertiaDatasetSpec), typeof(MnistDatasetSpec), typeof(QuadrantMnistDatasetSpec), typeof(CanvasMnistDatasetSpec), typeof(InputFileDatasetSpec), typeof(CustomDatasetSpec)],
        [typeof(ArchitectureSpec)] = [typeof(MlpSpec), typeof(MlpBudgetSpec), typeof(CnnSpec), typeof(P4CnnSpec), typeof(RelaxedCnnSpec), typeof(CustomModelSpec)],
        [typeof(ISymmetryPrior)] = [typeof(GenericPrior), typeof(SpatialPrior)],
        [typeof(GroundTruthSpec)] = [typeof(BuiltInGroundTruth), typeof(CustomGroundTruth)],
        [typeof(GroupElement)] = [typeof(Rotation90), typeof(CyclicShift), typeof(Flip)],
    };

    /// <summary>The discriminator's name, as schema-2 settings named it too.</summary>
    public const string Kind = "kind";

    /// <summary>A <see cref="DefaultJsonTypeInfoResolver"/> modifier: polymorphism for the families, settable values only for spec records.</summary>
    public static void Modify(JsonTypeInfo info)
    {
        if (Families.TryGetValue(info.Type, out var derived))
        {
            info.PolymorphismOptions = new JsonPolymorphismOptions { TypeDiscriminatorPropertyName = Kind, UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization };
            foreach (var type in derived) info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(type, type.Name));
        }
        if (info.Kind != JsonTypeInfoKind.Object || !IsSpecRecord(info.Type)) return;
        foreach (var property in info.Properties.ToList())
        {
            if (property.Set is null) info.Properties.Remove(property);
            // Kept (a constructor parameter binds to it, and reads null) but never written.
            else if (typeof(Delegate).IsAssignableFrom(property.PropertyType)) property.ShouldSerialize = static (_, _) => false;
        }
    }

    private static bool IsSpecRecord(Type type)
        => type.Namespace == typeof(ExperimentSpec).Namespace || type == typeof(TrainingOptions)
           || typeof(ISymmetryPrior).IsAssignableFrom(type) || typeof(GroupElement).IsAssignableFrom(type);
}
