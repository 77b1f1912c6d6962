using static LieGG.Dsl.Generators.Diagnostics.DiagnosticDescriptors;

namespace LieGG.Dsl.Generators.Diagnostics;

/// <summary>LGG2xxx: the dataset and the network — values in range, user types that can be built, a network that fits the data.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DatasetAndArchitectureAnalyzer : DeclarationAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        OutOfRange, WrongType, CnnNeedsDigits, RelaxedNeedsPowerOfTwoCanvas, InvalidPathways, QuadrantDigitDoesNotFit, ClassicSplitFixed);

    private protected override void Analyze(DeclarationFacts facts, Reporter report, SymbolAnalysisContext context, object? compilationState)
    {
        if (facts.IsComparison) return;
        if (facts.Dataset is { } dataset) CheckDataset(report, dataset, facts.Interfaces);
        if (facts.Architecture is { } architecture)
        {
            report.Ranges(architecture);
            if (architecture.Name == "Model") report.TypeImplements(architecture, 0, facts.Interfaces.ModelFactory, "LieGG.Runtime.Experiments.IModelFactory");
            if (architecture.Name is "Cnn" or "P4Cnn" && facts.Data?.Shape is { } shape
                && !(shape.Length == 2 && shape[0] == Defaults.MnistSide && shape[1] == Defaults.MnistSide || shape.Length == 3 && shape[0] == 1 && shape[1] == Defaults.MnistSide && shape[2] == Defaults.MnistSide))
                report.At(architecture.Location, CnnNeedsDigits, architecture.Name, facts.Data.Source, string.Join(", ", shape));
            if (architecture.Name == "RelaxedCnn") CheckRelaxed(report, architecture, facts.Data);
        }
        if (facts.Pretrain is { } pretrain) CheckPretrain(report, pretrain, facts.Architecture);
    }

    private static void CheckPretrain(Reporter report, DslAttribute pretrain, DslAttribute? architecture)
    {
        report.Ranges(pretrain);
        int layers = pretrain.Int("Layers") ?? Defaults.PretrainLayers;
        int? hidden = architecture?.Name is "Mlp" or "MlpBudget" ? architecture.Int("Hidden") ?? Defaults.MlpHidden : null;
        if (architecture is not null && hidden is null)
            report.At(pretrain.Location, OutOfRange, "Pretrain", "(architecture)", architecture.Name, "[Mlp] or [MlpBudget]: only MLP layers can be pre-trained");
        else if (hidden is { } h && DeclarationRules.PretrainWithinHidden(layers, h) is { } requirement)
            report.At(pretrain.Named("Layers") is null ? pretrain.Location : pretrain.ArgumentLocation("Layers"), OutOfRange, "Pretrain", "Layers", layers.ToString(CultureInfo.InvariantCulture), requirement);
    }

    private static void CheckDataset(Reporter report, DslAttribute dataset, RuntimeInterfaces interfaces)
    {
        report.Ranges(dataset);
        if (dataset.Name == "QuadrantMnist")
        {
            int canvas = dataset.Int("Canvas") ?? Defaults.QuadrantCanvas, digit = dataset.Int("DigitSize") ?? Defaults.QuadrantDigitSize;
            if (DeclarationRules.QuadrantDigitFits(canvas, digit) is { } misfit)
                report.At(dataset.ArgumentLocation(canvas % 2 != 0 ? "Canvas" : "DigitSize"), QuadrantDigitDoesNotFit, canvas, digit, misfit.Fault, misfit.Fix);
        }
        if (dataset.Name == "CanvasMnist")
        {
            int canvas = dataset.Int("Canvas") ?? Defaults.CanvasMnistCanvas, digit = dataset.Int("DigitSize") ?? Defaults.CanvasMnistDigitSize;
            if (DeclarationRules.CanvasDigitFits(canvas, digit) is { } requirement)
                report.At(dataset.Named("DigitSize") is null ? dataset.Location : dataset.ArgumentLocation("DigitSize"), OutOfRange, "CanvasMnist", "DigitSize",
                    digit.ToString(CultureInfo.InvariantCulture), requirement);
        }
        if (dataset.Name is "Mnist" or "RotatedMnist" && dataset.Enum<DigitSet>("Digits") == DigitSet.ClassicRotation)
        {
            foreach (var count in new[] { "TrainCount", "ValidationCount", "TestCount" })
                if (dataset.Named(count) is not null) report.At(dataset.ArgumentLocation(count), ClassicSplitFixed, dataset.Name, count);
        }
        if (dataset.Name == "Dataset")
        {
            report.TypeImplements(dataset, 0, interfaces.DatasetSource, "LieGG.Runtime.Experiments.IDatasetSource");
            if (dataset.Named("InputShape") is { } shape && (shape.Values.Length == 0 || shape.Values.Any(v => v.Value is not int n || n <= 0)))
                report.At(dataset.ArgumentLocation("InputShape"), OutOfRange, dataset.Name, "InputShape", "{ " + string.Join(", ", shape.Values.Select(v => v.Value)) + " }", "one or more positive sizes, e.g. new[] { 28, 28 }");
        }
    }

    private static void CheckRelaxed(Reporter report, DslAttribute architecture, DatasetFacts? data)
    {
        if (architecture.Enum<Pathways>("Pathways") is { } pathways && DeclarationRules.PathwaysFault((int)pathways) is { } fault)
            report.At(architecture.ArgumentLocation("Pathways"), InvalidPathways, ((int)pathways).ToString(CultureInfo.InvariantCulture), fault);
        if (data?.Shape is { } shape)
        {
            int? side = shape switch
            {
                [var h, var w] when h == w => h,
                [1, var h, var w] when h == w => h,
                _ => null,
            };
            if (side is not { } s || s < 4 || (s & (s - 1)) != 0)
                report.At(architecture.Location, RelaxedNeedsPowerOfTwoCanvas, data.Source, string.Join(", ", shape));
        }
    }
}
