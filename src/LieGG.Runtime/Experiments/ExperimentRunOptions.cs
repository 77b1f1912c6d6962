using LieGG.Dsl;
using LieGG.Runtime.Symmetry;
using static TorchSharp.torch;

namespace LieGG.Runtime.Experiments;

/// <summary>Per-run settings that override the declaration (the CLI's options).</summary>
public sealed record ExperimentRunOptions
{
    /// <summary>Replaces the declared epoch count.</summary>
    public int? Epochs { get; init; }

    /// <summary>Replaces the declared seed (data, weights, batch order).</summary>
    public int? Seed { get; init; }

    /// <summary>A smoke-size run (<see cref="QuickRun"/>).</summary>
    public bool Quick { get; init; }

    /// <summary>MNIST IDX files to use instead of the embedded digits.</summary>
    public string? DataDirectory { get; init; }

    /// <summary><see cref="DataDirectory"/> as an absolute path, as results record it; null for the embedded data.</summary>
    public string? DataDirectoryFullPath => DataDirectory is { } directory ? Path.GetFullPath(directory) : null;

    /// <summary>The data directory's images are rotated digits: use them as they are (rotated-MNIST declarations only).</summary>
    public bool Prerotated { get; init; }

    /// <summary>Pool the data directory's train/validation/test files and split them by the seed, instead of keeping their split.</summary>
    public bool PoolSplits { get; init; }

    /// <summary>Replaces the declared spatial prior's coordinate convention.</summary>
    public SpatialConvention? Convention { get; init; }

    /// <summary>ELLA networks: also measure KFAC against the exact GGN at the final weights and priors (up to 5 000 prior parameters).</summary>
    public bool CheckLaplace { get; init; }

    /// <summary>Which split's inputs the polarization matrix is built from; null = the dataset's protocol decides (<see cref="DatasetSpec.AnalysedSplit"/>: training inputs, or all for the LieGG authors' O(5) protocol).</summary>
    public SplitName? AnalysisSplit { get; init; }

    /// <summary>Replaces the declared units of a standardised regression task (<see cref="AnalysisSpec.Units"/>).</summary>
    public RegressionUnits? Units { get; init; }

    /// <summary>Declared values replaced for this run (<c>--set Attribute.Property=value</c>), applied in order by <see cref="ApplyTo"/>.</summary>
    public IReadOnlyList<SpecOverride> Overrides { get; init; } = [];

    /// <summary>Where the trained network's state dict is written (safetensors); null = not saved.</summary>
    public string? WeightsFile { get; init; }

    public int? Threads { get; init; }

    public string Device { get; init; } = "cpu";

    /// <summary>
    /// The declaration as this run uses it: <see cref="Overrides"/> applied, then <see cref="Units"/> and
    /// <see cref="Convention"/>. Idempotent, so records, stale-trial checks and the run itself all see the same spec.
    /// </summary>
    /// <exception cref="ExperimentSetupException">An override does not fit the experiment, or a convention is given for an experiment without a spatial prior.</exception>
    public ExperimentSpec ApplyTo(ExperimentSpec spec)
    {
        spec = SpecOverrides.Apply(spec, Overrides);
        if (Units is { } units && units != spec.Analysis.Units)
        {
            if (spec.Dataset.Task != TaskKind.Regression)
                throw new ExperimentSetupException($"--units chooses a regression task's units, but experiment '{spec.Name}' is a classification task; drop --units for it.");
            spec = spec with { Analysis = spec.Analysis with { Units = units } };
        }
        if (Convention is not { } convention) return spec;
        if (spec.Prior is not SpatialPrior spatial)
            throw new ExperimentSetupException($"--convention sets the spatial prior's coordinates, but experiment '{spec.Name}' uses the {spec.Prior.Description}; drop --convention for it.");
        return spec with { Prior = spatial with { Convention = convention } };
    }

    /// <summary>The split whose inputs the polarization matrix of <paramref name="spec"/> takes: <see cref="AnalysisSplit"/>, else the dataset's protocol's.</summary>
    public SplitName AnalysedSplitFor(ExperimentSpec spec) => AnalysisSplit ?? spec.Dataset.AnalysedSplit();

    /// <summary>The data directory a run of <paramref name="dataset"/> reads and records: null when that dataset ignores it.</summary>
    public string? DataDirectoryFor(DatasetSpec dataset) => dataset.ReadsDataDirectory() ? DataDirectoryFullPath : null;

    /// <summary>The epochs a run of a declaration with <paramref name="declared"/> epochs trains for: an explicit <see cref="Epochs"/> (or <c>--set Train.Epochs</c>) wins over <see cref="Quick"/>.</summary>
    public int EpochsFor(int declared) => Epochs ?? (Quick && !SetsEpochs ? QuickRun.Epochs(declared) : declared);

    /// <summary>Whether an override sets the epoch count, which then is the run's (not shortened by <see cref="Quick"/>).</summary>
    private bool SetsEpochs => Overrides.Any(o => string.Equals(o.Target, $"Train.{nameof(Training.TrainingOptions.Epochs)}", StringComparison.OrdinalIgnoreCase));
}
