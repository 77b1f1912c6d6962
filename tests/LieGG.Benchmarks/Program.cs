using System.Diagnostics;
using System.Globalization;
using LieGG.Dsl;
using LieGG.Runtime;
using LieGG.Runtime.Data;
using LieGG.Runtime.Models;
using LieGG.Runtime.Models.Relaxed;
using LieGG.Runtime.Training.Laplace;
using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Symmetry.Equivariance;
using LieGG.Runtime.Training;
using TorchSharp;
using static TorchSharp.torch;

// Measures the runtime's hot paths and prints `name: value` lines; ratios are taken within this one run.
// Each figure is the median of several repetitions after a warm-up.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
int repetitions = args.Contains("--quick") ? 3 : 9;
var report = new BenchmarkReport();

report.Line("machine", $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, TorchSharp {typeof(torch).Assembly.GetName().Version}");
// --threads N measures one thread count only (e.g. to run two 1-thread benchmarks side by side against one 2-thread one).
int? onlyThreads = args.SkipWhile(a => a != "--threads").Skip(1).Select(a => (int?)int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault();
int[] threadCounts = onlyThreads is { } only ? [only] : [1, 2];

// --peers: only the CNN and ELLA workloads beside plain PyTorch (also part of the full run, after the rest).
if (args.Contains("--peers"))
{
    PeerComparison.Run(report, args.Contains("--quick"), threadCounts);
    return;
}

using (var rotated = RotatedMnist.Create(MnistDigits.Embedded(), new RotatedMnistOptions { Seed = 0, BlurSigma = 1.5 }))
{
    var trainOnly = new TensorDataset("rot-mnist-train", TaskKind.Classification, rotated.InputShape, 10, rotated.Train,
        new DataSplit(rotated.Train.Inputs[..0], rotated.Train.Targets[..0]), rotated.Test);
    var prior = new SpatialPrior();
    int outputs = 10;

    foreach (int threads in threadCounts)
    {
        torch.set_num_threads(threads);
        string suffix = $"_{threads}t";
        using var model = Mlp.Create(new MlpOptions(784, outputs, Hidden: 5, Width: 128), seed: 0);
        var training = new TrainingOptions { Epochs = 1, BatchSize = 512, LearningRate = 1e-3, SelectBest = false };

        using var prepared = PolarizationInputs.Prepare(rotated.Train.Inputs, prior);
        using var weights = torch.randn(784, generator: new torch.Generator(1));
        Func<Tensor, Tensor> linear = x => x.reshape(x.shape[0], 784).matmul(weights);
        var sumOptions = new PolarizationOptions { BatchSize = 512 };
        var perOutputOptions = sumOptions with { Reduction = OutputReduction.PerOutput };
        var rounds = Benchmark.Rounds(repetitions, new (string, Action)[]
        {
            ("epoch", () => Trainer.Fit(model, trainOnly, training)),
            ("forward", () => Benchmark.ForwardPass(model, rotated.Train.Inputs, 512)),
            ("input_gradient", () => Benchmark.InputGradientPass(model, rotated.Train.Inputs, 512)),
            // Model-independent preparation, done once per data set and reused for every model, layer and trial.
            ("prepare", () => PolarizationInputs.Prepare(rotated.Train.Inputs, prior).Dispose()),
            ("sum", () => Polarization.Compute(model, prepared, sumOptions)),
            ("per_output", () => Polarization.Compute(model, prepared, perOutputOptions)),
            ("per_output_reverse", () => Polarization.Compute(model, prepared, perOutputOptions with { Mode = DifferentiationMode.Reverse })),
            // A linear functional: its backward is one multiply, so this is the spatial contraction's own cost.
            ("contraction", () => Polarization.Compute(linear, prepared, sumOptions with { Transform = OutputTransform.None })),
        });

        foreach (var name in new[] { "epoch", "forward", "input_gradient", "prepare", "sum", "per_output", "per_output_reverse", "contraction" })
            report.Line($"rotmnist_{name}_seconds{suffix}", rounds.Median(name));

        // The roofline: the library's own matrix-product rate on this network's products, and what the hot paths reach.
        long samples = rotated.Train.Inputs.shape[0];
        double gemm = Roofline.GemmRate(repetitions);
        double epochRate = Roofline.EpochFlop(samples) / rounds.Median("epoch") / 1e9;
        double polarizationRate = Roofline.PolarizationFlop(samples) / rounds.Median("sum") / 1e9;
        report.Line($"gemm_gflops{suffix}", gemm, "float32 matrix products of one training batch (forward, input and weight gradients of every layer)");
        report.Line($"rotmnist_epoch_gflops{suffix}", epochRate, $"{Roofline.EpochFlop(samples) / 1e9:F2} GFLOP per epoch (forward, weight gradients, input gradients after layer 1)");
        report.Line($"rotmnist_epoch_fraction_of_gemm{suffix}", epochRate / gemm);
        report.Line($"polarization_sum_gflops{suffix}", polarizationRate, $"{Roofline.PolarizationFlop(samples) / 1e9:F2} GFLOP of products (forward and input gradients); the spatial contraction uncounted");
        report.Line($"polarization_sum_fraction_of_gemm{suffix}", polarizationRate / gemm);
        foreach (var (route, name) in new (Roofline.DenseRoute, string)[] { (Roofline.Linear, "linear_mkl"), (Roofline.Convolution1x1, "linear_as_conv1x1_onednn") })
        {
            var (rate, difference) = Roofline.DenseRate(repetitions, route);
            report.Line($"dense_route_{name}_gflops{suffix}", rate, $"784→128 layer, batch 512, forward + backward; max relative difference from linear {difference:E1}");
        }
        foreach (var (route, name) in new (Roofline.ConvolutionRoute, string)[] { (Roofline.ConvolutionRoute.Nchw, "onednn"), (Roofline.ConvolutionRoute.ChannelsLast, "onednn_channels_last"), (Roofline.ConvolutionRoute.Im2colGemm, "im2col_gemm") })
        {
            var (rate, difference) = Roofline.ConvolutionRate(repetitions, route);
            report.Line($"conv3x3_{name}_gflops{suffix}", rate, $"Z2CNN layer 20→20, 24×24, batch 128, forward + backward; max relative difference from NCHW {difference:E1}");
        }
        if (args.Contains("--openblas-probe") && OpenBlasProbe.Available())
        {
            OpenBlasProbe.Threads(threads);
            var (blasRate, blasDifference) = Roofline.DenseRate(repetitions, OpenBlasProbe.Linear);
            report.Line($"dense_route_linear_openblas_gflops{suffix}", blasRate, $"max relative difference from linear {blasDifference:E1}");
            using var blasModel = new OpenBlasProbe.Mlp(model);
            var probeRounds = Benchmark.Rounds(repetitions, new (string, Action)[]
            {
                ("libtorch", () => Roofline.RawEpoch(model, rotated.Train.Inputs, rotated.Train.Targets, 512)),
                ("openblas", () => Roofline.RawEpoch(blasModel, rotated.Train.Inputs, rotated.Train.Targets, 512)),
            });
            report.Line($"raw_epoch_libtorch_seconds{suffix}", probeRounds.Median("libtorch"));
            report.Line($"raw_epoch_openblas_seconds{suffix}", probeRounds.Median("openblas"));
        }
        report.Line($"forward_over_epoch{suffix}", rounds.MedianRatio("forward", "epoch"));
        report.Line($"input_gradient_over_epoch{suffix}", rounds.MedianRatio("input_gradient", "epoch"), "forward + input-only backward: the floor of any reverse-mode pass");
        report.Line($"contraction_over_epoch{suffix}", rounds.MedianRatio("contraction", "epoch"), "the spatial prior's share: Σ g·∂I·c over the images");
        report.Line($"polarization_over_epoch{suffix}", rounds.MedianRatio("sum", "epoch"), "target ≤ 0.7");
        report.Line($"polarization_over_floor{suffix}", rounds.MedianExcess("sum", "input_gradient", "epoch"), "epochs above the input-gradient floor, median of the rounds' own differences; target ≤ 0.1");
        report.Line($"per_output_over_sum{suffix}", rounds.MedianRatio("per_output", "sum"), $"target ≤ {0.35 * outputs:F1} (0.35 × {outputs} outputs); forward-mode tangents");
        report.Line($"per_output_reverse_over_sum{suffix}", rounds.MedianRatio("per_output_reverse", "sum"), "one backward pass per output, for comparison");
    }
    if (args.Contains("--roofline")) return;
}

{
    // Group CNNs: forward + backward per batch of 128 digits, P4CNN against Z2CNNs of equal channel count.
    torch.set_num_threads(1);
    var digits = torch.randn(new long[] { 128, 28, 28 }, generator: new torch.Generator(1));
    var labels = torch.randint(0, 10, new long[] { 128 }, generator: new torch.Generator(2));
    double Step(nn.Module<Tensor, Tensor> model) => Benchmark.Median(repetitions, () =>
    {
        using var scope = torch.NewDisposeScope();
        model.zero_grad();
        nn.functional.cross_entropy(model.forward(digits), labels).backward();
    });
    using var p4 = new P4Cnn(channels: 10);
    using var z2Same = new Z2Cnn(channels: 10);
    using var z2Paper = new Z2Cnn(channels: 20);
    p4.train(); z2Same.train(); z2Paper.train();
    double p4Seconds = Step(p4), z2SameSeconds = Step(z2Same), z2PaperSeconds = Step(z2Paper);
    // Multiply-accumulates per sample from the layer shapes (28 → 26 → 24 → 12 → 10 → 8 → 6 → 4 → 1).
    long[] sizes = [26, 24, 10, 8, 6, 4, 1];
    long Macs(int channels, int fanInFactor, int fanOutFactor) => Enumerable.Range(0, 7).Sum(layer =>
        sizes[layer] * sizes[layer] * (layer == 6 ? 16L : 9L)
        * (layer == 0 ? 1 : channels * fanInFactor) * (layer == 6 ? 10L * fanOutFactor : (long)channels * fanOutFactor));
    double theoretical = (double)Macs(10, 4, 4) / Macs(10, 1, 1);
    report.Line("p4cnn_forward_backward_seconds_per_batch128_1t", p4Seconds);
    report.Line("z2cnn10_forward_backward_seconds_per_batch128_1t", z2SameSeconds);
    report.Line("z2cnn20_forward_backward_seconds_per_batch128_1t", z2PaperSeconds);
    // Forward + backward ≈ 3 × the forward's multiply-accumulates, against the best 3×3 route measured here (channels-last oneDNN).
    double z2Rate = 3 * 2.0 * Macs(20, 1, 1) * 128 / z2PaperSeconds / 1e9;
    double bestConvolution = Roofline.ConvolutionRate(repetitions, Roofline.ConvolutionRoute.ChannelsLast).Rate;
    report.Line("z2cnn20_forward_backward_gflops_1t", z2Rate, "from the layer shapes; the Z2CNN keeps its maps channels-last from its second layer");
    report.Line("z2cnn20_fraction_of_conv3x3_channels_last_1t", z2Rate / bestConvolution, $"of the 20→20 layer's channels-last rate, {bestConvolution:F1} GFLOP/s");
    report.Line("p4cnn_over_z2cnn_equal_channels", p4Seconds / z2SameSeconds, $"theoretical multiply-accumulate ratio {theoretical:F1} (4 rotations in × 4 out in the group layers)");
    report.Line("p4cnn_over_z2cnn_paper_sizes", p4Seconds / z2PaperSeconds, "the paper's pair: 10 channels per rotation vs 20 channels (≈ equal parameters)");

    // P4CNN's whole per-layer equivariance analysis (continuous along se(2)'s three generators and LieGG's H1 — one set of
    // Grams — and discrete for the three quarter turns) against one LieGG polarization of the same network on the same samples.
    p4.eval();
    var analysed = torch.randn(new long[] { 128, 28, 28 }, generator: new torch.Generator(3));
    var network = LayeredNetwork.For(p4, FeatureSpace.Image(), OutputTransform.L2Normalize);
    var frame = EquivarianceFrame.Plane(28, 28, affine: true);
    double polarizationSeconds = Benchmark.Median(repetitions, () => Polarization.Compute(p4, analysed, new SpatialPrior(Affine: true), new PolarizationOptions { BatchSize = 64 }));
    double equivarianceSeconds = Benchmark.Median(repetitions, () =>
    {
        EquivarianceAnalysis.Continuous(network, analysed, frame);
        EquivarianceAnalysis.Discrete(network, analysed, GroupElement.Rotations);
    });
    report.Line("equivariance_seconds_p4cnn_128_samples_1t", equivarianceSeconds);
    report.Line("equivariance_over_polarization", equivarianceSeconds / polarizationSeconds, $"target ≤ 2 × {network.Layers.Count} layers = {2 * network.Layers.Count}");
}

{
    // ELLA: one hyperparameter step (KFAC fit over the training set, eigendecompositions, 20 Adam steps on ρ) against
    // one training epoch of the same relaxed F-FC + CONV network, on the 40-class quadrant task (C = 40).
    torch.set_num_threads(1);
    bool quick = args.Contains("--quick");
    using var quadrant = QuadrantMnist.Create(MnistDigits.Embedded(), new QuadrantMnistOptions
    {
        Seed = 0, Task = QuadrantTask.DigitQuadrant, TrainCount = quick ? 1000 : 8000, ValidationCount = 0, TestCount = 100,
    });
    torch.manual_seed(0);
    using var network = new RelaxedNetwork(16, 4, 40, Pathways.FactoredFC | Pathways.Conv);
    var epochOptions = new TrainingOptions { Epochs = 1, BatchSize = 128, LearningRate = 0.1, Optimizer = Optimizer.Sgd, SelectBest = false };
    using var map = new LaplaceTraining(network, quadrant.Train, learning: null);
    void LaplaceStep(FisherKind fisher)
    {
        using var learner = new LaplaceTraining(network, quadrant.Train, new LaplaceOptions { BurnIn = 1, Every = 1, Fisher = fisher });
        learner.AfterEpoch(1, default);
    }
    int ellaRepetitions = quick ? 1 : 3;
    var rounds = Benchmark.Rounds(ellaRepetitions, new (string, Action)[]
    {
        ("epoch", () => Trainer.Fit(network, quadrant, epochOptions, regularizer: map)),
        ("exact", () => LaplaceStep(FisherKind.Exact)),
        ("monte_carlo", () => LaplaceStep(FisherKind.MonteCarlo)),
    });
    report.Line("ella_train_samples", quadrant.Train.Count);
    report.Line("ella_epoch_seconds_1t", rounds.Median("epoch"));
    report.Line("marglik_step_over_epoch_exact", rounds.MedianRatio("exact", "epoch"), $"target ≤ {40 / 2 + 1} (C/2 + 1, C = 40 classes)");
    report.Line("marglik_step_over_epoch_monte_carlo", rounds.MedianRatio("monte_carlo", "epoch"), "target ≤ 1.5");
    long parameters = network.parameters().Sum(p => p.numel());
    report.Line("ella_parameters", parameters);
    foreach (var fisher in new[] { FisherKind.Exact, FisherKind.MonteCarlo })
    {
        long before = PeakMemory.ResetAndRead();
        LaplaceStep(fisher);
        long peak = PeakMemory.Read();
        string name = fisher == FisherKind.Exact ? "exact" : "monte_carlo";
        report.Line($"marglik_step_peak_rss_mb_{name}", peak / 1048576.0, $"process peak resident memory during one step; {before / 1048576.0:F0} MB resident before it");
        report.Line($"marglik_step_extra_memory_mb_{name}", Math.Max(0, peak - before) / 1048576.0, "peak during the step minus resident before it");
    }
}

torch.set_num_threads(1);
using (var o5 = O5Synthetic.Create(new O5Options { Seed = 0 }))
using (var model = Mlp.Create(new MlpOptions(10, 1, 2, 32), seed: 0))
{
    var options = new PolarizationOptions { Transform = OutputTransform.None, BatchSize = 1000 };
    double o5Polarization = Benchmark.Median(repetitions, () => Polarization.Compute(model, o5.Data.Train.Inputs, new GenericPrior(5, 2), options));
    report.Line("o5_polarization_10000_rows_seconds_1t", o5Polarization);
}

{
    var random = new SeededRandom(1);
    const int rows = 100_000, columns = 25;
    var values = new double[rows * columns];
    for (int i = 0; i < values.Length; i++) values[i] = random.NextGaussian();
    double svd = Benchmark.Median(repetitions, () => ThinSvd.Compute(values, rows, columns));
    report.Line("thin_svd_100000x25_seconds", svd);
}

{
    // Paper §5.1 end to end (also a test): 90 epochs on N = 10 000, then LieGG on the training inputs.
    var clock = Stopwatch.StartNew();
    using var o5 = O5Synthetic.Create(new O5Options { Seed = 0 });
    using var model = Mlp.Create(new MlpOptions(10, 1, 2, 32), seed: 0);
    Trainer.Fit(model, o5.Data, new TrainingOptions { Epochs = 90, BatchSize = 500, LearningRate = 3e-3, WeightDecay = 1e-4, Seed = 0 });
    double trained = clock.Elapsed.TotalSeconds;
    var matrix = Polarization.Compute(model, o5.Data.Train.Inputs, new GenericPrior(5, 2), new PolarizationOptions { Transform = OutputTransform.None });
    var symmetry = SymmetryAnalyzer.Analyze(matrix, LieAlgebra.SpecialOrthogonal(5), new SymmetryOptions { BootstrapResamples = 200 });
    report.Line("paper_5_1_train_seconds_1t", trained);
    report.Line("paper_5_1_total_seconds_1t", clock.Elapsed.TotalSeconds);
    report.Line("paper_5_1_test_mse", Evaluation.MeanSquaredError(model, o5.Data.Test));
    report.Line("paper_5_1_gap_ratio_l11_over_l10", symmetry.GapRatio);
    report.Line("paper_5_1_max_bias_of_10_smallest", symmetry.Bias!.Take(10).Max());
    report.Line("paper_5_1_variance", symmetry.Variance);
    report.Line("paper_5_1_variance_ci95", $"[{symmetry.VarianceInterval!.Lower:G4}, {symmetry.VarianceInterval.Upper:G4}]");
}

PeerComparison.Run(report, args.Contains("--quick"), threadCounts);

/// <summary>Times of several operations measured in interleaved rounds, so slow drifts of the machine cancel in ratios.</summary>
internal sealed class RoundTimes(Dictionary<string, double[]> times)
{
    public double Median(string name) => MedianOf(times[name]);

    public double MedianRatio(string numerator, string denominator)
        => MedianOf(times[numerator].Zip(times[denominator], (a, b) => a / b).ToArray());

    /// <summary>The median over rounds of (measured − baseline) / unit: what one operation adds to another, in units of a third, each round paired with itself.</summary>
    public double MedianExcess(string measured, string baseline, string unit)
        => MedianOf(Enumerable.Range(0, times[unit].Length).Select(i => (times[measured][i] - times[baseline][i]) / times[unit][i]).ToArray());

    private static double MedianOf(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

internal static class Benchmark
{
    public static RoundTimes Rounds(int rounds, IReadOnlyList<(string Name, Action Action)> operations)
    {
        foreach (var (_, action) in operations) action();
        var times = operations.ToDictionary(o => o.Name, _ => new double[rounds]);
        for (int round = 0; round < rounds; round++)
        {
            foreach (var (name, action) in operations)
            {
                var clock = Stopwatch.StartNew();
                action();
                times[name][round] = clock.Elapsed.TotalSeconds;
            }
        }
        return new RoundTimes(times);
    }

    public static double Median(int repetitions, Action action)
    {
        action();
        var times = new double[repetitions];
        for (int i = 0; i < repetitions; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            times[i] = clock.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return times[repetitions / 2];
    }

    /// <summary>Forward and input-only backward over the data: what any reverse-mode polarization pass must pay.</summary>
    public static void InputGradientPass(nn.Module<Tensor, Tensor> model, Tensor inputs, int batchSize)
    {
        model.eval();
        var parameters = model.parameters().ToList();
        foreach (var p in parameters) p.requires_grad_(false);
        for (long start = 0; start < inputs.shape[0]; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            var x = inputs.narrow(0, start, Math.Min(batchSize, inputs.shape[0] - start)).detach().requires_grad_(true);
            torch.autograd.grad(new[] { model.forward(x).sum() }, new[] { x });
        }
        foreach (var p in parameters) p.requires_grad_(true);
    }

    public static void ForwardPass(nn.Module<Tensor, Tensor> model, Tensor inputs, int batchSize)
    {
        model.eval();
        using var _ = torch.no_grad();
        for (long start = 0; start < inputs.shape[0]; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            model.forward(inputs.narrow(0, start, Math.Min(batchSize, inputs.shape[0] - start)));
        }
    }
}

internal sealed class BenchmarkReport
{
    public void Line(string name, double value, string? note = null)
        => Line(name, value.ToString(Math.Abs(value) < 1e-3 && value != 0 ? "E3" : "0.####", CultureInfo.InvariantCulture), note);

    public void Line(string name, string value, string? note = null)
        => Console.WriteLine(note is null ? $"{name}: {value}" : $"{name}: {value}    # {note}");
}

/// <summary>The process's peak resident memory (Linux VmHWM), resettable through /proc/self/clear_refs.</summary>
internal static class PeakMemory
{
    /// <summary>Resets the peak to the current resident size and returns that size in bytes (0 where unsupported).</summary>
    public static long ResetAndRead()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        // Freed tensors stay in the heap (NativeHeap) and would be reused unseen by the peak: hand them back first.
        NativeHeap.ReleaseFreeMemory();
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return Read("VmRSS:");
    }

    public static long Read(string field = "VmHWM:")
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
