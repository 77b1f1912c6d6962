using LieGG.Runtime.Data;
using LieGG.Runtime.Models;
using LieGG.Runtime.Symmetry.Equivariance;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Symmetry.Joint;

/// <summary>How the joint Gram is built.</summary>
public sealed record JointOptions
{
    /// <summary>Samples per batch; batches of wide outputs (feature maps) are cut further so no batch holds more than about 4 million row entries.</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>Bootstrap resamples of the samples (with replacement) whose Grams are accumulated alongside; 0 = none.</summary>
    public int BootstrapResamples { get; init; }

    public int BootstrapSeed { get; init; }
}

/// <summary>
/// Streams the joint system of EQUIVARIANCE.md §5 over batches — the residual J_F(x)·(A·x) − B·F(x) is linear in (A, B),
/// one row per sample and output component — and keeps only its d × d Gram in float64 (and one per bootstrap resample):
/// memory O(d²), never the N·m rows. J_F·(A·x) comes from the model's forward-mode tangents when it has them
/// (<see cref="ITangentModel"/>), else from the double backward, for all d_A generator coordinates in one pass.
/// </summary>
public static class JointPolarization
{
    private const long MaxBatchEntries = 1L << 22;

    public static JointGram Compute(nn.Module<Tensor, Tensor> model, PolarizationInputs inputs, OutputRepresentation output, JointOptions? options = null, CancellationToken cancellationToken = default)
    {
        var tangentModel = model as ITangentModel is { SupportsTangents: true } t ? t : null;
        using var frozen = new FrozenWeights(model);
        var device = frozen.Device;
        Tensor OnDevice(Tensor x) => device is null ? x : x.to(device);
        return Run(inputs, output, options ?? new JointOptions(), cancellationToken, (x, tangents) =>
        {
            if (tangentModel is null) return Differentiate(input => model.forward(input), OnDevice(x), OnDevice(tangents));
            using var _ = torch.no_grad();
            var z = tangentModel.ForwardWithTangents(OnDevice(x), OnDevice(tangents).to_type(x.dtype), out var dz);
            return (z, dz);
        });
    }

    /// <param name="function">F: inputs [B, …] → outputs [B, …]; twice differentiable in its input.</param>
    public static JointGram Compute(Func<Tensor, Tensor> function, PolarizationInputs inputs, OutputRepresentation output, JointOptions? options = null, CancellationToken cancellationToken = default)
        => Run(inputs, output, options ?? new JointOptions(), cancellationToken, (x, tangents) => Differentiate(function, x, tangents));

    /// <summary>The joint rows of one batch [B, m, d_A + d_B] from outputs F [B, …] and their tangents J_F·T_A [B, d_A, …].</summary>
    public static Tensor Rows(Tensor outputs, Tensor outputTangents, OutputRepresentation output, long[] inputShape)
    {
        long b = outputs.shape[0];
        long m = OutputRepresentation.PerSample(outputs.shape);
        var a = outputTangents.reshape(b, outputTangents.shape[1], m).transpose(1, 2);
        var coefficients = output.Tangents(outputs, inputShape).to_type(a.dtype);
        return torch.cat(new[] { a, coefficients.neg() }, 2);
    }

    private delegate (Tensor Outputs, Tensor OutputTangents) Derivatives(Tensor inputs, Tensor tangents);

    private static (Tensor, Tensor) Differentiate(Func<Tensor, Tensor> function, Tensor x, Tensor tangents)
    {
        var pushed = EquivarianceAnalysis.Jvp(function, x, tangents.to_type(x.dtype).reshape(new[] { x.shape[0], tangents.shape[1] }.Concat(x.shape.Skip(1)).ToArray()));
        using var _ = torch.no_grad();
        return (function(x.detach()), pushed);
    }

    private static JointGram Run(PolarizationInputs inputs, OutputRepresentation output, JointOptions options, CancellationToken cancellationToken, Derivatives derivatives)
    {
        if (options.BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "BatchSize must be positive.");
        if (options.BootstrapResamples < 0) throw new ArgumentOutOfRangeException(nameof(options), options.BootstrapResamples, "BootstrapResamples must be 0 or more.");
        var prior = inputs.Prior;
        int dA = prior.GeneratorRows * prior.GeneratorColumns, d = dA + output.Directions;
        long total = inputs.Count;
        var inputShape = inputs.Inputs.shape;
        var counts = ResampleCounts((int)total, options);
        var gram = new double[d * d];
        var resampled = Enumerable.Range(0, options.BootstrapResamples).Select(_ => new double[d * d]).ToArray();
        int perSample = 0;
        double epsilon = 2.220446049250313e-16;
        long batchSize = options.BatchSize;
        for (long start = 0; start < total;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = torch.NewDisposeScope();
            long size = Math.Min(batchSize, total - start);
            var x = inputs.Inputs.narrow(0, start, size);
            var (outputs, outputTangents) = derivatives(x, inputs.Contraction.Tangents(start, size));
            if (perSample == 0)
            {
                output.RequireFits(outputs.shape, prior);
                perSample = checked((int)OutputRepresentation.PerSample(outputs.shape));
                if (outputs.dtype != ScalarType.Float64) epsilon = 1.1920928955078125e-07;
                long fitting = Math.Max(1, MaxBatchEntries / ((long)perSample * d));
                if (fitting < size)
                {
                    batchSize = fitting;
                    continue;
                }
            }
            var rows = Rows(outputs, outputTangents, output, inputShape).to_type(ScalarType.Float64).cpu();
            Add(gram, rows.reshape(-1, d).T.mm(rows.reshape(-1, d)));
            if (counts is not null)
            {
                // Σ_b w_rb · r_bᵀr_b for every resample r at once: per-sample Grams [B, d²], weighted by the resample counts.
                var perSampleGrams = rows.transpose(1, 2).bmm(rows).reshape(size, (long)d * d);
                var weights = torch.tensor(counts.Block(start, size), new long[] { size, counts.Resamples }, dtype: ScalarType.Float64);
                var weighted = weights.T.mm(perSampleGrams).contiguous().data<double>().ToArray();
                for (int r = 0; r < counts.Resamples; r++)
                {
                    var target = resampled[r];
                    for (int i = 0; i < target.Length; i++) target[i] += weighted[r * target.Length + i];
                }
            }
            start += size;
        }
        return new JointGram((int)total, perSample, prior.GeneratorRows, prior.GeneratorColumns, output.GeneratorRows, output.GeneratorColumns, gram, epsilon, resampled);
    }

    private static void Add(double[] gram, Tensor product)
    {
        var values = product.contiguous().data<double>().ToArray();
        for (int i = 0; i < gram.Length; i++) gram[i] += values[i];
    }

    /// <summary>How often each sample is drawn in each resample, sample-major ([N, R] as doubles).</summary>
    private sealed class Counts(double[] values, int resamples)
    {
        public int Resamples { get; } = resamples;

        public double[] Block(long start, long size) => values.AsSpan(checked((int)(start * Resamples)), checked((int)(size * Resamples))).ToArray();
    }

    private static Counts? ResampleCounts(int samples, JointOptions options)
    {
        if (options.BootstrapResamples == 0) return null;
        int r = options.BootstrapResamples;
        var values = new double[(long)samples * r];
        var random = new SeededRandom(options.BootstrapSeed, stream: 7);
        for (int resample = 0; resample < r; resample++)
            for (int i = 0; i < samples; i++)
                values[(long)random.NextInt(samples) * r + resample] += 1;
        return new Counts(values, r);
    }
}
