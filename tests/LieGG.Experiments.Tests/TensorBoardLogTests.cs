using Google.Protobuf;
using LieGG.Runtime.Reports;
using LieGG.Runtime.Results;
using LieGG.Runtime.Studies;
using LieGG.Runtime.Training;

namespace LieGG.Experiments.Tests;

/// <summary>
/// TensorBoard event files read back with a reader written here from the record format (length, masked CRC-32C of the
/// length, the Event protobuf, masked CRC-32C of the data): every CRC holds and every value is the record's.
/// </summary>
[Collection(TestHostCollection.Name)]
public sealed class TensorBoardLogTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("liegg-tb-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void A_runs_events_hold_its_curves_metrics_spectrum_and_settings()
    {
        var fixedRecord = ReportRenderingTests.FixedRecord();
        var record = fixedRecord with
        {
            Result = fixedRecord.Result with
            {
                Training = fixedRecord.Result.Training with
                {
                    History = [new EpochRecord(1, 1.9, 0.61, 0.12, 1e-3), new EpochRecord(2, 1.7, 0.72, 0.11, 5e-4), new EpochRecord(3, 1.6, 0.70, 0.11, 1e-4)],
                },
            },
        };
        var folder = TensorBoardLog.Write(record, root);
        Assert.Equal(Path.Combine(root, record.Result.Experiment, record.RunId), folder);
        var events = ReadEvents(folder);
        Assert.Equal("brain.Event:2", events[0].FileVersion);

        var scalars = Scalars(events);
        Assert.Equal([(1L, 1.9f), (2L, 1.7f), (3L, 1.6f)], scalars["train/loss"]);
        Assert.Equal([(1L, 0.61f), (2L, 0.72f), (3L, 0.70f)], scalars[$"validation/{record.Result.Training.ValidationMetricName}"]);
        Assert.Equal([(1L, 1e-3f), (2L, 5e-4f), (3L, 1e-4f)], scalars["train/learning_rate"]);
        var symmetry = record.Result.Symmetry;
        Assert.Equal(symmetry.Spectrum.Select((v, i) => ((long)i + 1, (float)v)), scalars["liegg/spectrum"]);
        Assert.Equal([(3L, (float)symmetry.Variance)], scalars["liegg/variance"]);
        Assert.Equal([(3L, (float)symmetry.MinBias!.Value)], scalars["liegg/min_bias"]);
        Assert.Equal([(3L, (float)record.Result.TestMetric)], scalars["test/accuracy"]);
        // Wall times follow the epochs from the run's start.
        Assert.Equal(record.Started.ToUnixTimeSeconds(), (long)events.First(e => Tag(e) == "train/loss").WallTime);

        var settings = Texts(events)["run/settings"];
        Assert.Contains("| Mlp.Width | 128 |", settings);
        Assert.Contains("| prior | spatial prior (Centered) |", settings);
        Assert.DoesNotContain("trial/swept", Texts(events).Keys);
    }

    [Fact]
    public void A_trials_events_carry_its_swept_values_and_ellas_evidence_and_exporting_again_replaces_them()
    {
        var ella = ReportRenderingTests.FixedEllaRecord() with
        {
            Trial = new TrialInfo("ella-study", 3, [new TrialParameter("Experiment", "ella-demo", null), new TrialParameter("Width", "64", 64)], 7),
        };
        var folder = TensorBoardLog.Write(ella, root);
        Assert.Equal(Path.Combine(root, "ella-study", "trial-0003"), folder);
        folder = TensorBoardLog.Write(ella, root);
        var events = ReadEvents(folder);
        var scalars = Scalars(events);
        var laplace = ella.Result.Laplace!;
        Assert.Equal(laplace.History.Select(s => ((long)s.Epoch, (float)s.NegativeLogMarginalLikelihood)), scalars["laplace/neg_log_marglik_per_sample"]);
        foreach (var tensor in laplace.Tensors) Assert.Equal((float)tensor.Precision, Assert.Single(scalars[$"laplace/precision/{tensor.Name}"]).Value);
        foreach (var layer in laplace.Layers) Assert.Equal((float)layer.FcShare, Assert.Single(scalars[$"laplace/fc_share/layer{layer.Layer + 1}"]).Value);
        var swept = Texts(events)["trial/swept"];
        Assert.Contains("| Width | 64 |", swept);
        Assert.Contains("| seed | 7 |", swept);
        Assert.Single(Directory.GetFiles(folder));
    }

    [Fact]
    [Trait("Category", "EndToEnd")]
    public void Run_with_tensorboard_writes_the_runs_events_beside_its_results()
    {
        var (exitCode, output) = ExperimentsProgram.Run("run", "o5-regression", "--quick", "--out", Path.Combine(root, "out"), "--tensorboard", Path.Combine(root, "tb"));
        Assert.True(exitCode == 0, output);
        var runFolder = Directory.GetDirectories(Path.Combine(root, "out", "o5-regression")).Single();
        var record = RunRecord.Load(Path.Combine(runFolder, "result.json"));
        var scalars = Scalars(ReadEvents(Path.Combine(root, "tb", "o5-regression", Path.GetFileName(runFolder))));
        Assert.Equal(record.Result.Training.History.Select(e => ((long)e.Epoch, (float)e.TrainLoss)), scalars["train/loss"]);
        Assert.All(record.Result.Training.History, e => Assert.True(e.LearningRate > 0, "the run records each epoch's learning rate"));
        Assert.Equal(record.Result.Training.History.Select(e => ((long)e.Epoch, (float)e.LearningRate)), scalars["train/learning_rate"]);
    }

    [Fact]
    public void A_damaged_record_is_caught_by_its_crc()
    {
        var folder = TensorBoardLog.Write(ReportRenderingTests.FixedRecord(), root);
        var file = Directory.GetFiles(folder).Single();
        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length - 10] ^= 0x40;
        File.WriteAllBytes(file, bytes);
        Assert.Throws<InvalidDataException>(() => ReadEvents(folder));
    }

    private static string Tag(Tensorboard.Event e) => e.Summary?.Value.Count > 0 ? e.Summary.Value[0].Tag : "";

    private static Dictionary<string, List<(long Step, float Value)>> Scalars(IEnumerable<Tensorboard.Event> events)
        => events.Where(e => e.Summary?.Value.Count > 0 && e.Summary.Value[0].ValueCase == Tensorboard.Summary.Types.Value.ValueOneofCase.SimpleValue)
            .GroupBy(Tag).ToDictionary(g => g.Key, g => g.Select(e => (e.Step, e.Summary.Value[0].SimpleValue)).ToList());

    private static Dictionary<string, string> Texts(IEnumerable<Tensorboard.Event> events)
        => events.Where(e => e.Summary?.Value.Count > 0 && e.Summary.Value[0].Tensor is { } t && t.StringVal.Count > 0 && Tag(e).Length > 0)
            .ToDictionary(e => Tag(e).Replace("/text_summary", ""), e => e.Summary.Value[0].Tensor.StringVal[0].ToStringUtf8());

    /// <summary>Every record of the folder's one event file, each CRC checked.</summary>
    private static List<Tensorboard.Event> ReadEvents(string folder)
    {
        var bytes = File.ReadAllBytes(Directory.GetFiles(folder).Single(f => Path.GetFileName(f).StartsWith("events.out.tfevents.", StringComparison.Ordinal)));
        var events = new List<Tensorboard.Event>();
        int at = 0;
        while (at < bytes.Length)
        {
            if (bytes.Length - at < 12) throw new InvalidDataException($"truncated record header at byte {at}");
            ulong length = BitConverter.ToUInt64(bytes, at);
            if (BitConverter.ToUInt32(bytes, at + 8) != MaskedCrc32C(bytes.AsSpan(at, 8))) throw new InvalidDataException($"length CRC fails at byte {at}");
            if ((ulong)(bytes.Length - at - 16) < length) throw new InvalidDataException($"truncated record at byte {at}");
            var data = bytes.AsSpan(at + 12, (int)length);
            if (BitConverter.ToUInt32(bytes, at + 12 + (int)length) != MaskedCrc32C(data)) throw new InvalidDataException($"data CRC fails at byte {at}");
            events.Add(Tensorboard.Event.Parser.ParseFrom(data.ToArray()));
            at += 16 + (int)length;
        }
        return events;
    }

    /// <summary>CRC-32C (Castagnoli, reflected 0x82F63B78), masked as TFRecord masks it.</summary>
    private static uint MaskedCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
        }
        crc = ~crc;
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }
}
