using System.Linq;

namespace LieGG.Dsl.Generators.Model;

/// <summary>One argument of a DSL attribute, e.g. ("Width", integer 128) or ("source", typeof global::My.Data).</summary>
/// <param name="Name">Property name, or the constructor parameter's name for constructor arguments.</param>
/// <param name="IsUsable">False for a type the generated code could not instantiate (abstract, no public parameterless constructor, wrong interface): the analyzers report it and nothing is emitted.</param>
internal sealed record ArgumentModel(string Name, ConstantModel Value, bool IsUsable = true)
{
    public bool IsType => Value.Kind == ConstantKind.Type;
}

/// <summary>One DSL attribute: its short name ("Mlp", "RotatedMnist", …) and the arguments the user wrote.</summary>
internal sealed record AttributeModel(string Name, EquatableArray<ArgumentModel> Arguments)
{
    public ArgumentModel? Find(string name)
    {
        foreach (var argument in Arguments)
            if (argument.Name == name) return argument;
        return null;
    }
}

/// <summary>One [Sweep]: the swept attribute and property, the property's C# type, and the values.</summary>
internal sealed record SweepModel(string Attribute, string Property, string PropertyType, bool IsNumeric, EquatableArray<ConstantModel> Values);

/// <summary>A pair of metrics to correlate (member names of LieGG.Dsl.Metric).</summary>
internal sealed record CorrelationModel(string X, string Y);

/// <summary>A declared study figure; Y is a LieGG.Dsl.Metric member name.</summary>
internal sealed record PlotModel(string X, string Y, string? Series, bool LogX, bool LogY);

/// <summary>An experiment a comparison study repeats: its type (global:: name) and experiment name.</summary>
internal sealed record ComparedModel(string Type, string Name);

/// <summary>What makes a declaration a study: its sweeps (or compared experiments), replicate seeds, correlations and figures.</summary>
internal sealed record StudyModel(
    EquatableArray<SweepModel> Sweeps,
    int Replicates,
    EquatableArray<CorrelationModel> Correlations,
    EquatableArray<PlotModel> Plots = default,
    EquatableArray<ComparedModel> Compared = default,
    string? Reference = null)
{
    public bool IsComparison => Compared.Count > 0;

    /// <summary>Sweeps with known targets and at least one value; others are analyzer errors and stop emission.</summary>
    public bool IsValid => Replicates >= 1 && Sweeps.All(s => s.PropertyType.Length > 0 && s.Values.Count > 0)
        && Compared.All(c => c.Name.Length > 0) && (!IsComparison || Sweeps.Count == 0);
}

/// <summary>
/// Everything the emitter needs to know about one declared experiment or study: names, primitives and typed constants
/// only, so the incremental pipeline caches it by value.
/// </summary>
internal sealed record ExperimentModel(
    string? Namespace,
    string TypeName,
    string Keyword,
    string Accessibility,
    string ExperimentName,
    string? Description,
    AttributeModel? Dataset,
    AttributeModel? Architecture,
    AttributeModel? Train,
    AttributeModel? Prior,
    AttributeModel? GroundTruth,
    AttributeModel? Analysis,
    StudyModel? Study = null,
    AttributeModel? Pretrain = null,
    AttributeModel? Laplace = null,
    AttributeModel? Equivariance = null,
    AttributeModel? Joint = null)
{
    /// <summary>Only complete declarations are emitted; the analyzers explain what is missing.</summary>
    public bool IsComplete => ExperimentName.Length > 0 && (Study is null || Study.IsValid)
        && (Study is { IsComparison: true } || (Dataset is not null && Architecture is not null && Train is not null && Prior is not null))
        && new[] { Dataset, Architecture, Train, Prior, GroundTruth, Analysis, Pretrain, Laplace, Equivariance, Joint }.All(a => a is null || a.Arguments.All(argument => argument.IsUsable));

    public bool IsStudy => Study is not null;

    public string FullTypeName => Namespace is null ? TypeName : $"{Namespace}.{TypeName}";

    public string ResultTypeName => TypeName + "Result";

    public bool IsRegression => Dataset?.Name switch
    {
        "O5Regression" or "O5Equivariant" or "Inertia" => true,
        "Dataset" => Dataset.Find("Task")?.Value.IsEnumMember("global::LieGG.Dsl.TaskKind", "Regression") == true,
        _ => false,
    };

    /// <summary>An ELLA network: its result carries priors, γ and pathway shares.</summary>
    public bool IsRelaxed => Architecture?.Name == "RelaxedCnn";

    public bool IsLayerWise => Analysis?.Find("LayerWise")?.Value is { Kind: ConstantKind.Boolean, Boolean: true };
}
