namespace LieGG.Dsl.Generators.Tests;

/// <summary>One test per diagnostic: it fires on the faulty declaration, at the faulty argument, and nowhere else.</summary>
public sealed class AnalyzerTests
{
    private const string Usings = """
        using LieGG.Dsl;
        using LieGG.Runtime.Data;
        using LieGG.Runtime.Experiments;
        using LieGG.Runtime.Symmetry;
        namespace Lab;

        """;

    [Fact]
    public void Valid_declarations_produce_no_diagnostics() => AnalyzerHarness.Verify(Usings + """
        [Experiment("o5")] [O5Regression] [Mlp] [Train(Loss = Loss.Mse)] [GenericPrior(Dimension = 5, Copies = 2)] [GroundTruth(Group.SO)]
        [Analysis(Transform = OutputTransform.None, LayerWise = true)]
        public partial class O5;

        [Experiment("rot")] [RotatedMnist(Blur = 1.5)] [MlpBudget(Parameters = 40_000, Hidden = 3)] [Train(Loss = Loss.CrossEntropy)] [SpatialPrior(Affine = true)] [GroundTruth(Group.SE2)]
        public partial record Rot;

        [Experiment("lorentz")] [Dataset(typeof(Events), Task = TaskKind.Regression, InputShape = new[] { 8 })] [Model(typeof(Net))] [Train] [GenericPrior(Dimension = 4, Copies = 2)] [GroundTruth(Group.Lorentz)]
        public partial class Lorentz;

        [Study("sizes")] [O5Regression] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)] [Sweep("O5Regression.TrainCount", 100, 200)] [Replicates(2)] [Correlate(Metric.Variance, Metric.TestMetric)]
        public partial class Sizes;

        public sealed class Events : IDatasetSource { public IDataset Load(DatasetContext context) => throw new System.NotSupportedException(); }
        public sealed class Net : IModelFactory { public TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> Create(ModelContext context) => throw new System.NotSupportedException(); }
        """);

    [Fact]
    public void LGG1001_experiment_must_be_partial() => AnalyzerHarness.Verify(Usings + """
        [Experiment("o5")] [O5Regression] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)]
        public class {|LGG1001:O5|};
        """);

    [Fact]
    public void LGG1002_experiment_must_be_top_level() => AnalyzerHarness.Verify(Usings + """
        public static partial class Outer
        {
            [Experiment("o5")] [O5Regression] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)]
            public partial class {|LGG1002:O5|};
        }
        """);

    [Fact]
    public void LGG1003_name_must_be_usable_on_the_command_line() => AnalyzerHarness.Verify(Usings + """
        [Experiment({|LGG1003:"my experiment!"|})] [O5Regression] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)]
        public partial class O5;
        """);

    [Fact]
    public void LGG1004_names_are_unique() => AnalyzerHarness.Verify(Usings + """
        [Experiment({|LGG1004:"o5"|})] [O5Regression] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)]
        public partial class First;
        [Experiment({|LGG1004:"o5"|})] [O5Regression] [Mlp(Width = 64)] [Train] [GenericPrior(Dimension = 5, Copies = 2)]
        public partial class Second;
        [Experiment("o5-other")] [O5Regression] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)]
        public partial class Third;
        """);

    [Fact]
    public void LGG1005_dsl_attributes_need_an_experiment() => AnalyzerHarness.Verify(Usings + """
        [{|LGG1005:Mlp(Width = 3)|}] [Train]
        public class Forgotten;
        """);

    [Fact]
    public void LGG1006_every_group_is_required()
    {
        AnalyzerHarness.Verify(Usings + """
            [{|LGG1006:Experiment("no-prior")|}] [O5Regression] [Mlp] [Train]
            public partial class NoPrior;
            """);

        var missing = AnalyzerHarness.Analyze(Usings + """
            [Experiment("no-data-no-training")] [Mlp] [SpatialPrior]
            public partial class NoData;
            """);
        Assert.All(missing, d => Assert.Equal("LGG1006", d.Id));
        Assert.Equal(
            ["Experiment 'no-data-no-training' declares no dataset; add one of [O5Regression], [O5Equivariant], [Inertia], [Mnist], [RotatedMnist], [QuadrantMnist], [CanvasMnist], [Dataset]",
             "Experiment 'no-data-no-training' declares no training; add one of [Train]"],
            missing.Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).Order());
    }

    [Fact]
    public void Architecture_may_be_a_BuildNetwork_method_but_not_both() => AnalyzerHarness.Verify(Usings + """
        [Experiment("coded")] [RotatedMnist] [Train] [SpatialPrior]
        public partial class Coded
        {
            private static TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> BuildNetwork(ModelContext context) => throw new System.NotSupportedException();
        }
        [Experiment("both")] [RotatedMnist] [{|LGG1007:Mlp|}] [Train] [SpatialPrior]
        public partial class Both
        {
            private static TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> BuildNetwork(ModelContext context) => throw new System.NotSupportedException();
        }
        """);

    [Fact]
    public void LGG1007_one_attribute_per_group() => AnalyzerHarness.Verify(Usings + """
        [Experiment("two")] [O5Regression] [{|LGG1007:RotatedMnist|}] [Mlp] [{|LGG1007:MlpBudget|}] [Train] [GenericPrior(Dimension = 5, Copies = 2)]
        public partial class Two;
        """);

    [Fact]
    public void LGG2001_numbers_out_of_range() => AnalyzerHarness.Verify(Usings + """
        [Experiment("ranges")]
        [RotatedMnist({|LGG2001:Blur = -1|}, {|LGG2001:TrainCount = 0|}, ValidationCount = 0)]
        [Mlp({|LGG2001:Width = 0|}, {|LGG2001:Hidden = 100|})]
        [Train({|LGG2001:Epochs = 0|}, {|LGG2001:LearningRate = 0|}, {|LGG2001:BatchSize = -5|}, {|LGG2001:WeightDecay = -1e-4|})]
        [SpatialPrior]
        [Analysis({|LGG2001:Samples = -1|}, {|LGG2001:Bootstrap = -1|})]
        public partial class Ranges;
        [Experiment("budget")] [O5Regression] [MlpBudget({|LGG2001:Parameters = 0|}, {|LGG2001:Hidden = 0|})] [Train] [GenericPrior(Dimension = 5, Copies = 2)]
        public partial class Budget;
        [Experiment("canvas")] [CanvasMnist(Canvas = 16, {|LGG2001:DigitSize = 20|})] [RelaxedCnn] [Train] [SpatialPrior]
        public partial class Canvas;
        [Experiment("warmup")] [O5Regression] [Mlp] [Train(Epochs = 3, {|LGG2001:WarmupEpochs = 4|})] [GenericPrior(Dimension = 5, Copies = 2)]
        public partial class Warmup;
        [Experiment("warmup-default-epochs")] [O5Regression] [Mlp] [Train({|LGG2001:WarmupEpochs = 91|})] [GenericPrior(Dimension = 5, Copies = 2)]
        public partial class WarmupDefaultEpochs;
        [Experiment("warmup-ok")] [O5Regression] [Mlp] [Train(Epochs = 3, WarmupEpochs = 3)] [GenericPrior(Dimension = 5, Copies = 2)]
        public partial class WarmupOk;
        [Experiment("init-scales")] [CanvasMnist(Canvas = 16)] [RelaxedCnn({|LGG2001:FcInitScale = 0|}, {|LGG2001:ConvInitScale = -0.5|})] [Train] [SpatialPrior]
        public partial class InitScales;
        [Experiment("canvas-ok")] [CanvasMnist(Translate = true, Rotate = true, Canvas = 16, DigitSize = 16)] [RelaxedCnn(Pathways = Pathways.Conv | Pathways.GroupConv)] [Train] [SpatialPrior]
        public partial class CanvasOk;
        [Experiment("canvas-odd")] [CanvasMnist(Canvas = 28, DigitSize = 28)] [{|LGG2004:RelaxedCnn|}] [Train] [SpatialPrior]
        public partial class CanvasOdd;
        """);

    [Fact]
    public void LGG2002_typeof_arguments_must_implement_the_runtime_interface() => AnalyzerHarness.Verify(Usings + """
        [Experiment("custom")] [Dataset({|LGG2002:typeof(NotASource)|})] [Model({|LGG2002:typeof(NeedsArguments)|})] [Train] [SpatialPrior]
        [GroundTruth({|LGG2002:typeof(AbstractAlgebra)|})]
        public partial class Custom;

        public sealed class NotASource { }
        public sealed class NeedsArguments(int width) : IModelFactory
        {
            public TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> Create(ModelContext context) => throw new System.NotSupportedException(width.ToString());
        }
        public abstract class AbstractAlgebra : ILieAlgebra
        {
            public string Name => "abstract";
            public System.Collections.Generic.IReadOnlyList<double[,]> Basis => [];
        }
        """);

    [Fact]
    public void LGG3001_spatial_prior_needs_images() => AnalyzerHarness.Verify(Usings + """
        [Experiment("o5")] [O5Regression] [Mlp] [Train] [{|LGG3001:SpatialPrior|}]
        public partial class O5;
        [Experiment("vectors")] [Dataset(typeof(Vectors), InputShape = new[] { 12 })] [Mlp] [Train] [{|LGG3001:SpatialPrior(Affine = true)|}]
        public partial class VectorData;
        [Experiment("pictures")] [Dataset(typeof(Vectors), InputShape = new[] { 12, 12 })] [Mlp] [Train] [SpatialPrior]
        public partial class Pictures;
        public sealed class Vectors : IDatasetSource { public IDataset Load(DatasetContext context) => throw new System.NotSupportedException(); }
        """);

    [Fact]
    public void LGG3002_generic_prior_must_cover_the_input() => AnalyzerHarness.Verify(Usings + """
        [Experiment("o5")] [O5Regression] [Mlp] [Train] [GenericPrior({|LGG3002:Dimension = 4|}, Copies = 2)]
        public partial class O5;
        [Experiment("o5-single")] [O5Regression] [Mlp] [Train] [GenericPrior(Dimension = 10)]
        public partial class O5Single;
        """);

    [Fact]
    public void LGG3003_ground_truth_must_fit_the_prior() => AnalyzerHarness.Verify(Usings + """
        [Experiment("se2")] [RotatedMnist] [Mlp] [Train] [SpatialPrior] [GroundTruth({|LGG3003:Group.SE2|})]
        public partial class Se2WithoutAffine;
        [Experiment("translations")] [O5Regression] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)] [GroundTruth({|LGG3003:Group.Translations|})]
        public partial class TranslationsOnVectors;
        [Experiment("lorentz")] [RotatedMnist] [Mlp] [Train] [SpatialPrior(Affine = true)] [GroundTruth({|LGG3003:Group.Lorentz|})]
        public partial class LorentzOnAffine;
        [Experiment("so1")] [Dataset(typeof(Scalars), InputShape = new[] { 3 })] [Mlp] [Train] [GenericPrior(Dimension = 1, Copies = 3)] [GroundTruth({|LGG3003:Group.SO|})]
        public partial class So1;
        [Experiment("fine")] [RotatedMnist] [Mlp] [Train] [SpatialPrior(Affine = true)] [GroundTruth(Group.SO)]
        public partial class RotationInAffine;
        public sealed class Scalars : IDatasetSource { public IDataset Load(DatasetContext context) => throw new System.NotSupportedException(); }
        """);

    [Fact]
    public void LGG3004_generic_prior_on_flattened_images_suggests_the_spatial_prior() => AnalyzerHarness.Verify(Usings + """
        [Experiment("flat")] [Mnist] [Mlp] [Train] [GenericPrior({|LGG3004:Dimension = 784|})]
        public partial class Flat;
        [Experiment("pairs")] [Mnist] [Mlp] [Train] [GenericPrior(Dimension = 28, Copies = 28)]
        public partial class Rows;
        """);

    [Fact]
    public void LGG3005_single_output_cannot_be_l2_normalised() => AnalyzerHarness.Verify(Usings + """
        [Experiment("o5")] [O5Regression] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)] [Analysis({|LGG3005:Transform = OutputTransform.L2Normalize|})]
        public partial class O5;
        [Experiment("rot")] [RotatedMnist] [Mlp] [Train] [SpatialPrior] [Analysis(Transform = OutputTransform.L2Normalize)]
        public partial class Rot;
        """);

    [Fact]
    public void LGG4001_loss_must_fit_the_task() => AnalyzerHarness.Verify(Usings + """
        [Experiment("o5")] [O5Regression] [Mlp] [Train({|LGG4001:Loss = Loss.CrossEntropy|})] [GenericPrior(Dimension = 5, Copies = 2)]
        public partial class O5;
        [Experiment("rot")] [RotatedMnist] [Mlp] [Train({|LGG4001:Loss = Loss.Mse|})] [SpatialPrior]
        public partial class Rot;
        """);

    private const string StudyBase = "[O5Regression] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)]";

    [Fact]
    public void LGG4101_unknown_sweep_targets_suggest_near_matches()
    {
        AnalyzerHarness.Verify(Usings + $$"""
            [Study("a")] {{StudyBase}} [Sweep({|LGG4101:"O5Regression.TrainCont"|}, 100, 200)]
            public partial class A;
            [Study("b")] {{StudyBase}} [Sweep({|LGG4101:"MlpBudget.Parameters"|}, 1000)]
            public partial class B;
            [Study("c")] {{StudyBase}} [Sweep("Mlp.Width", 8, 16)] [Sweep("O5Regression.ValidationCount", 0, 50)]
            public partial class C;
            """);
        var messages = AnalyzerHarness.Analyze(Usings + $$"""
            [Study("a")] {{StudyBase}} [Sweep("O5Regression.TrainCont", 100, 200)]
            public partial class A;
            """).Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Contains("did you mean \"O5Regression.TrainCount\"?", Assert.Single(messages));
    }

    [Fact]
    public void LGG4102_sweep_values_must_have_the_property_type() => AnalyzerHarness.Verify(Usings + $$"""
        [Study("a")] {{StudyBase}} [Sweep("Mlp.Width", 8, {|LGG4102:16.5|}, {|LGG4102:"32"|})] [Sweep("Train.LearningRate", 1e-3, 3)] [Sweep("Mlp.Activation", Activation.ReLU, Activation.Tanh)]
        public partial class A;
        """);

    [Fact]
    public void LGG4103_swept_values_obey_the_same_ranges_as_declared_ones() => AnalyzerHarness.Verify(Usings + $$"""
        [Study("a")] {{StudyBase}} [Sweep("Mlp.Width", 8, {|LGG4103:0|})] [Sweep("Train.LearningRate", 1e-3, {|LGG4103:0.0|})] [Sweep("Mlp.Hidden", 0, 3)]
        public partial class A;
        """);

    [Fact]
    public void LGG4104_LGG4105_LGG4106_empty_duplicate_and_replicates() => AnalyzerHarness.Verify(Usings + $$"""
        [Study("a")] {{StudyBase}} [Sweep({|LGG4104:"Mlp.Width"|})] [Sweep("Mlp.Hidden", 1, 2)] [Sweep({|LGG4105:"Mlp.Hidden"|}, 3)] [Replicates({|LGG4106:0|})]
        public partial class A;
        """);

    [Fact]
    public void LGG4107_study_attributes_need_a_study() => AnalyzerHarness.Verify(Usings + $$"""
        [Experiment("e")] {{StudyBase}} [{|LGG4107:Sweep("Mlp.Width", 8, 16)|}] [{|LGG4107:Replicates(3)|}]
        public partial class E;
        """);

    [Fact]
    public void LGG4108_plot_axes_must_be_swept_parameters_or_metrics() => AnalyzerHarness.Verify(Usings + $$"""
        [Study("a")] {{StudyBase}} [Sweep("Mlp.Width", 8, 16)] [Sweep("Mlp.Hidden", 1, 2)]
        [Plot(X = "Width", Y = Metric.Variance, Series = "Hidden")] [Plot(X = "Variance", Y = Metric.TestMetric)]
        [Plot({|LGG4108:X = "Depth"|})] [Plot(X = "Width", {|LGG4108:Series = "Seed"|})]
        public partial class A;
        """);

    [Fact]
    public void Pretraining_needs_an_mlp_with_more_hidden_layers() => AnalyzerHarness.Verify(Usings + $$"""
        [Experiment("ok")] [RotatedMnist] [Mlp(Hidden = 6)] [Train] [SpatialPrior] [Pretrain(Layers = 3, Regime = Regime.LayerWise)]
        public partial class Ok;
        [Experiment("too-deep")] [RotatedMnist] [Mlp(Hidden = 3)] [Train] [SpatialPrior] [Pretrain({|LGG2001:Layers = 3|})]
        public partial class TooDeep;
        [Experiment("default-depth")] [RotatedMnist] [Mlp] [Train] [SpatialPrior] [{|LGG2001:Pretrain|}]
        public partial class DefaultDepth;
        [Experiment("zero")] [RotatedMnist] [Mlp(Hidden = 4)] [Train] [SpatialPrior] [Pretrain({|LGG2001:Layers = 0|})]
        public partial class Zero;
        """);

    [Fact]
    public void LGG2003_cnns_need_28_by_28_images() => AnalyzerHarness.Verify(Usings + """
        [Experiment("p4")] [RotatedMnist] [P4Cnn(RotationPooling = RotationPooling.EveryLayer)] [Train] [SpatialPrior]
        public partial class P4;
        [Experiment("z2")] [Mnist] [Cnn({|LGG2001:Channels = 0|}, {|LGG2001:Dropout = 1.5|})] [Train] [SpatialPrior]
        public partial class Z2;
        [Experiment("vectors")] [O5Regression] [{|LGG2003:Cnn|}] [Train] [GenericPrior(Dimension = 5, Copies = 2)]
        public partial class Vectors;
        """);

    [Fact]
    public void Ella_declarations_without_faults_produce_no_diagnostics() => AnalyzerHarness.Verify(Usings + """
        [Experiment("ella")] [QuadrantMnist(Labels = QuadrantTask.DigitQuadrant, Canvas = 32, DigitSize = 16)] [RelaxedCnn(Width = 2, Pathways = Pathways.FactoredFC | Pathways.Conv, PriorPrecision = 2)]
        [Train(Epochs = 20, Optimizer = Optimizer.Sgd, Momentum = 0.9, Schedule = LearningRateSchedule.Cosine, FinalLearningRate = 0)] [Laplace(BurnIn = 5, Every = 2, Fisher = FisherKind.MonteCarlo)] [SpatialPrior(Affine = true)] [GroundTruth(Group.Translations)]
        public partial class Ella;
        [Experiment("ella-map")] [QuadrantMnist] [RelaxedCnn(Pathways = Pathways.Conv)] [Train] [SpatialPrior]
        public partial class EllaMap;
        """);

    [Fact]
    public void LGG2004_relaxed_cnns_need_a_square_power_of_two_image() => AnalyzerHarness.Verify(Usings + """
        [Experiment("digits")] [Mnist] [{|LGG2004:RelaxedCnn|}] [Train] [SpatialPrior]
        public partial class Digits;
        [Experiment("canvas")] [QuadrantMnist(Canvas = 24, DigitSize = 12)] [{|LGG2004:RelaxedCnn|}] [Train] [SpatialPrior]
        public partial class Canvas;
        [Experiment("vectors")] [O5Regression] [{|LGG2004:RelaxedCnn|}] [Train] [GenericPrior(Dimension = 5, Copies = 2)]
        public partial class Vectors;
        """);

    [Fact]
    public void LGG3006_exact_symmetries_the_architecture_cannot_have_are_refused() => AnalyzerHarness.Verify(Usings + """
        [Experiment("z2")] [RotatedMnist] [Cnn] [Train] [SpatialPrior] [Equivariance({|LGG3006:Exact = SymmetryElements.Rotations|})]
        public partial class Z2;
        [Experiment("mlp")] [RotatedMnist] [Mlp] [Train] [SpatialPrior] [Equivariance({|LGG3006:Exact = SymmetryElements.Flip|})]
        public partial class Dense;
        [Experiment("p4")] [RotatedMnist] [P4Cnn] [Train] [SpatialPrior] [Equivariance(Exact = SymmetryElements.Rotations, Samples = 64)]
        public partial class P4;
        [Experiment("p4-shifts")] [RotatedMnist] [P4Cnn] [Train] [SpatialPrior] [Equivariance({|LGG3006:Exact = SymmetryElements.StrideShifts|})]
        public partial class P4Shifts;
        [Experiment("g-conv")] [QuadrantMnist] [RelaxedCnn(Pathways = Pathways.GroupConv)] [Train] [SpatialPrior] [Equivariance(Exact = SymmetryElements.Rotations | SymmetryElements.StrideShifts)]
        public partial class GroupConvOnly;
        [Experiment("conv-g-conv")] [QuadrantMnist] [RelaxedCnn(Pathways = Pathways.Conv | Pathways.GroupConv)] [Train] [SpatialPrior] [Equivariance({|LGG3006:Exact = SymmetryElements.Rotations|})]
        public partial class ConvAndGroupConv;
        [Experiment("conv-shifts")] [QuadrantMnist] [RelaxedCnn(Pathways = Pathways.Conv | Pathways.GroupConv)] [Train] [SpatialPrior] [Equivariance(Exact = SymmetryElements.StrideShifts)]
        public partial class ConvShifts;
        [Experiment("ella-default")] [QuadrantMnist] [RelaxedCnn] [Train] [SpatialPrior] [Equivariance({|LGG3006:Exact = SymmetryElements.StrideShifts|})]
        public partial class EllaDefault;
        [Experiment("measured")] [RotatedMnist] [Cnn] [Train] [SpatialPrior] [Equivariance(Elements = SymmetryElements.Rotations | SymmetryElements.Flip)]
        public partial class MeasuredOnly;
        [Experiment("samples")] [RotatedMnist] [P4Cnn] [Train] [SpatialPrior] [Equivariance({|LGG2001:Samples = 0|})]
        public partial class NoSamples;
        """);

    [Fact]
    public void LGG3007_exact_image_symmetries_need_images() => AnalyzerHarness.Verify(Usings + """
        [Experiment("o5")] [O5Regression] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)] [Equivariance({|LGG3007:Exact = SymmetryElements.Rotations|})]
        public partial class O5;
        [Experiment("o5-continuous")] [O5Regression] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)] [Equivariance]
        public partial class O5Continuous;
        """);

    [Fact]
    public void LGG3008_an_output_representation_must_match_the_outputs() => AnalyzerHarness.Verify(Usings + """
        [Experiment("fits")] [O5Equivariant] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)] [OutputRepresentation(OutputSpace.Vectors)]
        public partial class Fits;
        [Experiment("two-copies")] [O5Equivariant] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)] [OutputRepresentation(OutputSpace.Vectors, {|LGG3008:Copies = 2|})]
        public partial class TwoCopies;
        [Experiment("not-a-multiple")] [Inertia] [Mlp] [Train] [GenericPrior(Dimension = 3, Copies = 5, Scalars = 5)] [OutputRepresentation({|LGG3008:OutputSpace.Vectors|})]
        public partial class NotAMultiple;
        [Experiment("tensor")] [Inertia] [Mlp] [Train] [GenericPrior(Dimension = 3, Copies = 5, Scalars = 5)] [OutputRepresentation(OutputSpace.Tensor)]
        public partial class Tensor;
        [Experiment("tensor-of-vector")] [O5Equivariant] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)] [OutputRepresentation({|LGG3008:OutputSpace.Tensor|})]
        public partial class TensorOfVector;
        [Experiment("scalars-miscounted")] [Inertia] [Mlp] [Train] [GenericPrior({|LGG3002:Dimension = 3|}, Copies = 5)] [OutputRepresentation(OutputSpace.Tensor)]
        public partial class ScalarsMiscounted;
        """);

    [Fact]
    public void LGG3009_an_output_representation_must_fit_the_task() => AnalyzerHarness.Verify(Usings + """
        [Experiment("logits")] [RotatedMnist] [Mlp] [Train] [SpatialPrior] [OutputRepresentation({|LGG3009:OutputSpace.Vectors|})]
        public partial class Logits;
        [Experiment("logits-invariant")] [RotatedMnist] [Mlp] [Train] [SpatialPrior] [GroundTruth(Group.SO)] [OutputRepresentation(OutputSpace.Invariant, Truth = PairTruth.InputOnly)]
        public partial class LogitsInvariant;
        [Experiment("invariant-diagonal")] [O5Regression] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)] [GroundTruth(Group.SO)] [OutputRepresentation(OutputSpace.Invariant, {|LGG3009:Truth = PairTruth.Diagonal|})]
        public partial class InvariantDiagonal;
        """);

    [Fact]
    public void LGG3010_standardised_units_need_a_standardised_task() => AnalyzerHarness.Verify(Usings + """
        [Experiment("o5-standardized")] [O5Regression(Protocol = O5Protocol.LieGGAuthors)] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)] [Analysis(Units = RegressionUnits.Standardized)]
        public partial class O5Standardized;
        [Experiment("equivariant-standardized")] [O5Equivariant] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)] [Analysis({|LGG3010:Units = RegressionUnits.Standardized|})]
        public partial class EquivariantStandardized;
        [Experiment("digits-standardized")] [RotatedMnist] [Mlp] [Train] [SpatialPrior] [Analysis({|LGG3010:Units = RegressionUnits.Standardized|})]
        public partial class DigitsStandardized;
        [Experiment("digits-task")] [RotatedMnist] [Mlp] [Train] [SpatialPrior] [Analysis(Units = RegressionUnits.Task)]
        public partial class DigitsTask;
        """);

    [Fact]
    public void LGG4005_pair_metrics_need_an_output_representation() => AnalyzerHarness.Verify(Usings + """
        [Study("pairs")] [O5Equivariant] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)] [OutputRepresentation(OutputSpace.Vectors)] [Sweep("O5Equivariant.TrainCount", 100, 200)]
        [Correlate(Metric.PairVariance, Metric.TestMetric)] [Plot(X = "TrainCount", Y = Metric.PairMinBias)]
        public partial class Pairs;
        [Study("no-pairs")] [O5Regression] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)] [Sweep("O5Regression.TrainCount", 100, 200)]
        [Correlate({|LGG4005:Metric.PairVariance|}, Metric.TestMetric)] [Plot(X = "TrainCount", {|LGG4005:Y = Metric.PairGapRatio|})]
        public partial class NoPairs;
        """);

    [Fact]
    public void LGG2005_pathways_name_at_least_one_and_not_both_fc_kinds() => AnalyzerHarness.Verify(Usings + """
        [Experiment("both")] [QuadrantMnist] [RelaxedCnn({|LGG2005:Pathways = Pathways.FC | Pathways.FactoredFC|})] [Train] [SpatialPrior]
        public partial class Both;
        [Experiment("none")] [QuadrantMnist] [RelaxedCnn({|LGG2005:Pathways = Pathways.None|}, {|LGG2001:PriorPrecision = 0|})] [Train] [SpatialPrior]
        public partial class None;
        [Experiment("unknown")] [QuadrantMnist] [RelaxedCnn({|LGG2005:Pathways = (Pathways)16|})] [Train] [SpatialPrior]
        public partial class Unknown;
        [Experiment("groups")] [QuadrantMnist] [RelaxedCnn(Pathways = Pathways.FactoredFC | Pathways.Conv | Pathways.GroupConv)] [Train] [SpatialPrior]
        public partial class Groups;
        [Experiment("group-only")] [QuadrantMnist] [RelaxedCnn(Pathways = Pathways.GroupConv)] [Train] [SpatialPrior]
        public partial class GroupOnly;
        """);

    [Fact]
    public void LGG2006_the_digit_must_fit_a_quadrant() => AnalyzerHarness.Verify(Usings + """
        [Experiment("big")] [QuadrantMnist(Canvas = 16, {|LGG2006:DigitSize = 9|})] [RelaxedCnn] [Train] [SpatialPrior]
        public partial class Big;
        [Experiment("odd")] [QuadrantMnist({|LGG2006:Canvas = 15|}, DigitSize = 7)] [Model(typeof(Net))] [Train] [SpatialPrior]
        public partial class Odd;
        [Experiment("default-canvas")] [QuadrantMnist({|LGG2006:DigitSize = Defaults.QuadrantCanvas / 2 + 1|})] [RelaxedCnn] [Train] [SpatialPrior]
        public partial class DefaultCanvas;
        public sealed class Net : IModelFactory { public TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> Create(ModelContext context) => throw new System.NotSupportedException(); }
        """);

    [Fact]
    public void LGG2007_the_classic_protocol_fixes_the_split_sizes() => AnalyzerHarness.Verify(Usings + """
        [Experiment("classic-sized")] [RotatedMnist(Digits = DigitSet.ClassicRotation, {|LGG2007:TrainCount = 5000|}, Blur = 1.5)] [Mlp] [Train] [SpatialPrior]
        public partial class ClassicSized;
        [Experiment("classic")] [Mnist(Digits = DigitSet.ClassicRotation)] [Mlp] [Train] [SpatialPrior]
        public partial class Classic;
        [Experiment("full-sized")] [RotatedMnist(Digits = DigitSet.Mnist70k, TrainCount = 50_000, TestCount = 10_000)] [Mlp] [Train] [SpatialPrior]
        public partial class FullSized;
        """);

    [Fact]
    public void LGG4002_laplace_needs_per_tensor_priors() => AnalyzerHarness.Verify(Usings + """
        [Experiment("mlp")] [QuadrantMnist] [Mlp] [Train] [{|LGG4002:Laplace|}] [SpatialPrior]
        public partial class MlpLaplace;
        [Experiment("bad-steps")] [QuadrantMnist] [RelaxedCnn] [Train({|LGG2001:Momentum = 1|})] [Laplace({|LGG2001:Every = 0|}, {|LGG2001:Steps = 0|})] [SpatialPrior]
        public partial class BadSteps;
        """);

    [Fact]
    public void LGG4003_a_burn_in_as_long_as_training_never_steps() => AnalyzerHarness.Verify(Usings + """
        [Experiment("late")] [QuadrantMnist] [RelaxedCnn] [Train(Epochs = 10)] [Laplace({|LGG4003:BurnIn = 11|})] [SpatialPrior]
        public partial class Late;
        [Experiment("default-burn-in")] [QuadrantMnist] [RelaxedCnn] [Train(Epochs = 5)] [{|LGG4003:Laplace|}] [SpatialPrior]
        public partial class DefaultBurnIn;
        [Experiment("just-in-time")] [QuadrantMnist] [RelaxedCnn] [Train(Epochs = 10)] [Laplace(BurnIn = 10)] [SpatialPrior]
        public partial class JustInTime;
        """);

    [Fact]
    public void LGG4004_pathway_shares_need_ella_networks_in_every_trial() => AnalyzerHarness.Verify(Usings + """
        [Experiment("relaxed")] [QuadrantMnist] [RelaxedCnn] [Train] [SpatialPrior]
        public partial class Relaxed;
        [Experiment("plain")] [QuadrantMnist] [Mlp] [Train] [SpatialPrior]
        public partial class Plain;
        [Study("mixed-shares")] [Compare(typeof(Relaxed), typeof(Plain))] [Correlate({|LGG4004:Metric.FcShare|}, Metric.MinBias)] [Correlate(Metric.Variance, Metric.MinBias)]
        public partial class MixedShares;
        [Study("relaxed-shares")] [Compare(typeof(Relaxed))] [Correlate(Metric.GroupConvShare, Metric.MinBias)] [Plot(X = "ConvShare", Y = Metric.FcShare)]
        public partial class RelaxedShares;
        [Study("widths")] [QuadrantMnist] [Mlp] [Train] [SpatialPrior] [Sweep("Mlp.Width", 8, 16)]
        [Correlate(Metric.Variance, {|LGG4004:Metric.ConvShare|})] [Plot({|LGG4004:X = "GroupConvShare"|}, {|LGG4004:Y = Metric.FcShare|})]
        public partial class Widths;
        """);

    [Fact]
    public void LGG4112_a_study_without_a_sweep_is_worth_a_warning() => AnalyzerHarness.Verify(Usings + """
        [{|LGG4112:Study("seeds-only")|}] [O5Regression] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)] [Replicates(3)]
        public partial class SeedsOnly;
        """);

    [Fact]
    public void LGG4111_compared_experiments_share_one_task() => AnalyzerHarness.Verify(Usings + """
        [Experiment("o5")] [O5Regression] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)]
        public partial class O5;
        [Experiment("digits")] [Mnist] [Mlp] [Train] [SpatialPrior]
        public partial class Digits;
        [Experiment("custom-regression")] [Dataset(typeof(Events), Task = TaskKind.Regression, InputShape = new[] { 10 })] [Mlp] [Train] [GenericPrior(Dimension = 5, Copies = 2)]
        public partial class CustomRegression;
        [Study("mixed")] [{|LGG4111:Compare(typeof(O5), typeof(Digits))|}]
        public partial class Mixed;
        [Study("regressions")] [Compare(typeof(O5), typeof(CustomRegression))]
        public partial class Regressions;
        public sealed class Events : IDatasetSource { public IDataset Load(DatasetContext context) => throw new System.NotSupportedException(); }
        """);

    [Fact]
    public void Comparison_studies_list_experiments_and_nothing_else() => AnalyzerHarness.Verify(Usings + $$"""
        [Experiment("a")] {{StudyBase}} public partial class A;
        [Experiment("b")] {{StudyBase}} public partial class B;
        [Study("ab", Reference = "paper")] [Compare(typeof(A), typeof(B))] [Replicates(3)] [Correlate(Metric.Variance, Metric.TestMetric)]
        public partial class AB;
        [Study("bad")] [Compare(typeof(A), {|LGG4109:typeof(NotAnExperiment)|})] [{|LGG4110:Train(Epochs = 3)|}]
        public partial class Bad;
        public sealed class NotAnExperiment { }
        """);

    [Fact]
    public void Diagnostics_can_be_suppressed_with_pragma() => AnalyzerHarness.Verify(Usings + """
        #pragma warning disable LGG3004
        [Experiment("flat")] [Mnist] [Mlp] [Train] [GenericPrior(Dimension = 784)]
        public partial class Flat;
        #pragma warning restore LGG3004
        """);

    [Fact]
    public void Messages_state_the_fault_and_the_fix()
    {
        var diagnostic = Assert.Single(AnalyzerHarness.Analyze(Usings + """
            [Experiment("o5")] [O5Regression] [Mlp] [Train] [GenericPrior(Dimension = 4, Copies = 2)]
            public partial class O5;
            """));
        Assert.Equal("GenericPrior(Dimension = 4, Copies = 2) acts on 8 inputs but [O5Regression] gives 10; choose Dimension × Copies (+ Scalars) = 10", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }
}
