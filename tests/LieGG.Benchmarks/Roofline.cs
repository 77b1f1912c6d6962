using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// How far from the machine's limit the hot paths run: float32 matrix-product rates on the rot-MNIST MLP's layer
/// shapes, the work (FLOP) of an epoch and of a polarization pass counted from those shapes, and the routes a dense
/// layer can take to the matrix-product kernels, each checked against the current one.
/// </summary>
internal static class Roofline
{
    /// <summary>The MLP 784 → 128 ×5 → 10: (fan-in, fan-out) of each linear layer.</summary>
    public static readonly (long In, long Out)[] MlpLayers = [(784, 128), (128, 128), (128, 128), (128, 128), (128, 128), (128, 10)];

    /// <summary>Multiply-adds of one forward pass per sample.</summary>
    public static double MacsPerSample => MlpLayers.Sum(l => (double)l.In * l.Out);

    /// <summary>FLOP of one training epoch over <paramref name="samples"/>: forward, weight gradients and input gradients of every layer but the first.</summary>
    public static double EpochFlop(long samples) => 2.0 * samples * (3 * MacsPerSample - MlpLayers[0].In * MlpLayers[0].Out);

    /// <summary>FLOP of the products in a reverse-mode polarization pass: forward and the input gradient of every layer.</summary>
    public static double PolarizationFlop(long samples) => 2.0 * samples * 2 * MacsPerSample;

    /// <summary>
    /// GFLOP/s of the products one training batch of <paramref name="batch"/> does — forward (x·Wᵀ), input gradient
    /// (g·W) and weight gradient (gᵀ·x) of every layer — as plain matrix products: the rate this library reaches on
    /// exactly this work, the roofline for the epoch.
    /// </summary>
    public static double GemmRate(int repetitions, long batch = 512)
    {
        var products = new List<(Tensor A, Tensor B)>();
        foreach (var (fanIn, fanOut) in MlpLayers)
        {
            products.Add((torch.randn(batch, fanIn), torch.randn(fanOut, fanIn).t()));
            products.Add((torch.randn(batch, fanOut), torch.randn(fanOut, fanIn)));
            products.Add((torch.randn(batch, fanOut).t(), torch.randn(batch, fanIn)));
        }
        double flop = products.Sum(p => 2.0 * p.A.shape[0] * p.A.shape[1] * p.B.shape[1]) * 10;
        double seconds = Benchmark.Median(repetitions, () =>
        {
            for (int i = 0; i < 10; i++)
            {
                using var scope = torch.NewDisposeScope();
                foreach (var (a, b) in products) a.matmul(b);
            }
        });
        foreach (var (a, b) in products) { a.Dispose(); b.Dispose(); }
        return flop / seconds / 1e9;
    }

    /// <summary>A dense layer's forward and backward (input and weight gradients), as one route computes it.</summary>
    public delegate Tensor DenseRoute(Tensor input, Tensor weight);

    public static Tensor Linear(Tensor x, Tensor w) => nn.functional.linear(x, w);

    /// <summary>The same layer as a 1×1 convolution, which libtorch hands to oneDNN.</summary>
    public static Tensor Convolution1x1(Tensor x, Tensor w)
        => nn.functional.conv2d(x.view(x.shape[0], x.shape[1], 1, 1), w.view(w.shape[0], w.shape[1], 1, 1)).view(x.shape[0], w.shape[0]);

    /// <summary>GFLOP/s of the first layer (784 → 128, batch 512) forward and backward by a route, and its largest difference from <see cref="Linear"/> relative to the output's scale.</summary>
    public static (double Rate, double Difference) DenseRate(int repetitions, DenseRoute route, long batch = 512, long inputs = 784, long outputs = 128)
    {
        using var x = torch.randn(new[] { batch, inputs }, generator: new torch.Generator(3)).requires_grad_(true);
        using var w = (torch.randn(new[] { outputs, inputs }, generator: new torch.Generator(4)) * 0.03).requires_grad_(true);
        double difference;
        using (var scope = torch.NewDisposeScope())
        {
            var reference = Linear(x, w);
            var (referenceX, referenceW) = Gradients(reference, x, w);
            var candidate = route(x, w);
            var (candidateX, candidateW) = Gradients(candidate, x, w);
            static double Relative(Tensor a, Tensor b) => (a - b).abs().max().item<float>() / Math.Max(1e-30, b.abs().max().item<float>());
            difference = new[] { Relative(candidate, reference), Relative(candidateX, referenceX), Relative(candidateW, referenceW) }.Max();
        }
        double flop = 6.0 * batch * inputs * outputs * 10;
        double seconds = Benchmark.Median(repetitions, () =>
        {
            for (int i = 0; i < 10; i++)
            {
                using var scope = torch.NewDisposeScope();
                x.grad?.zero_();
                w.grad?.zero_();
                route(x, w).sum().backward();
            }
        });
        return (flop / seconds / 1e9, difference);
    }

    private static (Tensor X, Tensor W) Gradients(Tensor output, Tensor x, Tensor w)
    {
        var upstream = torch.cos(torch.arange(output.numel()).reshape(output.shape).to(output.dtype));
        var grads = torch.autograd.grad([output], [x, w], [upstream]);
        return (grads[0], grads[1]);
    }

    /// <summary>How a 3×3 convolution is computed: oneDNN on NCHW maps, oneDNN on channels-last maps, or im2col + GEMM.</summary>
    public enum ConvolutionRoute { Nchw, ChannelsLast, Im2colGemm }

    /// <summary>GFLOP/s of the Z2CNN's 20→20 3×3 layer (24×24 maps, batch 128) forward + backward by one route, and its largest
    /// relative difference from the NCHW route's output.</summary>
    public static (double Rate, double Difference) ConvolutionRate(int repetitions, ConvolutionRoute route)
    {
        using var x = torch.randn(128, 20, 24, 24).requires_grad_(true);
        using var w = (torch.randn(20, 20, 3, 3) * 0.1).requires_grad_(true);
        using var cl = x.detach().permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2).requires_grad_(true);
        Tensor Convolve() => route switch
        {
            ConvolutionRoute.Nchw => nn.functional.conv2d(x, w),
            ConvolutionRoute.ChannelsLast => nn.functional.conv2d(cl, w),
            _ => w.view(20, -1).matmul(nn.functional.unfold(x, 3)).view(128, 20, 22, 22),
        };
        double flop = 3 * 2.0 * 128 * 20 * 20 * 9 * 22 * 22 * 5;
        double seconds = Benchmark.Median(repetitions, () =>
        {
            for (int i = 0; i < 5; i++)
            {
                using var scope = torch.NewDisposeScope();
                Convolve().sum().backward();
            }
        });
        using var plain = nn.functional.conv2d(x, w).detach();
        using var routed = Convolve().detach();
        return (flop / seconds / 1e9, (routed - plain).abs().max().item<float>() / plain.abs().max().item<float>());
    }

    /// <summary>An epoch as PyTorch's tutorial loop writes it: shuffle, forward, cross-entropy, backward, Adam step.</summary>
    public static void RawEpoch(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor targets, int batch)
    {
        model.train();
        using var optimizer = torch.optim.Adam(model.parameters(), 1e-3);
        long n = inputs.shape[0];
        using var order = torch.randperm(n);
        for (long start = 0; start < n; start += batch)
        {
            using var scope = torch.NewDisposeScope();
            var index = order.narrow(0, start, Math.Min(batch, n - start));
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.forward(inputs.index_select(0, index).flatten(1)), targets.index_select(0, index)).backward();
            optimizer.step();
        }
    }
}
