using System.Diagnostics;
using System.Runtime.InteropServices;
using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Models;
using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Training;
using LieGG.Runtime.Training.Laplace;
using LieGG.Runtime.Models.Relaxed;
using TorchSharp;
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

    /// <summary>Which split's inputs the polarization matrix is built from (the paper: training inputs).</summary>
    public SplitName AnalysisSplit { get; init; } = SplitName.Train;

    /// <summary>Where the trained network's state dict is written (safetensors); null = not saved.</summary>
    public string? WeightsFile { get; init; }

    public int? Threads { get; init; }

    public string Device { get; init; } = "cpu";

    /// <summary>
    /// The declaration as this run analyses it: <see cref="Convention"/> replaces the spatial prior's. Idempotent, so
    /// records, stale-trial checks and the run itself all see the same spec.
    /// </summary>
    /// <exception cref="ExperimentSetupException">A convention is given for an experiment without a spatial prior.</exception>
    public ExperimentSpec ApplyTo(ExperimentSpec spec)
    {
        if (Convention is not { } convention) return spec;
        if (spec.Prior is not SpatialPrior spatial)
            throw new ExperimentSetupException($"--convention sets the spatial prior's coordinates, but experiment '{spec.Name}' uses the {spec.Prior.Description}; drop --convention for it.");
        return spec with { Prior = spatial with { Convention = convention } };
    }

    /// <summary>The data directory a run of <paramref name="dataset"/> reads and records: null when that dataset ignores it.</summary>
    public string? DataDirectoryFor(DatasetSpec dataset) => dataset.ReadsDataDirectory() ? DataDirectoryFullPath : null;

    /// <summary>The epochs a run of a declaration with <paramref name="declared"/> epochs trains for: an explicit <see cref="Epochs"/> wins over <see cref="Quick"/>.</summary>
    public int EpochsFor(int declared) => Epochs ?? (Quick ? QuickRun.Epochs(declared) : declared);
}

/// <summary>A dataset split by name.</summary>
public enum SplitName
{
    Train,
    Validation,
    Test,
}

/// <summary>Where a run is.</summary>
/// <param name="Stage">"data", "training", "analysis" or "done".</param>
/// <param name="Epoch">The last finished epoch while training, else null.</param>
public sealed record ExperimentProgress(string Experiment, string Stage, EpochProgress? Epoch);

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
    public required string TestMetricName { get; init; }

    public required double TestMetric { get; init; }

    public required DatasetSizes Data { get; init; }

    public required long Parameters { get; init; }

    public required string Prior { get; init; }

    public required int Epochs { get; init; }

    /// <summary>The --data-dir the digits came from; null when the run used the embedded or generated data.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>--prerotated: the data directory's images were used as rotated digits.</summary>
    public bool Prerotated { get; init; }

    /// <summary>--pool-splits: the data directory's files were pooled and split by the seed.</summary>
    public bool PoolSplits { get; init; }

    /// <summary>Shape of one input and the number of outputs, as the network was built for them.</summary>
    public int[]? InputShape { get; init; }

    public int OutputSize { get; init; }

    /// <summary>The split whose inputs the polarization matrix was built from.</summary>
    public SplitName AnalysedSplit { get; init; } = SplitName.Train;

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

    /// <summary>ELLA networks: learned (or fixed) prior precisions, γ per tensor, pathway shares per layer, marginal likelihood.</summary>
    public LaplaceResult? Laplace { get; init; }

    /// <summary>The first analysed training input, for image priors (reports move it along the learned generators).</summary>
    public ExampleImage? Example { get; init; }

    public required RunTimings Timings { get; init; }
}

/// <summary>What a run trained on and what it analysed, in words (e.g. raw logits for training, L2-normalised logits for the analysis).</summary>
public sealed record OutputProtocol(string Trained, string Analysed)
{
    public static OutputProtocol Of(nn.Module<Tensor, Tensor> model, TaskKind task, Loss loss, OutputTransform transform)
    {
        string outputs = model is L2NormalizedOutput ? "L2-normalised logits (the network normalises them, so training sees them too)" : task == TaskKind.Classification ? "raw logits" : "raw outputs";
        return new OutputProtocol($"{(loss == Loss.CrossEntropy ? "cross-entropy" : "mean squared error")} on {outputs}", AnalysedOutput(transform));
    }

    /// <summary>A network analysed here but trained elsewhere.</summary>
    public static OutputProtocol NotTrainedHere(OutputTransform transform) => new("not trained here", AnalysedOutput(transform));

    private static string AnalysedOutput(OutputTransform transform) => transform switch
    {
        OutputTransform.L2Normalize => "L2-normalised outputs F/‖F‖",
        OutputTransform.Softmax => "softmax probabilities",
        OutputTransform.LogSoftmax => "log-softmax",
        _ => "raw outputs",
    };
}

/// <summary>One input image (row-major), as the model saw it.</summary>
public sealed record ExampleImage(int Height, int Width, float[] Pixels);

/// <summary>Runs an <see cref="ExperimentSpec"/>: data, model, training, then the LieGG analysis on training inputs.</summary>
public static class ExperimentRunner
{
    public static IDataset LoadData(ExperimentSpec spec, ExperimentRunOptions? options = null)
    {
        options ??= new ExperimentRunOptions();
        return spec.Dataset.Load(new DatasetContext(options.Seed ?? spec.Training.Seed, options.DataDirectory, options.Quick, options.Prerotated, options.PoolSplits));
    }

    public static nn.Module<Tensor, Tensor> CreateModel(ExperimentSpec spec, IDataset data, int? seed = null)
        => spec.Architecture.Create(new ModelContext(data.InputShape, data.OutputSize, data.Task, seed ?? spec.Training.Seed));

    public static Task<ExperimentResult> RunAsync(ExperimentSpec spec, ExperimentRunOptions? options = null, IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
        => Task.Run(() => Run(spec, options, progress, cancellationToken), cancellationToken);

    public static ExperimentResult Run(ExperimentSpec spec, ExperimentRunOptions? options = null, IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new ExperimentRunOptions();
        spec = options.ApplyTo(spec);
        if (options.Threads is { } threads) torch.set_num_threads(threads);
        int seed = options.Seed ?? spec.Training.Seed;
        var training = spec.Training with
        {
            Seed = seed,
            Epochs = options.EpochsFor(spec.Training.Epochs),
            Threads = options.Threads ?? spec.Training.Threads,
            Device = options.Device,
        };
        training.Validate();
        var total = Stopwatch.StartNew();

        progress?.Report(new ExperimentProgress(spec.Name, "data", null));
        // Everything knowable before training is checked first: data that cannot be read, hold NaN or do not fit the
        // prior or the ground truth fail now (ExperimentSetupException), not after hours of training.
        var (data, algebra, inputs) = Prepare(spec, options);
        using var _ = data;
        using var __ = inputs;
        double dataSeconds = total.Elapsed.TotalSeconds;
        var prior = spec.Prior;
        var analysis = spec.Analysis;

        progress?.Report(new ExperimentProgress(spec.Name, "training", null));
        var epochProgress = progress is null ? null : new ForwardingProgress(spec.Name, progress);
        var (trainedModel, trained, laplace) = TrainWithPriors(spec, data, training, seed, options.Quick, epochProgress, cancellationToken);
        using var model = trainedModel;
        if (options.WeightsFile is { } weightsFile)
            StateDict.Save(model, weightsFile, new Dictionary<string, string> { ["experiment"] = spec.Name, ["architecture"] = spec.Architecture.ToString(), ["seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        double trainingSeconds = total.Elapsed.TotalSeconds - dataSeconds;

        progress?.Report(new ExperimentProgress(spec.Name, "analysis", null));
        var result = Analyze(spec, model, data, algebra, inputs, options, seed, cancellationToken) with
        {
            Epochs = training.Epochs,
            Training = trained,
            Laplace = laplace,
            Outputs = OutputProtocol.Of(model, data.Task, training.ResolveLoss(data.Task), spec.Analysis.ResolveTransform(data.Task, data.OutputSize)),
            ModelFile = options.WeightsFile is { } file ? Path.GetFileName(file) : null,
        };
        total.Stop();
        progress?.Report(new ExperimentProgress(spec.Name, "done", null));
        return result with { Timings = new RunTimings(dataSeconds, trainingSeconds, total.Elapsed.TotalSeconds - dataSeconds - trainingSeconds, total.Elapsed.TotalSeconds) };
    }

    /// <summary>
    /// The LieGG analysis of an already trained network on the declared data (nothing is trained): the data are loaded
    /// as <see cref="Run"/> loads them (seed, directory, quick sizes), the test metric is measured and the polarization
    /// analysed on <see cref="ExperimentRunOptions.AnalysisSplit"/>. The result's training fields are empty.
    /// </summary>
    public static ExperimentResult Analyze(ExperimentSpec spec, nn.Module<Tensor, Tensor> model, ExperimentRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ExperimentRunOptions();
        spec = options.ApplyTo(spec);
        if (options.Threads is { } threads) torch.set_num_threads(threads);
        int seed = options.Seed ?? spec.Training.Seed;
        var total = Stopwatch.StartNew();
        var (data, algebra, inputs) = Prepare(spec, options);
        using var _ = data;
        using var __ = inputs;
        double dataSeconds = total.Elapsed.TotalSeconds;
        RequireFits(model, data, "The given network");
        var result = Analyze(spec, model, data, algebra, inputs, options, seed, cancellationToken);
        return result with { Timings = new RunTimings(dataSeconds, 0, total.Elapsed.TotalSeconds - dataSeconds, total.Elapsed.TotalSeconds) };
    }

    /// <summary>
    /// The LieGG analysis of a network on inputs alone (no labels, so no test metric): the polarization matrix of
    /// <paramref name="inputs"/> under the spec's prior, analysed against its ground truth.
    /// </summary>
    public static ExperimentResult AnalyzeInputs(ExperimentSpec spec, nn.Module<Tensor, Tensor> model, Tensor inputs, ExperimentRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ExperimentRunOptions();
        spec = options.ApplyTo(spec);
        if (options.Threads is { } threads) torch.set_num_threads(threads);
        var total = Stopwatch.StartNew();
        if (inputs.shape.Length < 2 || inputs.shape[0] == 0)
            throw new ExperimentSetupException($"The inputs have shape [{string.Join(", ", inputs.shape)}]; give at least one sample, as [N, …].");
        TensorDataset.RequireFinite(inputs, "The inputs", "input");
        var outputShape = OutputShapeOf(model, inputs, "The given network");
        if (outputShape.Length != 2)
            throw new ExperimentSetupException($"The given network gives outputs of shape [{string.Join(", ", outputShape)}] for one input; it must give [1, outputs].");
        long outputs = outputShape[1];
        ILieAlgebra? algebra;
        PolarizationInputs prepared;
        int samples = spec.Analysis.Samples > 0 ? Math.Min(spec.Analysis.Samples, (int)inputs.shape[0]) : (int)inputs.shape[0];
        try
        {
            algebra = spec.GroundTruth?.Resolve(spec.Prior);
            prepared = PolarizationInputs.Prepare(inputs, spec.Prior, samples);
        }
        catch (ArgumentException e)
        {
            throw new ExperimentSetupException(e.Message, e);
        }
        using var _ = prepared;
        double dataSeconds = total.Elapsed.TotalSeconds;
        var polarizationOptions = new PolarizationOptions { Reduction = spec.Analysis.Outputs, Transform = spec.Analysis.Transform };
        var transform = polarizationOptions.TransformFor(outputs);
        var matrix = Polarization.Compute(model, prepared, polarizationOptions, cancellationToken);
        var symmetry = SymmetryAnalyzer.Analyze(matrix, algebra, new SymmetryOptions { BootstrapResamples = spec.Analysis.Bootstrap, BootstrapSeed = options.Seed ?? spec.Training.Seed });
        total.Stop();
        return new ExperimentResult
        {
            Experiment = spec.Name,
            Seed = options.Seed ?? spec.Training.Seed,
            Quick = false,
            Task = outputs > 1 ? TaskKind.Classification : TaskKind.Regression,
            TestMetricName = "none",
            TestMetric = double.NaN,
            Data = new DatasetSizes(samples, 0, 0),
            InputShape = inputs.shape.Skip(1).Select(s => (int)s).ToArray(),
            OutputSize = (int)outputs,
            Parameters = model.parameters().Sum(p => p.numel()),
            Prior = spec.Prior.Description,
            Epochs = 0,
            Outputs = OutputProtocol.NotTrainedHere(transform),
            Training = TrainingResult.None,
            Symmetry = symmetry,
            Example = spec.Prior is SpatialPrior ? ExampleOf(inputs) : null,
            Timings = new RunTimings(dataSeconds, 0, total.Elapsed.TotalSeconds - dataSeconds, total.Elapsed.TotalSeconds),
        };
    }

    private static ExperimentResult Analyze(ExperimentSpec spec, nn.Module<Tensor, Tensor> model, IDataset data, ILieAlgebra? algebra, PolarizationInputs inputs,
        ExperimentRunOptions options, int seed, CancellationToken cancellationToken)
    {
        var prior = spec.Prior;
        var analysis = spec.Analysis;
        model.eval();
        double testMetric = Evaluation.Metric(model, data.Test, data.Task);
        var polarizationOptions = new PolarizationOptions
        {
            Reduction = analysis.Outputs,
            Transform = analysis.ResolveTransform(data.Task, data.OutputSize),
        };
        var symmetryOptions = new SymmetryOptions { BootstrapResamples = options.Quick ? Math.Min(analysis.Bootstrap, QuickRun.MaxBootstrap) : analysis.Bootstrap, BootstrapSeed = seed };
        var matrix = Polarization.Compute(model, inputs, polarizationOptions, cancellationToken);
        var symmetry = SymmetryAnalyzer.Analyze(matrix, algebra, symmetryOptions);
        var layers = analysis.LayerWise
            ? LayerwiseAnalysis.Analyze(model, inputs.Inputs, prior, algebra, polarizationOptions, symmetryOptions, cancellationToken)
            : null;
        bool readsDirectory = options.DataDirectoryFor(spec.Dataset) is not null;
        return new ExperimentResult
        {
            Experiment = spec.Name,
            Seed = seed,
            Quick = options.Quick,
            Task = data.Task,
            TestMetricName = data.Task == TaskKind.Classification ? "accuracy" : "mse",
            TestMetric = testMetric,
            Data = new DatasetSizes(data.Train.Count, data.Validation.Count, data.Test.Count),
            InputShape = data.InputShape.ToArray(),
            OutputSize = data.OutputSize,
            AnalysedSplit = options.AnalysisSplit,
            Parameters = model.parameters().Sum(p => p.numel()),
            Prior = prior.Description,
            Epochs = 0,
            DataDirectory = options.DataDirectoryFor(spec.Dataset),
            Prerotated = options.Prerotated && readsDirectory,
            PoolSplits = options.PoolSplits && readsDirectory,
            DataSource = (data as TensorDataset)?.Provenance,
            Outputs = OutputProtocol.NotTrainedHere(polarizationOptions.TransformFor(data.OutputSize)),
            Training = TrainingResult.None,
            Symmetry = symmetry,
            Layers = layers,
            Example = prior is SpatialPrior ? ExampleOf(inputs.Inputs) : null,
            Timings = new RunTimings(0, 0, 0, 0),
        };
    }

    private static (IDataset Data, ILieAlgebra? Algebra, PolarizationInputs Inputs) Prepare(ExperimentSpec spec, ExperimentRunOptions options)
    {
        IDataset? data = null;
        try
        {
            data = LoadData(spec, options);
            // Custom datasets need not be TensorDatasets, whose constructor checks this already.
            if (data is not TensorDataset)
                foreach (var (split, name) in new[] { (data.Train, "Train"), (data.Validation, "Validation"), (data.Test, "Test") })
                {
                    TensorDataset.RequireFinite(split.Inputs, $"Dataset '{data.Name}', {name} split", "input");
                    if (data.Task == TaskKind.Regression) TensorDataset.RequireFinite(split.Targets, $"Dataset '{data.Name}', {name} split", "target");
                }
            var algebra = spec.GroundTruth?.Resolve(spec.Prior);
            RequireModelFits(spec, data, options.Seed ?? spec.Training.Seed);
            var analysed = options.AnalysisSplit switch
            {
                SplitName.Validation => data.Validation,
                SplitName.Test => data.Test,
                _ => data.Train,
            };
            int samples = spec.Analysis.Samples > 0 ? Math.Min(spec.Analysis.Samples, analysed.Count) : analysed.Count;
            if (options.Quick) samples = Math.Min(samples, QuickRun.MaxAnalysedSamples);
            return (data, algebra, PolarizationInputs.Prepare(analysed.Inputs, spec.Prior, samples));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            data?.Dispose();
            throw new ExperimentSetupException(e.Message, e);
        }
    }

    /// <summary>Builds the declared network once and passes one training input through it: an architecture that cannot take the data, or gives the wrong number of outputs, fails before training.</summary>
    private static void RequireModelFits(ExperimentSpec spec, IDataset data, int seed)
    {
        if (data.Train.Count == 0) return;
        using var model = CreateModel(spec, data, seed);
        RequireFits(model, data, "The declared architecture");
    }

    private static void RequireFits(nn.Module<Tensor, Tensor> model, IDataset data, string what)
    {
        if (data.Train.Count == 0) return;
        var shape = OutputShapeOf(model, data.Train.Inputs, what);
        if (!shape.SequenceEqual(new long[] { 1, data.OutputSize }))
            throw new ExperimentSetupException($"{what} gives outputs of shape [{string.Join(", ", shape.Skip(1))}] per sample but dataset '{data.Name}' has {data.OutputSize} {(data.Task == TaskKind.Classification ? "classes" : "targets")}; build the network with ModelContext.OutputSize outputs.");
    }

    /// <summary>The shape of the network's output for the first of <paramref name="inputs"/>; a network that cannot take them fails naming their shape.</summary>
    private static long[] OutputShapeOf(nn.Module<Tensor, Tensor> model, Tensor inputs, string what)
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        model.eval();
        try
        {
            return model.forward(inputs.narrow(0, 0, 1)).shape;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ExternalException or InvalidDataException)
        {
            throw new ExperimentSetupException($"{what} cannot take inputs of shape [{string.Join(", ", inputs.shape.Skip(1))}]: {e.Message.Split('\n', 2)[0]}", e);
        }
    }

    /// <summary>
    /// <see cref="Train"/>, and for ELLA networks (<see cref="RelaxedNetwork"/>) the per-tensor Gaussian prior in every
    /// batch loss, learned by Laplace marginal likelihood when the spec has <see cref="ExperimentSpec.Laplace"/>; their
    /// priors, γ and shares are evaluated once more at the trained weights.
    /// </summary>
    public static (nn.Module<Tensor, Tensor> Model, TrainingResult Training, LaplaceResult? Laplace) TrainWithPriors(ExperimentSpec spec, IDataset data, TrainingOptions training, int seed,
        bool quick = false, IProgress<EpochProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (spec.Architecture is not RelaxedCnnSpec relaxed)
        {
            if (spec.Laplace is not null)
                throw new InvalidOperationException($"Experiment '{spec.Name}': [Laplace] learns the per-tensor priors of an ELLA network; declare [RelaxedCnn] or remove [Laplace].");
            var (model, result) = Train(spec, data, training, seed, progress, cancellationToken);
            return (model, result, null);
        }
        if (spec.Pretrain is { Regime: not Regime.EndToEnd })
            throw new InvalidOperationException($"Experiment '{spec.Name}': [Pretrain] pre-trains MLP layers; an ELLA network ([RelaxedCnn]) is trained end to end, so remove [Pretrain].");
        var network = (RelaxedNetwork)CreateModel(spec, data, seed);
        var learning = spec.Laplace?.Options(quick);
        var priors = new LaplaceTraining(network, data.Train, learning, relaxed.PriorPrecision, seed, learning?.Fisher ?? (quick ? FisherKind.MonteCarlo : FisherKind.Exact));
        var trained = Trainer.Fit(network, data, training, progress, cancellationToken, priors);
        return (network, trained, priors.Summarize(cancellationToken));
    }

    /// <summary>Builds and trains the declared network (with its pre-training regime, if any); the caller owns the model.</summary>
    public static (nn.Module<Tensor, Tensor> Model, TrainingResult Training) Train(ExperimentSpec spec, IDataset data, TrainingOptions training, int seed,
        IProgress<EpochProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (spec.Pretrain is { Regime: not Regime.EndToEnd } pretrain)
        {
            var model = TrainWithPretraining(spec, data, pretrain, training, seed, progress, cancellationToken, out var result);
            return (model, result);
        }
        var network = CreateModel(spec, data, seed);
        return (network, Trainer.Fit(network, data, training, progress, cancellationToken));
    }

    /// <summary>
    /// Paper §5.4: trains the first k hidden layers with their own head (the pre-trained part), then either returns
    /// that part, or puts its layers into the full network and trains it jointly (FineTune) or with them frozen (LayerWise).
    /// </summary>
    private static nn.Module<Tensor, Tensor> TrainWithPretraining(ExperimentSpec spec, IDataset data, PretrainSpec pretrain, TrainingOptions training, int seed,
        IProgress<EpochProgress>? progress, CancellationToken cancellationToken, out TrainingResult trained)
    {
        var mother = CreateModel(spec, data, seed);
        var (motherMlp, normalized) = mother switch
        {
            Mlp mlp => (mlp, false),
            L2NormalizedOutput { Inner: Mlp mlp } => (mlp, true),
            _ => throw new InvalidOperationException($"Experiment '{spec.Name}': [Pretrain] needs an MLP architecture ([Mlp] or [MlpBudget]); {mother.GetType().Name} has no layers to pre-train."),
        };
        if (pretrain.Layers < 1 || pretrain.Layers >= motherMlp.Options.Hidden)
            throw new InvalidOperationException($"Experiment '{spec.Name}': [Pretrain(Layers = {pretrain.Layers})] must be between 1 and the MLP's hidden layers − 1 ({motherMlp.Options.Hidden - 1}).");

        var partMlp = Mlp.Create(motherMlp.Options with { Hidden = pretrain.Layers }, seed);
        nn.Module<Tensor, Tensor> part = normalized ? new L2NormalizedOutput(partMlp) : partMlp;
        var partTraining = pretrain.Epochs > 0 ? training with { Epochs = pretrain.Epochs } : training;
        var partResult = Trainer.Fit(part, data, partTraining, pretrain.Regime == Regime.PretrainedPart ? progress : null, cancellationToken);
        if (pretrain.Regime == Regime.PretrainedPart)
        {
            mother.Dispose();
            trained = partResult;
            return part;
        }

        motherMlp.CopyLayersFrom(partMlp, pretrain.Layers);
        part.Dispose();
        if (pretrain.Regime == Regime.LayerWise) motherMlp.FreezeLayers(pretrain.Layers);
        try
        {
            trained = Trainer.Fit(mother, data, training, progress, cancellationToken);
        }
        finally
        {
            motherMlp.FreezeLayers(pretrain.Layers, frozen: false);
        }
        return mother;
    }

    private static ExampleImage ExampleOf(Tensor images)
    {
        using var scope = torch.NewDisposeScope();
        var (height, width) = SpatialPrior.ImageSize(images.shape);
        var pixels = images[0].reshape(-1).to_type(ScalarType.Float32).cpu().data<float>().ToArray();
        return new ExampleImage(height, width, pixels);
    }

    private sealed class ForwardingProgress(string experiment, IProgress<ExperimentProgress> target) : IProgress<EpochProgress>
    {
        public void Report(EpochProgress value) => target.Report(new ExperimentProgress(experiment, "training", value));
    }
}
