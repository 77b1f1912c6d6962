using LieGG.Dsl.Generators.Parsing;

namespace LieGG.Dsl.Generators.Diagnostics;

/// <summary>
/// What one declared type says, read once per analyzer from its attributes: the experiment or study attribute (null when
/// the type has DSL attributes without either), the first attribute of each group (duplicates are the usage analyzer's to
/// report), and what is known about its dataset before anything runs. Every analyzer family checks its own concern
/// against these facts.
/// </summary>
/// <param name="ExperimentName">The declared name, or the type's name while it has none (for messages).</param>
internal sealed record DeclarationFacts(
    INamedTypeSymbol Type, IReadOnlyList<DslAttribute> Attributes, DslAttribute? Experiment, string ExperimentName, RuntimeInterfaces Interfaces,
    DslAttribute? Dataset, DslAttribute? Architecture, DslAttribute? Training, DslAttribute? Prior, DslAttribute? GroundTruth, DslAttribute? Analysis,
    DslAttribute? Pretrain, DslAttribute? Laplace, DslAttribute? Equivariance, DslAttribute? Joint, DslAttribute? Compare, DatasetFacts? Data)
{
    public bool IsStudy => Experiment?.Name == "Study";

    /// <summary>A study that repeats other experiments ([Compare]) instead of declaring its own.</summary>
    public bool IsComparison => IsStudy && Compare is not null;

    /// <summary>The facts of a type with DSL attributes; null for any other type.</summary>
    public static DeclarationFacts? Of(INamedTypeSymbol type, RuntimeInterfaces interfaces)
    {
        var attributes = type.GetAttributes()
            .Select(a => (Data: a, Name: AttributeNames.ShortName(a.AttributeClass?.ToDisplayString())))
            .Where(a => a.Name is not null)
            .Select(a => new DslAttribute(a.Name!, a.Data))
            .ToList();
        if (attributes.Count == 0) return null;
        DslAttribute? First(params string[] group) => attributes.FirstOrDefault(a => Array.IndexOf(group, a.Name) >= 0);
        var experiment = First("Experiment", "Study");
        var dataset = First(AttributeNames.Datasets);
        string name = experiment?.Data.ConstructorArguments.FirstOrDefault().Value as string ?? "";
        return new DeclarationFacts(type, attributes, experiment, name.Length > 0 ? name : type.Name, interfaces,
            dataset, First(AttributeNames.Architectures), First(AttributeNames.Trainings), First(AttributeNames.Priors), First(AttributeNames.GroundTruths),
            First(AttributeNames.Analyses), First(AttributeNames.Pretrainings), First(AttributeNames.Laplaces), First(AttributeNames.Equivariances),
            First(AttributeNames.Joints), First("Compare"), dataset is null ? null : DatasetFacts.Of(dataset));
    }

    /// <summary>The architecture attribute an experiment type declares, "BuildNetwork" for a model-building method, else null.</summary>
    public static string? ArchitectureOf(INamedTypeSymbol experiment)
        => experiment.GetAttributes().Select(a => AttributeNames.ShortName(a.AttributeClass?.ToDisplayString())).FirstOrDefault(n => AttributeNames.Architectures.Contains(n))
           ?? (ExperimentParser.HasBuildNetwork(experiment) ? "BuildNetwork" : null);

    /// <summary>Whether an experiment type's dataset is a regression task (as its generated result's TestMse says).</summary>
    public static bool IsRegression(INamedTypeSymbol experiment)
    {
        foreach (var attribute in experiment.GetAttributes())
        {
            var name = AttributeNames.ShortName(attribute.AttributeClass?.ToDisplayString());
            if (name is "O5Regression" or "O5Equivariant" or "Inertia") return true;
            if (name == "Dataset")
                return new DslAttribute(name, attribute).Enum<TaskKind>("Task") == TaskKind.Regression;
        }
        return false;
    }
}

/// <summary>What the analyzers know about a built-in dataset before anything runs (shapes from the DSL's <see cref="Defaults"/>).</summary>
internal sealed record DatasetFacts(string Source, int[]? Shape, int? Outputs, bool Regression)
{
    public long? InputSize => Shape?.Aggregate(1L, (a, b) => a * b);

    public static DatasetFacts Of(DslAttribute dataset) => dataset.Name switch
    {
        "O5Regression" => new("[O5Regression]", [10], 1, true),
        "O5Equivariant" => new("[O5Equivariant]", [10], 5, true),
        "Inertia" => new("[Inertia]", [20], 9, true),
        "Mnist" or "RotatedMnist" => new($"[{dataset.Name}]", [Defaults.MnistSide, Defaults.MnistSide], Defaults.MnistClasses, false),
        "CanvasMnist" => new("[CanvasMnist]", Square(dataset.Int("Canvas") ?? Defaults.CanvasMnistCanvas), Defaults.MnistClasses, false),
        "QuadrantMnist" => new("[QuadrantMnist]", Square(dataset.Int("Canvas") ?? Defaults.QuadrantCanvas),
            dataset.Enum<QuadrantTask>("Labels") == QuadrantTask.DigitQuadrant ? 4 * Defaults.MnistClasses : Defaults.MnistClasses, false),
        _ => new(
            $"[Dataset(typeof({(dataset.Data.ConstructorArguments.FirstOrDefault().Value as ITypeSymbol)?.Name}))]",
            dataset.Named("InputShape") is { IsNull: false } shape ? shape.Values.Select(v => v.Value as int? ?? 0).ToArray() : null,
            null,
            dataset.Enum<TaskKind>("Task") == TaskKind.Regression),
    };

    private static int[] Square(int side) => [side, side];

    /// <summary>The attribute's name as the shared rules take it ("O5Regression").</summary>
    public string Attribute => Source.Trim('[', ']');
}

/// <summary>The runtime interfaces user types must implement (null when the runtime is not referenced).</summary>
internal sealed class RuntimeInterfaces(Compilation compilation)
{
    public INamedTypeSymbol? DatasetSource { get; } = compilation.GetTypeByMetadataName("LieGG.Runtime.Experiments.IDatasetSource");
    public INamedTypeSymbol? ModelFactory { get; } = compilation.GetTypeByMetadataName("LieGG.Runtime.Experiments.IModelFactory");
    public INamedTypeSymbol? LieAlgebra { get; } = compilation.GetTypeByMetadataName("LieGG.Runtime.Symmetry.ILieAlgebra");
}
