// Also compiled into the analyzers (LieGG.Dsl.Generators), which read the DSL's defaults and enums as these symbols.
#if LIEGG_ANALYZER
namespace LieGG.Dsl.Generators.Shared;
#else
namespace LieGG.Dsl;
#endif

/// <summary>
/// The DSL's default values and fixed data shapes, in one place: the attributes initialise their properties from these
/// constants, the runtime's spec records take them as default parameters, and the analyzers read them through the
/// compilation. Change a default here and every layer follows.
/// </summary>
public static class Defaults
{
    public const int O5TrainCount = 10_000, O5ValidationCount = 250, O5TestCount = 250;

    /// <summary>The Inertia task's split sizes (EMLP generates 1 024 samples per split by default).</summary>
    public const int InertiaTrainCount = 1000, InertiaValidationCount = 250, InertiaTestCount = 1000;

    public const int MnistTrainCount = 8000, MnistValidationCount = 1000, MnistTestCount = 1000;

    /// <summary>MNIST images are MnistSide × MnistSide pixels, MnistClasses digits.</summary>
    public const int MnistSide = 28, MnistClasses = 10;

    public const int QuadrantCanvas = 16, QuadrantDigitSize = 8, QuadrantTrainCount = 8000, QuadrantValidationCount = 500, QuadrantTestCount = 1500;

    /// <summary>[CanvasMnist]: a DigitSize² digit on a Canvas² canvas (a power of two, for [RelaxedCnn]).</summary>
    public const int CanvasMnistCanvas = 32, CanvasMnistDigitSize = 16;

    public const int MlpHidden = 2, MlpWidth = 32;

    public const long MlpBudgetParameters = 100_000;

    public const int TrainEpochs = 90, TrainBatchSize = 500;

    public const double TrainLearningRate = 3e-3, TrainMomentum = 0.9, TrainFinalLearningRate = 1e-6;

    public const int PretrainLayers = 3;

    public const int AnalysisBootstrap = 200;

    public const int EquivarianceSamples = 256;

    /// <summary>ELLA's default relaxed layer: factored FC and CONV pathways.</summary>
    public const Pathways RelaxedPathways = Pathways.FactoredFC | Pathways.Conv;

    public const SymmetryElements EquivarianceElements = SymmetryElements.Rotations | SymmetryElements.StrideShifts;

    public const int GenericPriorDimension = 2;

    /// <summary>Cohen &amp; Welling's Z2CNN and P4CNN: channels per layer (the P4CNN's per rotation, so both have about 25k parameters) and dropout.</summary>
    public const int CnnChannels = 20, P4CnnChannels = 10;

    public const double CnnDropout = 0.3;

    public const int RelaxedCnnWidth = 4;

    public const double RelaxedCnnPriorPrecision = 1.0;

    /// <summary>ELLA's hyperparameter schedule: first step after BurnIn epochs, then every Every epochs, Steps Adam steps at LearningRate.</summary>
    public const int LaplaceBurnIn = 10, LaplaceEvery = 5, LaplaceSteps = 20;

    public const double LaplaceLearningRate = 0.1;
}
