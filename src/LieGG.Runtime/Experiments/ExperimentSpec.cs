using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Models;
using LieGG.Runtime.Models.Relaxed;
using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Experiments;

/// <summary>
/// Everything an experiment declares; generated code builds one from the attributes' constants. The spec records
/// use the attributes' property names and defaults, so generated code passes only what a declaration sets.
/// </summary>
public sealed record ExperimentSpec
{
    public required string Name { get; init; }

    public required DatasetSpec Dataset { get; init; }

    public required ArchitectureSpec Architecture { get; init; }

    public required TrainingOptions Training { get; init; }

    public required ISymmetryPrior Prior { get; init; }

    public GroundTruthSpec? GroundTruth { get; init; }

    public AnalysisSpec Analysis { get; init; } = new();

    /// <summary>Pre-training of the first layers and the training regime (paper §5.4); null = end to end.</summary>
    public PretrainSpec? Pretrain { get; init; }

    /// <summary>ELLA: learn the per-tensor prior precisions by Laplace marginal likelihood; null = MAP with fixed precisions.</summary>
    public LaplaceSpec? Laplace { get; init; }
}

/// <summary>How ELLA's prior precisions are learned (see <see cref="Training.Laplace.LaplaceOptions"/>).</summary>
public sealed record LaplaceSpec(int BurnIn = 10, int Every = 5, int Steps = 20, double LearningRate = 0.1, FisherKind Fisher = FisherKind.Exact)
{
    /// <summary>
    /// The options a run uses; a quick (smoke-size, <see cref="QuickRun"/>) run steps after every epoch from the first and
    /// uses the Monte-Carlo Fisher, one backward pass instead of one per class.
    /// </summary>
    public Training.Laplace.LaplaceOptions Options(bool quick) => new()
    {
        BurnIn = quick ? 1 : BurnIn,
        Every = quick ? 1 : Every,
        Steps = Steps,
        LearningRate = LearningRate,
        Fisher = quick ? FisherKind.MonteCarlo : Fisher,
    };
}

/// <summary>Pre-train the first <paramref name="Layers"/> hidden layers with their own head, then train by <paramref name="Regime"/>.</summary>
/// <param name="Epochs">Pre-training epochs; 0 = the training's epoch count.</param>
public sealed record PretrainSpec(int Layers = Defaults.PretrainLayers, int Epochs = 0, Regime Regime = Regime.FineTune);

/// <summary>Where the data comes from.</summary>
public abstract record DatasetSpec
{
    /// <summary>Regression or classification, known before loading (the result's metric depends on it).</summary>
    public abstract TaskKind Task { get; }

    public abstract IDataset Load(DatasetContext context);

    /// <summary>Whether the data come from a --data-dir when one is given (digits do; generated data do not).</summary>
    /// <remarks>A method, so records' printed settings (compared across runs) do not change.</remarks>
    public virtual bool ReadsDataDirectory() => true;

    /// <summary>
    /// Split sizes for a smoke run: a tenth of the training split (at least 100, so a sweep over sizes keeps its
    /// order), at most 200 validation and test samples.
    /// </summary>
    protected static (int Train, int Validation, int Test) QuickSizes(int train, int validation, int test, bool quick)
        => quick ? QuickRun.Sizes(train, validation, test) : (train, validation, test);
}

/// <summary>The O(5) regression task (paper §5.1).</summary>
public sealed record O5DatasetSpec(int TrainCount = Defaults.O5TrainCount, int ValidationCount = Defaults.O5ValidationCount, int TestCount = Defaults.O5TestCount) : DatasetSpec
{
    public override TaskKind Task => TaskKind.Regression;

    public override bool ReadsDataDirectory() => false;

    public override IDataset Load(DatasetContext context)
    {
        var (train, validation, test) = QuickSizes(TrainCount, ValidationCount, TestCount, context.Quick);
        return O5Synthetic.Create(new O5Options { Seed = context.Seed, TrainCount = train, ValidationCount = validation, TestCount = test }).Data;
    }
}

/// <summary>MNIST digits, optionally rotated (rotated MNIST), blurred and normalised.</summary>
/// <param name="Rotate">Give every digit a seeded random angle (rotated MNIST).</param>
/// <param name="Digits">Which digits, and how they are split (see <see cref="DigitSet"/>); a --data-dir replaces the digits.</param>
/// <param name="Prerotated">The --data-dir IDX files hold rotated digits: use them as they are.</param>
public sealed record MnistDatasetSpec(bool Rotate, int TrainCount = Defaults.MnistTrainCount, int ValidationCount = Defaults.MnistValidationCount, int TestCount = Defaults.MnistTestCount, double Blur = 0, BlurEdge BlurEdge = BlurEdge.Nearest,
    bool Normalize = true, DigitSet Digits = DigitSet.Embedded10k, bool Prerotated = false) : DatasetSpec
{
    /// <summary>Split sizes of the classic rotated-MNIST protocol (Larochelle et al., 2007).</summary>
    public static readonly (int Train, int Validation, int Test) ClassicSizes = (10_000, 2_000, 50_000);

    public override TaskKind Task => TaskKind.Classification;

    /// <summary>The split sizes this declaration asks for before --quick: the classic protocol fixes them.</summary>
    /// <remarks>A method, so records' printed settings do not repeat the counts.</remarks>
    public (int Train, int Validation, int Test) DeclaredSizes() => Digits == DigitSet.ClassicRotation ? ClassicSizes : (TrainCount, ValidationCount, TestCount);

    public override IDataset Load(DatasetContext context)
    {
        bool prerotated = Prerotated || context.Prerotated;
        if (prerotated && !Rotate)
            throw new ArgumentException("--prerotated (Prerotated) says the files hold rotated digits, but the declaration is [Mnist] (plain digits); use [RotatedMnist], or drop --prerotated.");
        if (prerotated && context.DataDirectory is null)
            throw new ArgumentException($"Prerotated: the {(Digits == DigitSet.Embedded10k ? "embedded 10k" : "embedded 70k")} digits are not rotated; give --data-dir with the rotated IDX files, or drop Prerotated / --prerotated.");
        var declared = DeclaredSizes();
        var (train, validation, test) = QuickSizes(declared.Train, declared.Validation, declared.Test, context.Quick);
        var options = new RotatedMnistOptions
        {
            Seed = context.Seed, TrainCount = train, ValidationCount = validation, TestCount = test, BlurSigma = Blur, BlurEdge = BlurEdge, Normalize = Normalize,
        };
        var source = OpenSource(context, prerotated);
        // The embedded 10k are one pool; the classic protocol pools by definition; files keep their own split unless asked.
        bool pool = Digits == DigitSet.ClassicRotation || context.PoolSplits || (context.DataDirectory is null && Digits == DigitSet.Embedded10k);
        var splits = pool ? DigitSplits.Pooled(source, context.Seed, train, validation, test) : DigitSplits.FromFileSplit(source, context.Seed, train, validation, test);
        return RotatedMnist.Build(source, splits, options, Rotate);
    }

    private DigitSource OpenSource(DatasetContext context, bool prerotated)
    {
        if (context.DataDirectory is not { } directory)
            return Digits == DigitSet.Embedded10k ? DigitSource.Embedded10k() : DigitSource.Embedded70k();
        // Classic rot-MNIST .amat files are already rotated: used as they are.
        var amat = Directory.GetFiles(directory, "*.amat").Order(StringComparer.Ordinal).ToArray();
        if (Rotate && amat.Length > 0) return DigitSource.FromAmatFiles(amat);
        return DigitSource.FromDirectory(MnistDirectory.Find(directory), prerotated);
    }
}

/// <summary>ELLA's quadrant task (Table 1): digits in a seeded quadrant of a canvas, labelled by digit or digit + quadrant.</summary>
public sealed record QuadrantMnistDatasetSpec(QuadrantTask Labels = QuadrantTask.Digit, int Canvas = Defaults.QuadrantCanvas, int DigitSize = Defaults.QuadrantDigitSize,
    int TrainCount = Defaults.QuadrantTrainCount, int ValidationCount = Defaults.QuadrantValidationCount, int TestCount = Defaults.QuadrantTestCount) : DatasetSpec
{
    public override TaskKind Task => TaskKind.Classification;

    public override IDataset Load(DatasetContext context)
    {
        var (train, validation, test) = QuickSizes(TrainCount, ValidationCount, TestCount, context.Quick);
        if (context.DataDirectory is not null && !context.PoolSplits)
            throw new ArgumentException("[QuadrantMnist] draws its digits from one pool, so it cannot keep a data directory's own train/test split; pass --pool-splits to pool the directory's files and split them by the seed.");
        var digits = context.DataDirectory is null ? MnistDigits.Embedded() : MnistDirectory.Find(context.DataDirectory).LoadAll();
        return QuadrantMnist.Create(digits, new QuadrantMnistOptions
        {
            Seed = context.Seed, Task = Labels, Canvas = Canvas, DigitSize = DigitSize, TrainCount = train, ValidationCount = validation, TestCount = test,
        });
    }
}

/// <summary>Inputs read from a file (<c>analyze --inputs</c>): without targets, they can be analysed but not trained or evaluated on.</summary>
public sealed record InputFileDatasetSpec(string Path) : DatasetSpec
{
    public override TaskKind Task => TaskKind.Regression;

    public override bool ReadsDataDirectory() => false;

    public override IDataset Load(DatasetContext context)
        => throw new InvalidOperationException($"{Path} holds inputs only, without targets: it can be analysed (analyze --inputs), not trained or evaluated on.");
}

/// <summary>A user dataset type (<c>[Dataset(typeof(T))]</c>).</summary>
public sealed record CustomDatasetSpec(string TypeName, TaskKind DeclaredTask, Func<IDatasetSource> Factory) : DatasetSpec
{
    public override TaskKind Task => DeclaredTask;

    public override IDataset Load(DatasetContext context)
    {
        var data = Factory().Load(context);
        if (data.Task != DeclaredTask)
            throw new InvalidOperationException($"{TypeName} returned a {data.Task} dataset but the experiment was built for {DeclaredTask}.");
        return data;
    }

    public override string ToString() => $"CustomDatasetSpec {{ Type = {TypeName}, Task = {DeclaredTask} }}";
}

/// <summary>How the network is built.</summary>
public abstract record ArchitectureSpec
{
    public abstract nn.Module<Tensor, Tensor> Create(ModelContext context);
}

/// <summary>An MLP of fixed width; <paramref name="TrainOnNormalizedLogits"/> puts L2 normalisation of the logits into the network, so training sees it too.</summary>
public sealed record MlpSpec(int Hidden = Defaults.MlpHidden, int Width = Defaults.MlpWidth, Activation Activation = Activation.Swish, bool Bias = false, bool TrainOnNormalizedLogits = false) : ArchitectureSpec
{
    public override nn.Module<Tensor, Tensor> Create(ModelContext context)
    {
        var mlp = Mlp.Create(new MlpOptions(context.InputSize, context.OutputSize, Hidden, Width, Activation, Bias), context.Seed);
        return TrainOnNormalizedLogits ? new L2NormalizedOutput(mlp) : mlp;
    }
}

/// <summary>An MLP whose width is the largest that fits a parameter budget at the given depth (paper §5.3).</summary>
public sealed record MlpBudgetSpec(long Parameters = Defaults.MlpBudgetParameters, int Hidden = Defaults.MlpHidden, Activation Activation = Activation.Swish, bool Bias = false, bool TrainOnNormalizedLogits = false) : ArchitectureSpec
{
    public override nn.Module<Tensor, Tensor> Create(ModelContext context)
    {
        int width = Mlp.WidthForBudget(Parameters, context.InputSize, context.OutputSize, Hidden, Bias);
        return new MlpSpec(Hidden, width, Activation, Bias, TrainOnNormalizedLogits).Create(context);
    }
}

/// <summary>The Z2CNN of Cohen &amp; Welling for 28×28 single-channel images.</summary>
public sealed record CnnSpec(int Channels = 20, double Dropout = 0.3) : ArchitectureSpec
{
    public override nn.Module<Tensor, Tensor> Create(ModelContext context)
    {
        PaperCnnInput.Require(context, "[Cnn]");
        torch.manual_seed(context.Seed);
        return new Z2Cnn(context.OutputSize, Channels, Dropout);
    }
}

/// <summary>The P4CNN of Cohen &amp; Welling for 28×28 single-channel images.</summary>
public sealed record P4CnnSpec(int Channels = 10, RotationPooling RotationPooling = RotationPooling.Final, double Dropout = 0.3) : ArchitectureSpec
{
    public override nn.Module<Tensor, Tensor> Create(ModelContext context)
    {
        PaperCnnInput.Require(context, "[P4Cnn]");
        torch.manual_seed(context.Seed);
        return new P4Cnn(context.OutputSize, Channels, RotationPooling, Dropout);
    }
}

internal static class PaperCnnInput
{
    public static void Require(ModelContext context, string attribute)
    {
        if (context.InputShape is not ([PaperCnn.InputSize, PaperCnn.InputSize] or [1, PaperCnn.InputSize, PaperCnn.InputSize]))
            throw new InvalidOperationException($"{attribute} is built for 28×28 single-channel images but the data has inputs of shape [{string.Join(", ", context.InputShape)}].");
    }
}

/// <summary>
/// ELLA's network of relaxed blocks (<see cref="RelaxedNetwork"/>) of width α = <paramref name="Width"/>; every
/// parameter tensor carries a Gaussian prior of precision <paramref name="PriorPrecision"/> (learned with [Laplace]).
/// </summary>
/// <param name="FcInitScale">Scales the FC pathway's initial weights (1 = ELLA's initialisation).</param>
public sealed record RelaxedCnnSpec(int Width = 4, Pathways Pathways = Pathways.FactoredFC | Pathways.Conv, double PriorPrecision = 1.0, double FcInitScale = 1.0) : ArchitectureSpec
{
    public override nn.Module<Tensor, Tensor> Create(ModelContext context)
    {
        int canvas = context.InputShape switch
        {
            [var h, var w] when h == w => h,
            [1, var h, var w] when h == w => h,
            _ => throw new InvalidOperationException($"[RelaxedCnn] needs square single-channel images but the data has inputs of shape [{string.Join(", ", context.InputShape)}]."),
        };
        if (!RelaxedNetwork.IsValidCanvas(canvas))
            throw new InvalidOperationException($"[RelaxedCnn] halves the image with stride-2 blocks down to 2×2, so its side must be a power of two ≥ 4, not {canvas}; use [QuadrantMnist(Canvas = 16)] or 32.");
        torch.manual_seed(context.Seed);
        return new RelaxedNetwork(canvas, Width, context.OutputSize, Pathways, FcInitScale);
    }
}

/// <summary>A user model factory (<c>[Model(typeof(T))]</c>) or a model-building method on the experiment.</summary>
public sealed record CustomModelSpec(string Source, Func<ModelContext, nn.Module<Tensor, Tensor>> Factory) : ArchitectureSpec
{
    public override nn.Module<Tensor, Tensor> Create(ModelContext context) => Factory(context);

    public override string ToString() => $"CustomModelSpec {{ Source = {Source} }}";

    public static CustomModelSpec FromFactory<T>() where T : IModelFactory, new()
        => new(typeof(T).FullName ?? typeof(T).Name, context => new T().Create(context));
}

/// <summary>The ground-truth algebra the learned generators are compared with.</summary>
public abstract record GroundTruthSpec
{
    public abstract ILieAlgebra Resolve(ISymmetryPrior prior);
}

public sealed record BuiltInGroundTruth(Group Group) : GroundTruthSpec
{
    public override ILieAlgebra Resolve(ISymmetryPrior prior) => LieAlgebra.For(Group, prior.GeneratorRows, prior.GeneratorColumns);
}

public sealed record CustomGroundTruth(string TypeName, Func<ILieAlgebra> Factory) : GroundTruthSpec
{
    public override ILieAlgebra Resolve(ISymmetryPrior prior) => Factory();

    public override string ToString() => $"CustomGroundTruth {{ Type = {TypeName} }}";
}

/// <summary>How the trained network is analysed.</summary>
/// <param name="Transform">Output transform; null = L2 normalisation for classifiers, none for regression.</param>
/// <param name="Samples">Training samples in the polarization matrix; 0 = all.</param>
/// <param name="Bootstrap">Bootstrap resamples for the confidence intervals.</param>
public sealed record AnalysisSpec(
    OutputReduction Outputs = OutputReduction.Sum,
    OutputTransform? Transform = null,
    bool LayerWise = false,
    int Samples = 0,
    int Bootstrap = Defaults.AnalysisBootstrap)
{
    public OutputTransform ResolveTransform(TaskKind task, int outputs)
        => Transform ?? (task == TaskKind.Classification && outputs > 1 ? OutputTransform.L2Normalize : OutputTransform.None);

    public override string ToString()
        => $"AnalysisSpec {{ Outputs = {Outputs}, Transform = {Transform?.ToString() ?? "auto"}, LayerWise = {LayerWise}, Samples = {Samples}, Bootstrap = {Bootstrap} }}";
}
