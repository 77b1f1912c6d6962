using Microsoft.CodeAnalysis;

namespace LieGG.Dsl.Generators.Tests;

using LieGG.Testing;

public sealed class GeneratedSourceTests
{
    private const string Regression = """
        using LieGG.Dsl;
        namespace Lab;

        [Experiment("o5", Description = "O(5) with \"quotes\"")]
        [O5Regression(TrainCount = 2000)]
        [Mlp(Hidden = 2, Width = 32, Activation = Activation.Swish)]
        [Train(Epochs = 90, BatchSize = 500, LearningRate = 3e-3, WeightDecay = 1e-4)]
        [GenericPrior(Dimension = 5, Copies = 2)]
        [GroundTruth(Group.SO)]
        public partial class O5Study;
        """;

    private const string LayerwiseClassifier = """
        using LieGG.Dsl;
        namespace Lab.Images;

        [Experiment("rot-layers")]
        [RotatedMnist(Blur = 1.5, TrainCount = 4000)]
        [MlpBudget(Parameters = 120_000, Hidden = 3, TrainOnNormalizedLogits = true)]
        [Train(Epochs = 20, BatchSize = 256, LearningRate = 1e-3, Seed = 7, Loss = Loss.CrossEntropy)]
        [SpatialPrior(Convention = SpatialConvention.Reference, Affine = true)]
        [GroundTruth(Group.SE2)]
        [Analysis(LayerWise = true, Outputs = OutputReduction.PerOutput, Transform = OutputTransform.Softmax, Samples = 1000)]
        internal partial record RotLayers;
        """;

    private const string EquivariantNetwork = """
        using LieGG.Dsl;
        namespace Lab;

        [Experiment("p4-equivariance")]
        [RotatedMnist]
        [P4Cnn(Channels = 4)]
        [Train(Epochs = 3)]
        [SpatialPrior(Affine = true)]
        [GroundTruth(Group.SE2)]
        [Equivariance(Elements = SymmetryElements.Rotations | SymmetryElements.Flip, Exact = SymmetryElements.Rotations, Samples = 64)]
        public partial class P4Equivariance;
        """;

    private const string CustomEverything = """
        using LieGG.Dsl;
        using LieGG.Runtime.Data;
        using LieGG.Runtime.Experiments;
        using LieGG.Runtime.Symmetry;
        using TorchSharp;
        using static TorchSharp.torch;

        public sealed class Points : IDatasetSource
        {
            public IDataset Load(DatasetContext context) => throw new System.InvalidOperationException();
        }

        public sealed class Net : IModelFactory
        {
            public nn.Module<Tensor, Tensor> Create(ModelContext context) => nn.Linear(context.InputSize, context.OutputSize);
        }

        public sealed class Planar : ILieAlgebra
        {
            public string Name => "planar";
            public System.Collections.Generic.IReadOnlyList<double[,]> Basis => new[] { new double[,] { { 0, 1 }, { -1, 0 } } };
        }

        [Experiment("custom")]
        [Dataset(typeof(Points), Task = TaskKind.Regression, InputShape = new[] { 6 })]
        [Model(typeof(Net))]
        [Train]
        [GenericPrior(Dimension = 2, Copies = 3)]
        [GroundTruth(typeof(Planar))]
        public partial class Custom;
        """;

    private const string CodeArchitecture = """
        using LieGG.Dsl;
        using LieGG.Runtime.Experiments;
        using TorchSharp;
        using static TorchSharp.torch;
        namespace Lab;

        [Experiment("coded")]
        [RotatedMnist]
        [Train(Epochs = 5)]
        [SpatialPrior]
        public partial class Coded
        {
            private static nn.Module<Tensor, Tensor> BuildNetwork(ModelContext context)
                => nn.Sequential(nn.Flatten(), nn.Linear(context.InputSize, context.OutputSize));
        }
        """;

    private const string Study = """
        using LieGG.Dsl;
        namespace Lab;

        [Study("width-depth", Description = "budget × depth")]
        [RotatedMnist(Blur = 1.5)]
        [MlpBudget(Parameters = 40_000, TrainOnNormalizedLogits = true)]
        [Train(Epochs = 20, Seed = 10)]
        [SpatialPrior]
        [GroundTruth(Group.SO)]
        [Sweep("MlpBudget.Parameters", 40_000L, 60_000L)]
        [Sweep("MlpBudget.Hidden", 1, 2, 3)]
        [Sweep("MlpBudget.Activation", Activation.Swish, Activation.ReLU)]
        [Replicates(2)]
        [Correlate(Metric.Variance, Metric.TestMetric)]
        [Plot(X = "Parameters", Y = Metric.TestMetric, Series = "Hidden", LogX = true)]
        public partial class WidthDepth;
        """;

    private const string Comparison = """
        using LieGG.Dsl;
        namespace Lab;

        [Experiment("small")] [O5Regression] [Mlp(Width = 8)] [Train(Seed = 5)] [GenericPrior(Dimension = 5, Copies = 2)]
        public partial class Small;
        [Experiment("large")] [O5Regression] [Mlp(Width = 64)] [Train(Seed = 7)] [GenericPrior(Dimension = 5, Copies = 2)]
        public partial class Large;

        [Study("sizes-table", Reference = "Table 1: small 1.0, large 0.5")]
        [Compare(typeof(Small), typeof(Large))]
        [Replicates(2)]
        public partial class SizesTable;
        """;

    [Theory]
    [InlineData(nameof(Comparison), Comparison, "Lab.SizesTable.LieGG.g.cs")]
    [InlineData(nameof(Study), Study, "Lab.WidthDepth.LieGG.g.cs")]
    [InlineData(nameof(CodeArchitecture), CodeArchitecture, "Lab.Coded.LieGG.g.cs")]
    [InlineData(nameof(Regression), Regression, "Lab.O5Study.LieGG.g.cs")]
    [InlineData(nameof(LayerwiseClassifier), LayerwiseClassifier, "Lab.Images.RotLayers.LieGG.g.cs")]
    [InlineData(nameof(CustomEverything), CustomEverything, "Custom.LieGG.g.cs")]
    [InlineData(nameof(EquivariantNetwork), EquivariantNetwork, "Lab.P4Equivariance.LieGG.g.cs")]
    public void Generated_source_matches_snapshot_and_compiles_cleanly(string name, string source, string hintName)
    {
        var (files, output, _) = GeneratorHarness.Run(source);

        TextSnapshot.Match(files[hintName], name);
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Catalog_lists_complete_experiments_by_name()
    {
        var (files, _, _) = GeneratorHarness.Run(Regression, LayerwiseClassifier, CustomEverything);
        TextSnapshot.Match(files["LieGG.ExperimentCatalog.g.cs"], "Catalog");
    }

    [Fact]
    public void Result_members_follow_the_declaration()
    {
        var (_, output, _) = GeneratorHarness.Run(Regression, LayerwiseClassifier);
        var regression = output.GetTypeByMetadataName("Lab.O5StudyResult")!;
        var classifier = output.GetTypeByMetadataName("Lab.Images.RotLayersResult")!;

        Assert.NotEmpty(regression.GetMembers("TestMse"));
        Assert.Empty(regression.GetMembers("TestAccuracy"));
        Assert.Empty(regression.GetMembers("Layers"));
        Assert.NotEmpty(classifier.GetMembers("TestAccuracy"));
        Assert.NotEmpty(classifier.GetMembers("Layers"));
        Assert.Equal(Accessibility.Internal, classifier.DeclaredAccessibility);
        Assert.Empty(classifier.GetMembers("Equivariance"));
        var (_, equivariant, _) = GeneratorHarness.Run(EquivariantNetwork);
        Assert.NotEmpty(equivariant.GetTypeByMetadataName("Lab.P4EquivarianceResult")!.GetMembers("Equivariance"));
    }

    [Fact]
    public void Incomplete_or_non_partial_declarations_generate_nothing_but_the_catalog()
    {
        var (files, output, _) = GeneratorHarness.Run("""
            using LieGG.Dsl;
            [Experiment("no-prior")] [O5Regression] [Mlp] [Train] public partial class NoPrior;
            [Experiment("not-partial")] [O5Regression] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)] public class NotPartial;
            """);

        Assert.Equal(["LieGG.ExperimentCatalog.g.cs"], files.Keys);
        Assert.DoesNotContain("no-prior", files["LieGG.ExperimentCatalog.g.cs"]);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void Declarations_the_analyzers_reject_never_produce_generated_code_that_does_not_compile()
    {
        var (files, output, _) = GeneratorHarness.Run("""
            using LieGG.Dsl;
            using LieGG.Runtime.Data;
            using LieGG.Runtime.Experiments;
            namespace Lab;
            [Experiment("nan-blur")] [RotatedMnist(Blur = double.NaN)] [Mlp] [Train] [SpatialPrior] public partial class NanBlur;
            [Study("string-sweep")] [O5Regression] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)] [Sweep("Mlp.Width", "wide", 32)] public partial class StringSweep;
            [Study("fraction-sweep")] [O5Regression] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)] [Sweep("Mlp.Width", 1.5)] public partial class FractionSweep;
            [Experiment("no-constructor")] [Dataset(typeof(NoConstructor))] [Mlp] [Train] [SpatialPrior] public partial class NoCtor;
            [Experiment("not-a-source")] [Dataset(typeof(NotASource))] [Mlp] [Train] [SpatialPrior] public partial class NotSource;
            [Experiment("abstract-model")] [Mnist] [Model(typeof(AbstractFactory))] [Train] [SpatialPrior] public partial class AbstractModel;
            public sealed class NoConstructor(int size) : IDatasetSource { public IDataset Load(DatasetContext context) => throw new System.NotSupportedException(); }
            public sealed class NotASource { }
            public abstract class AbstractFactory : IModelFactory { public abstract TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> Create(ModelContext context); }
            """);

        // NaN is written as double.NaN (the range rule LGG2001 reports it); the other declarations generate nothing.
        Assert.Contains("Blur: double.NaN", files["Lab.NanBlur.LieGG.g.cs"]);
        Assert.Equal(["Lab.NanBlur.LieGG.g.cs", "LieGG.ExperimentCatalog.g.cs"], files.Keys.Order());
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }
}
