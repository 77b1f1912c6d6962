using System.Diagnostics;
using System.Globalization;
using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Models;
using LieGG.Runtime.Models.Relaxed;
using LieGG.Runtime.Training;
using LieGG.Runtime.Training.Laplace;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// The CNN and ELLA workloads beside plain PyTorch (tools/pytorch-side-by-side/models.py): the same data, the same
/// weights, outputs checked equal, then each side times one epoch (one hyperparameter step for KFAC) per round, the
/// two programs interleaved. A family's ratio is the median over rounds of ours / PyTorch's.
/// </summary>
internal static class PeerComparison
{
    private const string Python = "/usr/bin/python3";

    private static readonly string[] Families = ["z2cnn", "p4cnn", "ella", "kfac"];

    // float32 networks on both sides; the KFAC objective sums factors in float32 before its float64 eigenvalues.
    private const double Tolerance = 1e-4;

    public static void Run(BenchmarkReport report, bool quick, IReadOnlyList<int> threadCounts)
    {
        string script = Path.Combine(RepositoryRoot(), "tools", "pytorch-side-by-side", "models.py");
        if (!PythonHasTorch())
        {
            report.Line("peer_comparison", "skipped", $"{Python} cannot import torch (apt-get install python3-torch)");
            return;
        }
        int samples = quick ? 256 : 1024, kfacSamples = quick ? 250 : 1000, rounds = quick ? 1 : 9;
        var folder = Directory.CreateTempSubdirectory("liegg-peers-").FullName;
        try
        {
            using var workloads = Workloads.Create(folder, samples, kfacSamples);
            foreach (int threads in quick ? threadCounts.Take(1) : threadCounts)
            {
                torch.set_num_threads(threads);
                using var peer = Peer.Start(script, folder, threads);
                foreach (var family in Families)
                {
                    double difference = peer.Checks[$"check_{family}"];
                    if (!(difference <= Tolerance))
                        throw new InvalidOperationException($"PyTorch's {family} differs from ours by {difference:G3} (relative), above {Tolerance:G1}: the two sides do not compute the same thing.");
                    if (threads == threadCounts[0]) report.Line($"peer_check_{family}", difference, "largest relative difference of PyTorch's outputs from ours on the same weights");
                }
                if (threads == threadCounts[0])
                    report.Line("peer_pytorch_openblas", peer.Checks["blas_openblas"], peer.Checks["blas_openblas"] == 1
                        ? "PyTorch's matrix products run on OpenBLAS"
                        : "PyTorch's matrix products run on the reference BLAS, an order of magnitude slower: the ratios flatter ours (apt-get install libopenblas0-pthread)");
                foreach (var family in Families) workloads.Time(family);
                peer.WarmUp();
                var times = Families.SelectMany(f => new[] { f, Pytorch(f) }).ToDictionary(name => name, _ => new double[rounds]);
                // Workload by workload, ours then PyTorch's: a slow spell of the machine falls on both sides of a ratio.
                for (int round = 0; round < rounds; round++)
                    foreach (var family in Families)
                    {
                        times[family][round] = workloads.Time(family);
                        times[Pytorch(family)][round] = peer.Time(family);
                    }
                var measured = new RoundTimes(times);
                foreach (var family in Families)
                {
                    report.Line($"peer_{family}_seconds_ours_{threads}t", measured.Median(family));
                    report.Line($"peer_{family}_seconds_pytorch_{threads}t", measured.Median(Pytorch(family)));
                    report.Line($"peer_ratio_{family}_{threads}t", measured.MedianRatio(family, Pytorch(family)), "ours / PyTorch, median of interleaved rounds; target ≤ 1.0");
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Pytorch(string family) => $"{family} (PyTorch)";

    /// <summary>The PyTorch side as one process for a thread count: it checks once, then times a workload per request.</summary>
    private sealed class Peer : IDisposable
    {
        private readonly Process process;
        private readonly Task<string> errors;

        private Peer(Process process)
        {
            this.process = process;
            errors = process.StandardError.ReadToEndAsync();
        }

        public Dictionary<string, double> Checks { get; } = new();

        public static Peer Start(string script, string folder, int threads)
        {
            var start = new ProcessStartInfo(Python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { script, folder, threads.ToString(CultureInfo.InvariantCulture) }) start.ArgumentList.Add(argument);
            // As epoch.py's docstring says: OpenBLAS picks its native kernel only without these.
            start.Environment.Remove("OPENBLAS_CORETYPE");
            start.Environment.Remove("OPENBLAS_L2_SIZE");
            var peer = new Peer(Process.Start(start)!);
            for (string line = peer.ReadLine(); line != "ready"; line = peer.ReadLine())
            {
                var (name, value) = Parse(line);
                peer.Checks[name] = value;
            }
            return peer;
        }

        public void WarmUp()
        {
            process.StandardInput.WriteLine("warmup");
            process.StandardInput.Flush();
            ReadLine();
        }

        public double Time(string family)
        {
            process.StandardInput.WriteLine(family);
            process.StandardInput.Flush();
            return Parse(ReadLine()).Value;
        }

        private string ReadLine()
            => process.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"{Python} ended early (exit {(process.WaitForExit(5000) ? process.ExitCode : -1)}):\n{errors.Result}");

        private static (string Name, double Value) Parse(string line)
        {
            var parts = line.Split(':', 2);
            return (parts[0].Trim(), double.Parse(parts[1], CultureInfo.InvariantCulture));
        }

        public void Dispose()
        {
            process.StandardInput.Close();
            process.WaitForExit();
            process.Dispose();
        }
    }

    private static bool PythonHasTorch()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(Python, ["-c", "import torch"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "LieGG.Dsl.sln"))) return directory.FullName;
        throw new InvalidOperationException($"No LieGG.Dsl.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>Our side: the networks, data and training set-ups, written to the folder the peer reads.</summary>
    private sealed class Workloads : IDisposable
    {
        private readonly Z2Cnn z2 = new(channels: 20);
        private readonly P4Cnn p4 = new(channels: 10);
        private readonly RelaxedNetwork ella;
        private readonly TensorDataset digits, canvas;
        private readonly DataSplit kfacData;
        private readonly LaplaceTraining map;

        private Workloads(int samples, int kfacSamples)
        {
            // The time does not depend on the pixel values; random inputs keep the two sides' data one file.
            var generator = new torch.Generator(7);
            var images = torch.randn(new long[] { samples, 28, 28 }, generator: generator);
            var labels = torch.randint(0, 10, new long[] { samples }, generator: generator);
            var canvasImages = torch.randn(new long[] { samples, 16, 16 }, generator: generator);
            var canvasLabels = torch.randint(0, 10, new long[] { samples }, generator: generator);
            DataSplit Empty(DataSplit split) => new(split.Inputs[..0], split.Targets[..0]);
            var digitSplit = new DataSplit(images, labels);
            var canvasSplit = new DataSplit(canvasImages, canvasLabels);
            digits = new TensorDataset("peer-digits", TaskKind.Classification, [28, 28], 10, digitSplit, Empty(digitSplit), Empty(digitSplit));
            canvas = new TensorDataset("peer-canvas", TaskKind.Classification, [16, 16], 10, canvasSplit, Empty(canvasSplit), Empty(canvasSplit));
            kfacData = new DataSplit(canvasImages[..kfacSamples], canvasLabels[..kfacSamples]);
            torch.manual_seed(0);
            ella = new RelaxedNetwork(16, 4, 10, Pathways.FactoredFC | Pathways.Conv | Pathways.GroupConv, 0.01, 0.1, PathwayCombination.Sum);
            map = new LaplaceTraining(ella, canvasSplit, learning: null);
        }

        public static Workloads Create(string folder, int samples, int kfacSamples)
        {
            var workloads = new Workloads(samples, kfacSamples);
            workloads.Write(folder);
            return workloads;
        }

        private static readonly TrainingOptions AdamEpoch = new() { Epochs = 1, BatchSize = 128, LearningRate = 1e-3, SelectBest = false };
        private static readonly TrainingOptions SgdEpoch = new() { Epochs = 1, BatchSize = 128, LearningRate = 0.1, Optimizer = Optimizer.Sgd, Momentum = 0.9, SelectBest = false };

        public double Time(string family)
        {
            var clock = Stopwatch.StartNew();
            switch (family)
            {
                case "z2cnn": Trainer.Fit(z2, digits, AdamEpoch); break;
                case "p4cnn": Trainer.Fit(p4, digits, AdamEpoch); break;
                case "ella": Trainer.Fit(ella, canvas, SgdEpoch, regularizer: map); break;
                case "kfac": Step(); break;
                default: throw new ArgumentOutOfRangeException(nameof(family), family, "Not a peer workload.");
            }
            return clock.Elapsed.TotalSeconds;
        }

        private double Step()
        {
            using var learner = new LaplaceTraining(ella, kfacData, new LaplaceOptions { BurnIn = 1, Every = 1, Fisher = FisherKind.Exact });
            learner.AfterEpoch(1, default);
            return learner.History[^1].Before;
        }

        private void Write(string folder)
        {
            using var scope = torch.NewDisposeScope();
            var checkImages = digits.Train.Inputs[..16];
            var checkCanvas = canvas.Train.Inputs[..16];
            var tensors = new Dictionary<string, Tensor>
            {
                ["images"] = digits.Train.Inputs, ["labels"] = digits.Train.Targets,
                ["canvas"] = canvas.Train.Inputs, ["canvas_labels"] = canvas.Train.Targets,
                ["kfac_canvas"] = kfacData.Inputs, ["kfac_labels"] = kfacData.Targets,
                ["check_images"] = checkImages, ["check_canvas"] = checkCanvas,
            };
            using (torch.no_grad())
            {
                foreach (var (name, network) in new (string, nn.Module<Tensor, Tensor>)[] { ("z2cnn", z2), ("p4cnn", p4), ("ella", ella) })
                {
                    network.eval();
                    tensors[$"{name}_logits"] = network.forward(name == "ella" ? checkCanvas : checkImages);
                    Safetensors.Save(network.state_dict(), Path.Combine(folder, $"{name}.safetensors"));
                }
            }
            tensors["kfac_objective"] = torch.tensor(new[] { Step() }, ScalarType.Float64);
            Safetensors.Save(tensors, Path.Combine(folder, "data.safetensors"));
        }

        public void Dispose()
        {
            map.Dispose();
            z2.Dispose();
            p4.Dispose();
            ella.Dispose();
            digits.Dispose();
            canvas.Dispose();
            kfacData.Inputs.Dispose();
            kfacData.Targets.Dispose();
        }
    }
}
