using System.Diagnostics;
using System.Runtime.InteropServices;
using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Experiments;
using LieGG.Runtime.Models;
using LieGG.Runtime.Models.Relaxed;
using LieGG.Runtime.Results;
using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Symmetry.Equivariance;
using LieGG.Runtime.Symmetry.Joint;
using LieGG.Runtime.Training;
using LieGG.Runtime.Training.Laplace;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Orchestration;

/// <summary>Runs an <see cref="ExperimentSpec"/>: data, model, training, then the LieGG analysis on training inputs.</summary>
public static class ExperimentRunner
{
    public static IDataset LoadData(ExperimentSpec spec, ExperimentRunOptions? options = null)
    {
        options ??= new ExperimentRunOptions();
        SpecRanges.Check(spec);
        return spec.Dataset.Load(new DatasetContext(options.Seed ?? spec.Training.Seed, options.DataDirectory, options.Quick, options.Prerotated, options.PoolSplits));
    }

    /// <summary>The declared network for <paramref name="data"/>; for a standardised regression task wrapped so that it maps task inputs to task outputs (<see cref="StandardizedNetwork"/>).</summary>
    public static nn.Module<Tensor, Tensor> CreateModel(ExperimentSpec spec, IDataset data, int? seed = null)
        => InTaskUnits(spec.Architecture.Create(new ModelContext(data.InputShape, data.OutputSize, data.Task, seed ?? spec.Training.Seed)), data);

    /// <summary>
    /// <paramref name="network"/> wrapped in <paramref name="data"/>'s standardization when the data have one and it is not
    /// wrapped yet: a network built here computes in standardised units (and runs before the wrapper existed were saved so).
    /// </summary>
    public static nn.Module<Tensor, Tensor> InTaskUnits(nn.Module<Tensor, Tensor> network, IDataset data)
        => (data as TensorDataset)?.Standardization is { } standardization && network is not StandardizedNetwork
            ? new StandardizedNetwork(network, standardization, data.InputShape)
            : network;

    public static Task<ExperimentResult> RunAsync(ExperimentSpec spec, ExperimentRunOptions? options = null, IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
        => Task.Run(() => Run(spec, options, progress, cancellationToken), cancellationToken);

    public static ExperimentResult Run(ExperimentSpec spec, ExperimentRunOptions? options = null, IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new ExperimentRunOptions();
        spec = options.ApplyTo(spec);
        SpecRanges.Check(spec);
        if (options.Threads is { } threads) torch.set_num_threads(threads);
        int seed = options.Seed ?? spec.Training.Seed;
        (spec.Training with { Seed = seed, Threads = options.Threads ?? spec.Training.Threads, Device = options.Device }).Validate();
        var total = Stopwatch.StartNew();
        var profiler = new StageProfiler();
        using var profiling = profiler.Activate();

        progress?.Report(new ExperimentProgress(spec.Name, RunStage.Data, null));
        // Everything knowable before training is checked first: data that cannot be read, hold NaN or do not fit the
        // prior or the ground truth fail now (ExperimentSetupException), not after hours of training.
        (IDataset, ILieAlgebra?, PolarizationInputs) prepared;
        using (StageProfiler.Measure("data"))
            prepared = Prepare(spec, options);
        var (data, algebra, inputs) = prepared;
        using var _ = data;
        using var __ = inputs;
        var training = spec.Training.WithEpochs(options.EpochsFor(spec.Training.EpochsFor(data.Train.Count))) with
        {
            Seed = seed,
            Threads = options.Threads ?? spec.Training.Threads,
            Device = options.Device,
        };
        training.Validate();
        double dataSeconds = total.Elapsed.TotalSeconds;
        var prior = spec.Prior;
        var analysis = spec.Analysis;

        progress?.Report(new ExperimentProgress(spec.Name, RunStage.Training, null));
        var epochProgress = progress is null ? null : new ForwardingProgress(spec.Name, progress);
        (nn.Module<Tensor, Tensor>, TrainingResult, LaplaceResult?) outcome;
        using (StageProfiler.Measure("training"))
            outcome = TrainWithPriors(spec, data, training, seed, options.Quick, epochProgress, cancellationToken, options.CheckLaplace || spec.Laplace is { ExactGgnCheck: true });
        var (trainedModel, trained, laplace) = outcome;
        using var model = trainedModel;
        if (laplace is not null && spec.Laplace is { NestedEvidence: true })
        {
            progress?.Report(new ExperimentProgress(spec.Name, RunStage.NestedEvidence, null));
            using var nestedStage = StageProfiler.Measure("nested evidence");
            laplace = laplace with { Nested = TrainNested(spec, data, training, seed, options.Quick, cancellationToken) };
        }
        if (options.WeightsFile is { } weightsFile)
            StateDict.Save(model, weightsFile, new Dictionary<string, string> { ["experiment"] = spec.Name, ["architecture"] = spec.Architecture.ToString(), ["seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        double trainingSeconds = total.Elapsed.TotalSeconds - dataSeconds;

        progress?.Report(new ExperimentProgress(spec.Name, RunStage.Analysis, null));
        ExperimentResult analysed;
        using (StageProfiler.Measure("analysis"))
            analysed = Analyze(spec, model, data, algebra, inputs, options, seed, cancellationToken);
        var result = analysed with
        {
            Epochs = training.Epochs,
            Training = trained,
            Laplace = laplace,
            Outputs = OutputProtocol.Of(model, data.Task, training.ResolveLoss(data.Task), spec.Analysis.ResolveTransform(data.Task, data.OutputSize), analysed.Units),
            ModelFile = options.WeightsFile is { } file ? Path.GetFileName(file) : null,
        };
        total.Stop();
        progress?.Report(new ExperimentProgress(spec.Name, RunStage.Done, null));
        return result with
        {
            Timings = new RunTimings(dataSeconds, trainingSeconds, total.Elapsed.TotalSeconds - dataSeconds - trainingSeconds, total.Elapsed.TotalSeconds),
            Profile = profiler.Stages,
        };
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
        SpecRanges.Check(spec);
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
        SpecRanges.Check(spec);
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
        var equivariance = spec.Analysis.Equivariance is { } declared ? MeasureEquivariance(declared, model, prepared, algebra, transform, options, cancellationToken) : null;
        JointSymmetryResult? joint = null;
        if (spec.Analysis.Joint is { } pairs)
        {
            try
            {
                var output = pairs.Resolve(spec.Prior);
                output.RequireFits(outputShape, spec.Prior);
                pairs.PairsOf(algebra, output);
            }
            catch (ArgumentException e)
            {
                throw new ExperimentSetupException(e.Message, e);
            }
            joint = AnalyzeJoint(pairs, model, prepared, algebra, spec.Analysis.Bootstrap, options.Seed ?? spec.Training.Seed, symmetry, polarizationOptions, outputs, cancellationToken);
        }
        total.Stop();
        return new ExperimentResult
        {
            Experiment = spec.Name,
            Seed = options.Seed ?? spec.Training.Seed,
            Quick = false,
            Task = outputs > 1 ? TaskKind.Classification : TaskKind.Regression,
            TestMetricKind = TestMetricKind.None,
            TestMetric = double.NaN,
            Data = new DatasetSizes(samples, 0, 0),
            InputShape = inputs.shape.Skip(1).Select(s => (int)s).ToArray(),
            OutputSize = (int)outputs,
            Parameters = model.parameters().Sum(p => p.numel()),
            Epochs = 0,
            Outputs = OutputProtocol.NotTrainedHere(transform),
            Training = TrainingResult.None,
            Symmetry = symmetry,
            Equivariance = equivariance,
            Joint = joint,
            Example = spec.Prior is SpatialPrior ? ExampleOf(inputs) : null,
            Timings = new RunTimings(dataSeconds, 0, total.Elapsed.TotalSeconds - dataSeconds, total.Elapsed.TotalSeconds),
            Threads = torch.get_num_threads(),
        };
    }

    private static ExperimentResult Analyze(ExperimentSpec spec, nn.Module<Tensor, Tensor> model, IDataset data, ILieAlgebra? algebra, PolarizationInputs inputs,
        ExperimentRunOptions options, int seed, CancellationToken cancellationToken)
    {
        var prior = spec.Prior;
        var analysis = spec.Analysis;
        model.eval();
        var standardization = (data as TensorDataset)?.Standardization;
        // The units are recorded only for a standardised task (its data's statistics, or a saved network's own).
        RegressionUnits? units = standardization is null && model is not StandardizedNetwork ? null : analysis.Units;
        var taskModel = model;
        var test = data.Test;
        if (standardization is not null && analysis.Units == RegressionUnits.Standardized)
        {
            if (model is not StandardizedNetwork wrapped)
                throw new ExperimentSetupException($"Standardised units analyse the network inside the task's standardization, but the given {model.GetType().Name} is a whole function of the task's inputs (e.g. a TorchScript module); analyse it in the task's units (drop --units standardized / Units = RegressionUnits.Standardized).");
            model = wrapped.Network;
            test = standardization.StandardizedView(data.Test, data.InputShape);
        }
        double testMetric;
        double? testNll;
        try
        {
            using (StageProfiler.Measure("test metrics"))
            {
                testMetric = Evaluation.Metric(model, test, data.Task);
                testNll = data.Task == TaskKind.Classification ? Evaluation.NegativeLogLikelihood(model, test) : null;
            }
        }
        finally
        {
            if (test != data.Test)
            {
                test.Inputs.Dispose();
                test.Targets.Dispose();
            }
        }
        var polarizationOptions = new PolarizationOptions
        {
            Reduction = analysis.Outputs,
            Transform = analysis.ResolveTransform(data.Task, data.OutputSize),
        };
        var symmetryOptions = new SymmetryOptions { BootstrapResamples = options.Quick ? Math.Min(analysis.Bootstrap, QuickRun.MaxBootstrap) : analysis.Bootstrap, BootstrapSeed = seed };
        PolarizationMatrix matrix;
        using (StageProfiler.Measure("polarization matrix"))
            matrix = Polarization.Compute(model, inputs, polarizationOptions, cancellationToken);
        SymmetryResult symmetry;
        using (StageProfiler.Measure("SVD and bootstrap"))
            symmetry = SymmetryAnalyzer.Analyze(matrix, algebra, symmetryOptions);
        IReadOnlyList<LayerSymmetry>? layers = null;
        if (analysis.LayerWise)
            using (StageProfiler.Measure("layer-wise analysis"))
                layers = LayerwiseAnalysis.Analyze(model, inputs.Inputs, prior, algebra, polarizationOptions, symmetryOptions, cancellationToken);
        EquivarianceResult? equivariance = null;
        if (analysis.Equivariance is { } declared)
            using (StageProfiler.Measure("equivariance"))
                equivariance = MeasureEquivariance(declared, model, inputs, algebra, polarizationOptions.TransformFor(data.OutputSize), options, cancellationToken);
        JointSymmetryResult? joint = null;
        if (analysis.Joint is { } pairs)
            using (StageProfiler.Measure("pairs"))
                joint = AnalyzeJoint(pairs, model, inputs, algebra, symmetryOptions.BootstrapResamples, seed, symmetry, polarizationOptions, data.OutputSize, cancellationToken);
        if (equivariance is not null && data.Task == TaskKind.Classification && prior is SpatialPrior && data.Test.Count > 0)
        {
            long responseSamples = Math.Min(data.Test.Count, options.Quick ? QuickRun.MaxEvaluationCount : ResponseSamples);
            // A smoke-size run measures every 45° and shifts up to 2 pixels only: the figure's shape, at a fraction of the cost.
            var angles = options.Quick ? TransformationResponse.DefaultAngles.Where(a => a % 45 == 0).ToList() : TransformationResponse.DefaultAngles;
            int maxShift = options.Quick ? 2 : 6;
            using (StageProfiler.Measure("transformation response"))
                equivariance = equivariance with
                {
                    Response = TransformationResponse.Measure(model, data.Test.Inputs.narrow(0, 0, responseSamples), data.Test.Targets.narrow(0, 0, responseSamples),
                        angles, Enumerable.Range(-maxShift, 2 * maxShift + 1).ToList()),
                };
        }
        bool readsDirectory = options.DataDirectoryFor(spec.Dataset) is not null;
        return new ExperimentResult
        {
            Experiment = spec.Name,
            Seed = seed,
            Quick = options.Quick,
            Task = data.Task,
            TestMetricKind = TestMetricKinds.For(data.Task),
            TestMetric = testMetric,
            TestNegativeLogLikelihood = testNll,
            Data = new DatasetSizes(data.Train.Count, data.Validation.Count, data.Test.Count),
            InputShape = data.InputShape.ToArray(),
            OutputSize = data.OutputSize,
            AnalysedSplit = options.AnalysedSplitFor(spec),
            Standardization = standardization ?? (taskModel as StandardizedNetwork)?.ToStandardization("the saved network"),
            Units = units,
            Parameters = model.parameters().Sum(p => p.numel()),
            Epochs = 0,
            DataDirectory = options.DataDirectoryFor(spec.Dataset),
            // What the data source did, not the flag alone: a declaration's Prerotated and rot-MNIST .amat files count too.
            Prerotated = (data as TensorDataset)?.Provenance?.GivenRotated ?? false,
            PoolSplits = options.PoolSplits && readsDirectory,
            Overrides = SpecOverrides.Recorded(spec, options.Overrides),
            DataSource = (data as TensorDataset)?.Provenance,
            Outputs = OutputProtocol.NotTrainedHere(polarizationOptions.TransformFor(data.OutputSize), units),
            Training = TrainingResult.None,
            Symmetry = symmetry,
            Layers = layers,
            Equivariance = equivariance,
            Joint = joint,
            Example = prior is SpatialPrior ? ExampleOf(inputs.Inputs) : null,
            Timings = new RunTimings(0, 0, 0, 0),
            Threads = torch.get_num_threads(),
        };
    }

    /// <summary>Test inputs in the accuracy-against-rotation figure.</summary>
    private const int ResponseSamples = 500;

    private static EquivarianceResult MeasureEquivariance(EquivarianceSpec declared, nn.Module<Tensor, Tensor> model, PolarizationInputs inputs, ILieAlgebra? algebra,
        OutputTransform transform, ExperimentRunOptions options, CancellationToken cancellationToken)
    {
        long samples = Math.Min(inputs.Count, options.Quick ? Math.Min(declared.Samples, QuickRun.MaxEquivarianceSamples) : declared.Samples);
        return EquivarianceMeasurement.Measure(model, inputs.Inputs.narrow(0, 0, samples), inputs.Prior, algebra, transform, declared.Measured, declared.ExactSelection, declared.Continuous, cancellationToken);
    }

    /// <remarks>
    /// Invariant outputs whose LieGG analysis already has the joint rows — untransformed, one row per output (per-output rows,
    /// or a single output) — reuse that analysis: the same numbers, not a second computation that differs in round-off.
    /// </remarks>
    private static JointSymmetryResult AnalyzeJoint(JointSpec declared, nn.Module<Tensor, Tensor> model, PolarizationInputs inputs, ILieAlgebra? algebra, int bootstrap, int seed,
        SymmetryResult liegg, PolarizationOptions polarization, long outputs, CancellationToken cancellationToken)
    {
        var output = declared.Resolve(inputs.Prior);
        if (output is InvariantOutput && polarization.TransformFor(outputs) == OutputTransform.None && (polarization.Reduction == OutputReduction.PerOutput || outputs == 1))
            return JointSymmetryAnalyzer.FromInvariance(liegg);
        return JointAnalysis.Analyze(model, inputs, output, declared.PairsOf(algebra, output), bootstrap, seed, cancellationToken: cancellationToken);
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
            if (spec.Analysis.Joint is { } joint)
            {
                var output = joint.Resolve(spec.Prior);
                output.RequireFits(new long[] { 1, data.OutputSize }, spec.Prior);
                joint.PairsOf(algebra, output);
            }
            RequireModelFits(spec, data, options.Seed ?? spec.Training.Seed);
            using var analysed = AnalysedInputs(data, options.AnalysedSplitFor(spec), spec.Analysis.Units);
            int count = (int)analysed.shape[0];
            int samples = spec.Analysis.Samples > 0 ? Math.Min(spec.Analysis.Samples, count) : count;
            if (options.Quick) samples = Math.Min(samples, QuickRun.MaxAnalysedSamples);
            // The prepared inputs are a view: they keep the storage alive after this handle is disposed.
            return (data, algebra, PolarizationInputs.Prepare(analysed, spec.Prior, samples));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            data?.Dispose();
            throw new ExperimentSetupException(e.Message, e);
        }
    }

    /// <summary>The inputs of the polarization matrix: one split or all three, divided by the input scales when the analysis is in standardised units.</summary>
    private static Tensor AnalysedInputs(IDataset data, SplitName split, RegressionUnits units)
    {
        using var inputs = split switch
        {
            SplitName.Validation => data.Validation.Inputs.alias(),
            SplitName.Test => data.Test.Inputs.alias(),
            SplitName.All => torch.cat(new[] { data.Train.Inputs, data.Validation.Inputs, data.Test.Inputs }, 0),
            _ => data.Train.Inputs.alias(),
        };
        return units == RegressionUnits.Standardized && (data as TensorDataset)?.Standardization is { } standardization
            ? standardization.ScaleInputs(inputs, data.InputShape)
            : inputs.alias();
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
        bool quick = false, IProgress<EpochProgress>? progress = null, CancellationToken cancellationToken = default, bool checkLaplace = false)
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
        using var priors = new LaplaceTraining(network, data.Train, learning, relaxed.PriorPrecision, seed, learning?.Fisher ?? (quick ? FisherKind.MonteCarlo : FisherKind.Exact));
        var trained = Trainer.Fit(network, data, training, progress, cancellationToken, priors);
        return (network, trained, priors.Summarize(cancellationToken, checkLaplace));
    }

    /// <summary>
    /// The strict sub-networks of a relaxed network (<see cref="NestedModelResult.StrictSubsets"/>), each trained with the
    /// same data, seed, schedule and prior learning, and evaluated as the relaxed one is.
    /// </summary>
    public static IReadOnlyList<NestedModelResult> TrainNested(ExperimentSpec spec, IDataset data, TrainingOptions training, int seed, bool quick, CancellationToken cancellationToken = default)
    {
        if (spec.Architecture is not RelaxedCnnSpec relaxed) return [];
        var nested = new List<NestedModelResult>();
        // A quick run trains only the single pathways: the pairs of a three-pathway network would triple its cost.
        foreach (var pathways in NestedModelResult.StrictSubsets(relaxed.Pathways, pairs: !quick))
        {
            var sub = spec with { Architecture = relaxed with { Pathways = pathways } };
            var (model, _, laplace) = TrainWithPriors(sub, data, training, seed, quick, null, cancellationToken);
            using (model)
            {
                model.eval();
                nested.Add(new NestedModelResult(pathways, model.parameters().Sum(p => p.numel()), laplace!.Final, Evaluation.Metric(model, data.Test, data.Task),
                    data.Task == TaskKind.Classification ? Evaluation.NegativeLogLikelihood(model, data.Test) : null));
            }
        }
        return nested;
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
        // The pre-trained part is wrapped as the full network is.
        var (motherMlp, wrap) = mother switch
        {
            Mlp mlp => (mlp, (Func<Mlp, nn.Module<Tensor, Tensor>>)(part => part)),
            L2NormalizedOutput { Inner: Mlp mlp } => (mlp, part => new L2NormalizedOutput(part)),
            StandardizedNetwork { Network: Mlp mlp } => (mlp, part => InTaskUnits(part, data)),
            _ => throw new InvalidOperationException($"Experiment '{spec.Name}': [Pretrain] needs an MLP architecture ([Mlp] or [MlpBudget]); {mother.GetType().Name} has no layers to pre-train."),
        };
        if (pretrain.Layers < 1 || pretrain.Layers >= motherMlp.Options.Hidden)
            throw new InvalidOperationException($"Experiment '{spec.Name}': [Pretrain(Layers = {pretrain.Layers})] must be between 1 and the MLP's hidden layers − 1 ({motherMlp.Options.Hidden - 1}).");

        var partMlp = Mlp.Create(motherMlp.Options with { Hidden = pretrain.Layers }, seed);
        var part = wrap(partMlp);
        var partTraining = pretrain.Epochs > 0 ? training.WithEpochs(pretrain.Epochs) : training;
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
        public void Report(EpochProgress value) => target.Report(new ExperimentProgress(experiment, RunStage.Training, value));
    }
}
