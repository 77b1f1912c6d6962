namespace LieGG.Dsl.Generators.Parsing;

/// <summary>Metadata names of the DSL attributes and which group each belongs to.</summary>
internal static class AttributeNames
{
    public const string Namespace = "LieGG.Dsl";
    public const string Experiment = "LieGG.Dsl.ExperimentAttribute";
    public const string Study = "LieGG.Dsl.StudyAttribute";

    /// <summary>Attributes that belong to a study rather than to the experiment it repeats.</summary>
    public static readonly string[] StudyOnly = ["Study", "Sweep", "Replicates", "Correlate", "Plot", "Compare"];

    /// <summary>A static method of this name taking a ModelContext declares the architecture in code.</summary>
    public const string BuildNetworkMethod = "BuildNetwork";

    public const string ModelContext = "LieGG.Runtime.Experiments.ModelContext";

    public static readonly string[] Datasets = ["O5Regression", "O5Equivariant", "Inertia", "Mnist", "RotatedMnist", "QuadrantMnist", "CanvasMnist", "Dataset"];
    public static readonly string[] Architectures = ["Mlp", "MlpBudget", "Cnn", "P4Cnn", "RelaxedCnn", "Model"];
    public static readonly string[] Trainings = ["Train"];
    public static readonly string[] Priors = ["GenericPrior", "SpatialPrior"];
    public static readonly string[] GroundTruths = ["GroundTruth"];
    public static readonly string[] Analyses = ["Analysis"];
    public static readonly string[] Pretrainings = ["Pretrain"];
    public static readonly string[] Laplaces = ["Laplace"];
    public static readonly string[] Equivariances = ["Equivariance"];
    public static readonly string[] Joints = ["OutputRepresentation"];

    /// <summary>"LieGG.Dsl.MlpAttribute" → "Mlp"; null for attributes outside the DSL.</summary>
    public static string? ShortName(string? metadataName)
    {
        const string suffix = "Attribute";
        if (metadataName is null || !metadataName.StartsWith(Namespace + ".", System.StringComparison.Ordinal) || !metadataName.EndsWith(suffix, System.StringComparison.Ordinal))
            return null;
        return metadataName.Substring(Namespace.Length + 1, metadataName.Length - Namespace.Length - 1 - suffix.Length);
    }
}
