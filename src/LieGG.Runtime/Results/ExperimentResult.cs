using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Experiments;
using LieGG.Runtime.Models;
using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Training;
using LieGG.Runtime.Training.Laplace;

namespace LieGG.Runtime.Results;

/// <summary>Train/validation/test sizes of the data a run used.</summary>
public sealed record DatasetSizes(int Train, int Validation, int Test);

/// <summary>Wall-clock seconds of a run's stages.</summary>
public sealed record RunTimings(double DataSeconds, double TrainingSeconds, double AnalysisSeconds, double TotalSeconds);

/// <summary>What one run of an experiment produced; generated result types expose it with declaration-specific names.</summary>
public sealed record ExperimentResult
{
    public required string Experiment { get; init; }

    public required int Seed { get; init; }

    public required bool Quick { get; init; }

    public required TaskKind Task { get; init; }

    /// <summary>"accuracy" (classification) or "mse" (regression).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("testMetricName")]
    public required TestMetricKind TestMetricKind { get; init; }

    public required double TestMetric { get; init; }

    /// <summary>Classification: mean −log p(target | x) over the test set; null for regression, analysis-only runs and records written before it was stored.</summary>
    public double? TestNegativeLogLikelihood { get; init; }

    public required DatasetSizes Data { get; init; }

    public required long Parameters { get; init; }

    public required int Epochs { get; init; }

    /// <summary>The --data-dir the digits came from; null when the run used the embedded or generated data.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>The data directory's images were used as given rotated digits (by --prerotated, a declaration's Prerotated, or .amat files).</summary>
    public bool Prerotated { get; init; }

    /// <summary>--pool-splits: the data directory's files were pooled and split by the seed.</summary>
    public bool PoolSplits { get; init; }

    /// <summary>The declared values this run replaced (<c>--set</c>), as "Attribute.Property=value"; empty when it ran as declared.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    /// <summary>Shape of one input and the number of outputs, as the network was built for them.</summary>
    public int[]? InputShape { get; init; }

    public int OutputSize { get; init; }

    /// <summary>The split whose inputs the polarization matrix was built from.</summary>
    public SplitName AnalysedSplit { get; init; } = SplitName.Train;

    /// <summary>
    /// The scaling the network was wrapped in (a standardised regression task: F = σ·net(x / s) + μ), with what its
    /// statistics were computed over; null for tasks without one and for records written before it was stored.
    /// </summary>
    public Standardization? Standardization { get; init; }

    /// <summary>Where the run's time went, stage by stage (nested); null for analyses and for records written before it was stored.</summary>
    public IReadOnlyList<ProfileStage>? Profile { get; init; }

    /// <summary>The units the test metric and the analysis are in, for a standardised regression task; null otherwise (and in older records, whose O(5) numbers are in standardised units).</summary>
    public RegressionUnits? Units { get; init; }

    /// <summary>The trained network's state dict in the run folder (safetensors), or null when it was not saved.</summary>
    public string? ModelFile { get; init; }

    /// <summary>Set when this result analyses a network trained elsewhere (a run folder or a model file) instead of training one.</summary>
    public string? AnalysisOf { get; init; }

    /// <summary>Where each split came from and what was done to the images (MNIST datasets); null when the dataset does not say.</summary>
    public DataProvenance? DataSource { get; init; }

    /// <summary>What training minimised and what the analysis differentiated; null in records written before it was stored.</summary>
    public OutputProtocol? Outputs { get; init; }

    public required TrainingResult Training { get; init; }

    public required SymmetryResult Symmetry { get; init; }

    public IReadOnlyList<LayerSymmetry>? Layers { get; init; }

    /// <summary>The layer-by-layer equivariance analysis, when the declaration or <c>analyze --equivariance</c> asked for it.</summary>
    public Symmetry.Equivariance.EquivarianceResult? Equivariance { get; init; }

    /// <summary>The joint analysis of pairs (A, B) on input and output, when the declaration or <c>analyze --output</c> asked for it.</summary>
    public Symmetry.Joint.JointSymmetryResult? Joint { get; init; }

    /// <summary>ELLA networks: learned (or fixed) prior precisions, γ per tensor, pathway shares per layer, marginal likelihood.</summary>
    public LaplaceResult? Laplace { get; init; }

    /// <summary>The first analysed training input, for image priors (reports move it along the learned generators).</summary>
    public ExampleImage? Example { get; init; }

    public required RunTimings Timings { get; init; }

    /// <summary>CPU threads libtorch computed with. Results depend on it through float round-off (reductions split differently); 0 in records written before it was stored.</summary>
    public int Threads { get; init; }
}
