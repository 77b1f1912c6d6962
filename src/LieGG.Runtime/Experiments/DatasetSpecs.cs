using LieGG.Dsl;
using LieGG.Runtime.Data;

namespace LieGG.Runtime.Experiments;

/// <summary>Where the data comes from.</summary>
public abstract record DatasetSpec
{
    /// <summary>Regression or classification, known before loading (the result's metric depends on it).</summary>
    public abstract TaskKind Task { get; }

    public abstract IDataset Load(DatasetContext context);

    /// <summary>Whether the data come from a --data-dir when one is given (digits do; generated data do not).</summary>
    /// <remarks>A method, so records' printed settings (compared across runs) do not change.</remarks>
    public virtual bool ReadsDataDirectory() => true;

    /// <summary>Whether loading with <paramref name="context"/> uses the data directory's images as given rotated digits (what the run records as prerotated).</summary>
    public virtual bool UsesGivenRotatedDigits(DatasetContext context) => false;

    /// <summary>The split whose inputs the polarization matrix takes unless a run asks for another (the paper: training inputs).</summary>
    public virtual SplitName AnalysedSplit() => SplitName.Train;

    /// <summary>
    /// The split sizes loading asks for (after --quick); null when only loading can tell (a custom source). A data
    /// directory's split may give fewer: each split is at most its file.
    /// </summary>
    public virtual (int Train, int Validation, int Test)? PlannedSizes(bool quick) => null;

    /// <summary>This spec with the split sizes a run used, so the recorded spec says what ran; unchanged for sources without sizes.</summary>
    public virtual DatasetSpec WithSizes(int train, int validation, int test) => this;

    /// <summary>
    /// Split sizes for a smoke run: a tenth of the training split (at least 100, so a sweep over sizes keeps its
    /// order), at most 200 validation and test samples.
    /// </summary>
    protected static (int Train, int Validation, int Test) QuickSizes(int train, int validation, int test, bool quick)
        => quick ? QuickRun.Sizes(train, validation, test) : (train, validation, test);

    /// <summary>All digits in one pool, for datasets that draw every split from it: the embedded ones, or a data directory's files pooled (--pool-splits).</summary>
    protected static MnistDigits PooledDigits(DatasetContext context, string attribute)
    {
        if (context.DataDirectory is not null && !context.PoolSplits)
            throw new ArgumentException($"[{attribute}] draws its digits from one pool, so it cannot keep a data directory's own train/test split; pass --pool-splits to pool the directory's files and split them by the seed.");
        return context.DataDirectory is null ? MnistDigits.Embedded() : MnistDirectory.Find(context.DataDirectory).LoadAll();
    }
}

/// <summary>The O(5) regression task (paper §5.1), in the task's units with its standardization (<see cref="O5Synthetic"/>).</summary>
public sealed record O5DatasetSpec(int TrainCount = Defaults.O5TrainCount, int ValidationCount = Defaults.O5ValidationCount, int TestCount = Defaults.O5TestCount,
    O5Protocol Protocol = O5Protocol.Standard) : DatasetSpec
{
    public override TaskKind Task => TaskKind.Regression;

    public override bool ReadsDataDirectory() => false;

    public override SplitName AnalysedSplit() => Protocol == O5Protocol.LieGGAuthors ? SplitName.All : SplitName.Train;

    public override (int Train, int Validation, int Test)? PlannedSizes(bool quick) => QuickSizes(TrainCount, ValidationCount, TestCount, quick);

    public override DatasetSpec WithSizes(int train, int validation, int test) => this with { TrainCount = train, ValidationCount = validation, TestCount = test };

    public override IDataset Load(DatasetContext context)
    {
        var (train, validation, test) = PlannedSizes(context.Quick)!.Value;
        return O5Synthetic.Create(new O5Options
        {
            Seed = context.Seed, TrainCount = train, ValidationCount = validation, TestCount = test, StatisticsOverAllSamples = Protocol == O5Protocol.LieGGAuthors,
        }).Data;
    }
}

/// <summary>The O(5)-equivariant regression task (<see cref="O5EquivariantSynthetic"/>).</summary>
public sealed record O5EquivariantDatasetSpec(int TrainCount = Defaults.O5TrainCount, int ValidationCount = Defaults.O5ValidationCount, int TestCount = Defaults.O5TestCount) : DatasetSpec
{
    public override TaskKind Task => TaskKind.Regression;

    public override (int Train, int Validation, int Test)? PlannedSizes(bool quick) => QuickSizes(TrainCount, ValidationCount, TestCount, quick);

    public override DatasetSpec WithSizes(int train, int validation, int test) => this with { TrainCount = train, ValidationCount = validation, TestCount = test };

    public override bool ReadsDataDirectory() => false;

    public override IDataset Load(DatasetContext context)
    {
        var (train, validation, test) = PlannedSizes(context.Quick)!.Value;
        return O5EquivariantSynthetic.Create(new SyntheticSplits(context.Seed, train, validation, test)).Data;
    }
}

/// <summary>EMLP's Inertia task (<see cref="InertiaSynthetic"/>).</summary>
public sealed record InertiaDatasetSpec(int TrainCount = Defaults.InertiaTrainCount, int ValidationCount = Defaults.InertiaValidationCount, int TestCount = Defaults.InertiaTestCount) : DatasetSpec
{
    public override TaskKind Task => TaskKind.Regression;

    public override (int Train, int Validation, int Test)? PlannedSizes(bool quick) => QuickSizes(TrainCount, ValidationCount, TestCount, quick);

    public override DatasetSpec WithSizes(int train, int validation, int test) => this with { TrainCount = train, ValidationCount = validation, TestCount = test };

    public override bool ReadsDataDirectory() => false;

    public override IDataset Load(DatasetContext context)
    {
        var (train, validation, test) = PlannedSizes(context.Quick)!.Value;
        return InertiaSynthetic.Create(new SyntheticSplits(context.Seed, train, validation, test)).Data;
    }
}

/// <summary>MNIST digits, optionally rotated (rotated MNIST), blurred and normalised.</summary>
/// <param name="Rotate">Give every digit a seeded random angle (rotated MNIST).</param>
/// <param name="TrainCount">Training digits; null = the digit set's own size (<see cref="DeclaredSizes"/>). With a data directory's split kept, at most its training file's digits.</param>
/// <param name="Digits">Which digits, and how they are split (see <see cref="DigitSet"/>); a --data-dir replaces the digits.</param>
/// <param name="Prerotated">The --data-dir IDX files hold rotated digits: use them as they are.</param>
public sealed record MnistDatasetSpec(bool Rotate, int? TrainCount = null, int? ValidationCount = null, int? TestCount = null, double Blur = 0, BlurEdge BlurEdge = BlurEdge.Nearest,
    bool Normalize = true, DigitSet Digits = DigitSet.Embedded10k, bool Prerotated = false) : DatasetSpec
{
    /// <summary>Split sizes of the classic rotated-MNIST protocol (Larochelle et al., 2007).</summary>
    public static readonly (int Train, int Validation, int Test) ClassicSizes = (10_000, 2_000, 50_000);

    public override TaskKind Task => TaskKind.Classification;

    /// <summary>
    /// The split sizes this spec asks for before --quick: each count that is set, else the digit set's — the classic
    /// protocol's 10 000 / 2 000 / 50 000, or <see cref="Defaults.MnistTrainCount"/> and its siblings. A declaration of
    /// the classic protocol cannot set them (LGG2007); a --set override can, and is recorded as the run's deviation.
    /// </summary>
    public (int Train, int Validation, int Test) DeclaredSizes()
    {
        var set = Digits == DigitSet.ClassicRotation ? ClassicSizes : (Defaults.MnistTrainCount, Defaults.MnistValidationCount, Defaults.MnistTestCount);
        return (TrainCount ?? set.Item1, ValidationCount ?? set.Item2, TestCount ?? set.Item3);
    }

    public override (int Train, int Validation, int Test)? PlannedSizes(bool quick)
    {
        var declared = DeclaredSizes();
        return QuickSizes(declared.Train, declared.Validation, declared.Test, quick);
    }

    public override DatasetSpec WithSizes(int train, int validation, int test) => this with { TrainCount = train, ValidationCount = validation, TestCount = test };

    public override IDataset Load(DatasetContext context)
    {
        bool prerotated = Prerotated || context.Prerotated;
        if (prerotated && !Rotate)
            throw new ArgumentException("--prerotated (Prerotated) says the files hold rotated digits, but the declaration is [Mnist] (plain digits); use [RotatedMnist], or drop --prerotated.");
        if (prerotated && context.DataDirectory is null)
            throw new ArgumentException($"Prerotated: the {(Digits == DigitSet.Embedded10k ? "embedded 10k" : "embedded 70k")} digits are not rotated; give --data-dir with the rotated IDX files, or drop Prerotated / --prerotated.");
        var (train, validation, test) = PlannedSizes(context.Quick)!.Value;
        var options = new RotatedMnistOptions
        {
            Seed = context.Seed, TrainCount = train, ValidationCount = validation, TestCount = test, BlurSigma = Blur, BlurEdge = BlurEdge, Normalize = Normalize,
        };
        var source = OpenSource(context, prerotated);
        // The embedded 10k are one pool and the classic protocol pools the embedded 70k by definition; a directory's
        // files keep their own split (each split at most its file) unless --pool-splits asks otherwise.
        bool pool = context.PoolSplits || (context.DataDirectory is null && Digits != DigitSet.Mnist70k);
        var splits = pool ? DigitSplits.Pooled(source, context.Seed, train, validation, test) : DigitSplits.FromFileSplit(source, context.Seed, train, validation, test);
        return RotatedMnist.Build(source, splits, options, Rotate);
    }

    public override bool UsesGivenRotatedDigits(DatasetContext context)
        => Rotate && context.DataDirectory is { } directory && (Prerotated || context.Prerotated || AmatFiles(directory).Length > 0);

    private DigitSource OpenSource(DatasetContext context, bool prerotated)
    {
        if (context.DataDirectory is not { } directory)
            return Digits == DigitSet.Embedded10k ? DigitSource.Embedded10k() : DigitSource.Embedded70k();
        // Classic rot-MNIST .amat files are already rotated: used as they are.
        var amat = AmatFiles(directory);
        if (Rotate && amat.Length > 0) return DigitSource.FromAmatFiles(amat);
        return DigitSource.FromDirectory(MnistDirectory.Find(directory), prerotated);
    }

    private static string[] AmatFiles(string directory) => Directory.GetFiles(directory, "*.amat").Order(StringComparer.Ordinal).ToArray();
}

/// <summary>ELLA's quadrant task (Table 1): digits in a seeded quadrant of a canvas, labelled by digit or digit + quadrant.</summary>
public sealed record QuadrantMnistDatasetSpec(QuadrantTask Labels = QuadrantTask.Digit, int Canvas = Defaults.QuadrantCanvas, int DigitSize = Defaults.QuadrantDigitSize,
    int TrainCount = Defaults.QuadrantTrainCount, int ValidationCount = Defaults.QuadrantValidationCount, int TestCount = Defaults.QuadrantTestCount) : DatasetSpec
{
    public override TaskKind Task => TaskKind.Classification;

    public override (int Train, int Validation, int Test)? PlannedSizes(bool quick) => QuickSizes(TrainCount, ValidationCount, TestCount, quick);

    public override DatasetSpec WithSizes(int train, int validation, int test) => this with { TrainCount = train, ValidationCount = validation, TestCount = test };

    public override IDataset Load(DatasetContext context)
    {
        var (train, validation, test) = PlannedSizes(context.Quick)!.Value;
        var digits = PooledDigits(context, "QuadrantMnist");
        return QuadrantMnist.Create(digits, new QuadrantMnistOptions
        {
            Seed = context.Seed, Task = Labels, Canvas = Canvas, DigitSize = DigitSize, TrainCount = train, ValidationCount = validation, TestCount = test,
        });
    }
}

/// <summary>MNIST on a larger canvas (ELLA's Table 3): centred, translated by a seeded offset, and/or rotated by a seeded angle.</summary>
public sealed record CanvasMnistDatasetSpec(bool Translate = false, bool Rotate = false, int Canvas = Defaults.CanvasMnistCanvas, int DigitSize = Defaults.CanvasMnistDigitSize,
    int TrainCount = Defaults.MnistTrainCount, int ValidationCount = Defaults.MnistValidationCount, int TestCount = Defaults.MnistTestCount) : DatasetSpec
{
    public override TaskKind Task => TaskKind.Classification;

    public override (int Train, int Validation, int Test)? PlannedSizes(bool quick) => QuickSizes(TrainCount, ValidationCount, TestCount, quick);

    public override DatasetSpec WithSizes(int train, int validation, int test) => this with { TrainCount = train, ValidationCount = validation, TestCount = test };

    public override IDataset Load(DatasetContext context)
    {
        var (train, validation, test) = PlannedSizes(context.Quick)!.Value;
        var digits = PooledDigits(context, "CanvasMnist");
        return CanvasMnist.Create(digits, new CanvasMnistOptions
        {
            Seed = context.Seed, Translate = Translate, Rotate = Rotate, Canvas = Canvas, DigitSize = DigitSize, TrainCount = train, ValidationCount = validation, TestCount = test,
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
