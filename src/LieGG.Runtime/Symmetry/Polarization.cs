using LieGG.Dsl;
using LieGG.Runtime.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Symmetry;

/// <summary>How the derivatives in the polarization matrix are taken.</summary>
public enum DifferentiationMode
{
    /// <summary>Reverse mode for <see cref="OutputReduction.Sum"/>; forward mode for per-output rows when the model supports it.</summary>
    Auto,
    /// <summary>Input gradients by backpropagation: one backward pass per output row.</summary>
    Reverse,
    /// <summary>Tangent propagation (<see cref="ITangentModel"/>): all outputs for the d generator directions in one pass.</summary>
    Forward,
}

/// <summary>How the polarization matrix is built.</summary>
public sealed record PolarizationOptions
{
    public OutputReduction Reduction { get; init; } = OutputReduction.Sum;

    /// <summary>
    /// What is differentiated: the outputs themselves or a transform of them. Null (the default) chooses by the output
    /// count: L2 normalisation for several outputs (classifier logits, as LieGG does), none for a single output.
    /// </summary>
    public OutputTransform? Transform { get; init; }

    /// <summary>The transform applied to a network with <paramref name="outputs"/> outputs.</summary>
    public OutputTransform TransformFor(long outputs) => Transform ?? (outputs > 1 ? OutputTransform.L2Normalize : OutputTransform.None);

    public int BatchSize { get; init; } = 512;

    public DifferentiationMode Mode { get; init; } = DifferentiationMode.Auto;
}

/// <summary>
/// The network polarization matrix E (rows × d, float64, row-major). With <see cref="OutputReduction.Sum"/>
/// there is one row per sample; with <see cref="OutputReduction.PerOutput"/> rows are sample-major
/// (sample i, output o at row i·m + o).
/// </summary>
/// <param name="Epsilon">Unit roundoff of the arithmetic that produced the rows (float32 or float64 derivatives):
/// the default rank tolerance scales with it.</param>
public sealed record PolarizationMatrix(int Samples, int OutputsPerSample, int GeneratorRows, int GeneratorColumns, double[] Values, double Epsilon = 2.220446049250313e-16)
{
    public int Rows => Samples * OutputsPerSample;

    public int Columns => GeneratorRows * GeneratorColumns;

    public ReadOnlySpan<double> Row(int index) => Values.AsSpan(index * Columns, Columns);
}

/// <summary>
/// Inputs prepared for a symmetry prior: the model-independent part of the polarization (e.g. image gradients)
/// computed once and reused for every model, layer or trial analysed on the same data.
/// </summary>
public sealed class PolarizationInputs : IDisposable
{
    private PolarizationInputs(Tensor inputs, ISymmetryPrior prior, IPolarizationContraction contraction)
    {
        Inputs = inputs;
        Prior = prior;
        Contraction = contraction;
    }

    public Tensor Inputs { get; }

    public ISymmetryPrior Prior { get; }

    public IPolarizationContraction Contraction { get; }

    public long Count => Inputs.shape[0];

    /// <param name="samples">Use only the first this many samples; null = all.</param>
    public static PolarizationInputs Prepare(Tensor inputs, ISymmetryPrior prior, int? samples = null)
    {
        long count = inputs.shape[0];
        if (samples is { } limit)
        {
            if (limit <= 0) throw new ArgumentOutOfRangeException(nameof(samples), limit, "The number of analysed samples must be positive.");
            count = Math.Min(count, limit);
        }
        if (count == 0) throw new ArgumentException("No samples to build the polarization matrix from.", nameof(inputs));
        var selected = inputs.narrow(0, 0, count);
        return new PolarizationInputs(selected, prior, prior.Prepare(selected));
    }

    public void Dispose() => Contraction.Dispose();
}

/// <summary>
/// Builds E from derivatives of the network, streamed in batches: memory O(N·d), never O(N·D·m). Model
/// weights are frozen while it runs, so backward computes input gradients only.
/// </summary>
public static class Polarization
{
    public static PolarizationMatrix Compute(nn.Module<Tensor, Tensor> model, Tensor inputs, ISymmetryPrior prior, PolarizationOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var prepared = PolarizationInputs.Prepare(inputs, prior);
        return Compute(model, prepared, options, cancellationToken);
    }

    /// <param name="function">F: inputs [B, …] → outputs [B, m] (or [B]); differentiable in its input.</param>
    public static PolarizationMatrix Compute(Func<Tensor, Tensor> function, Tensor inputs, ISymmetryPrior prior, PolarizationOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var prepared = PolarizationInputs.Prepare(inputs, prior);
        return Compute(function, prepared, options, cancellationToken);
    }

    public static PolarizationMatrix Compute(nn.Module<Tensor, Tensor> model, PolarizationInputs inputs, PolarizationOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PolarizationOptions();
        var tangentModel = model as ITangentModel is { SupportsTangents: true } t ? t : null;
        bool forward = options.Mode switch
        {
            DifferentiationMode.Forward when tangentModel is null => throw new ArgumentException(
                $"DifferentiationMode.Forward needs a model implementing {nameof(ITangentModel)}; {model.GetType().Name} does not. Use Reverse or Auto."),
            DifferentiationMode.Forward => true,
            DifferentiationMode.Auto => tangentModel is not null && options.Reduction == OutputReduction.PerOutput,
            _ => false,
        };

        using var frozen = new FrozenWeights(model);
        var device = frozen.Device;
        Tensor OnDevice(Tensor x) => device is null ? x : x.to(device);
        return forward
            ? Run(inputs, options, cancellationToken, (x, start) => new BatchOutput(ForwardRows(tangentModel!, OnDevice(x), inputs.Contraction, start, options), IsInputGradient: false))
            : Run(inputs, options, cancellationToken, (x, start) => ReverseRows(x => model.forward(OnDevice(x)), x, inputs.Contraction, start, options));
    }

    public static PolarizationMatrix Compute(Func<Tensor, Tensor> function, PolarizationInputs inputs, PolarizationOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PolarizationOptions();
        if (options.Mode == DifferentiationMode.Forward)
            throw new ArgumentException("DifferentiationMode.Forward needs a model implementing ITangentModel, not a plain function.", nameof(options));
        return Run(inputs, options, cancellationToken, (x, start) => ReverseRows(function, x, inputs.Contraction, start, options));
    }

    /// <summary>Applies the output transform to network outputs [B, m] (a vector [B] is treated as m = 1).</summary>
    public static Tensor ApplyTransform(Tensor output, OutputTransform transform)
    {
        var y = AsMatrix(output);
        RequireTransformFits(transform, y.shape[1]);
        return transform switch
        {
            OutputTransform.None => y,
            OutputTransform.L2Normalize => nn.functional.normalize(y, p: 2, dim: 1),
            OutputTransform.Softmax => y.softmax(1),
            OutputTransform.LogSoftmax => y.log_softmax(1),
            _ => throw new ArgumentOutOfRangeException(nameof(transform), transform, "Unknown output transform."),
        };
    }

    private static Tensor AsMatrix(Tensor output) => output.dim() == 1 ? output.unsqueeze(1) : output.reshape(output.shape[0], -1);

    private static void RequireTransformFits(OutputTransform transform, long outputs)
    {
        if (transform == OutputTransform.L2Normalize && outputs == 1)
            throw new ArgumentException("OutputTransform.L2Normalize on a single output gives ±1, whose gradient is zero; use OutputTransform.None for scalar outputs.");
    }

    /// <summary>
    /// One batch's rows as a tensor, [B, d] (sum) or [B, m, d] (per output); or, for the summed reverse pass, the input
    /// gradient [B, …] that the prior's contraction turns into [B, d] rows.
    /// </summary>
    private readonly record struct BatchOutput(Tensor Values, bool IsInputGradient);

    private delegate BatchOutput BatchRows(Tensor inputs, long start);

    private static PolarizationMatrix Run(PolarizationInputs inputs, PolarizationOptions options, CancellationToken cancellationToken, BatchRows rows)
    {
        if (options.BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "Polarization BatchSize must be positive.");
        long total = inputs.Count;
        var prior = inputs.Prior;
        int d = prior.GeneratorRows * prior.GeneratorColumns;
        double[]? values = null;
        int rowsPerSample = 1;
        var precision = ScalarType.Float64;
        for (long start = 0; start < total; start += options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = torch.NewDisposeScope();
            long size = Math.Min(options.BatchSize, total - start);
            var batch = rows(inputs.Inputs.narrow(0, start, size), start);
            if (values is null)
            {
                precision = batch.Values.dtype;
                rowsPerSample = !batch.IsInputGradient && batch.Values.dim() == 3 ? (int)batch.Values.shape[1] : 1;
                values = new double[checked(total * rowsPerSample * d)];
            }
            var destination = values.AsSpan(checked((int)(start * rowsPerSample * d)), checked((int)(size * rowsPerSample * d)));
            // The contraction writes its rows in place where it can: a tensor of them, converted to float64 and copied out
            // again, cost ≈ 75 µs per batch of 512 (1.2 ms per 8000 digits, beside the contraction's 4 ms).
            if (batch.IsInputGradient && inputs.Contraction.TryWriteRows(batch.Values, start, destination)) continue;
            var tensor = batch.IsInputGradient ? inputs.Contraction.Rows(batch.Values, start) : batch.Values;
            tensor.detach().to_type(ScalarType.Float64).cpu().contiguous().data<double>().ToArray().CopyTo(destination);
        }
        double epsilon = precision == ScalarType.Float64 ? 2.220446049250313e-16 : 1.1920928955078125e-07;
        return new PolarizationMatrix((int)total, rowsPerSample, prior.GeneratorRows, prior.GeneratorColumns, values!, epsilon);
    }

    private static BatchOutput ReverseRows(Func<Tensor, Tensor> function, Tensor batch, IPolarizationContraction contraction, long start, PolarizationOptions options)
    {
        var x = batch.detach().requires_grad_(true);
        var raw = function(x);
        var transform = options.TransformFor(raw.shape.Length > 1 ? raw.shape[1] : 1);
        if (options.Reduction == OutputReduction.Sum && transform == OutputTransform.L2Normalize)
        {
            var matrix = AsMatrix(raw);
            RequireTransformFits(transform, matrix.shape[1]);
            if (OutputCotangents.TrySumOfL2Normalized(matrix, out var cotangent))
                return new BatchOutput(torch.autograd.grad(new[] { matrix }, new[] { x }, new[] { cotangent })[0], IsInputGradient: true);
        }
        var y = ApplyTransform(raw, transform);
        if (options.Reduction == OutputReduction.Sum)
            return new BatchOutput(torch.autograd.grad(new[] { y.sum() }, new[] { x })[0], IsInputGradient: true);

        long outputs = y.shape[1];
        var perOutput = new Tensor[outputs];
        for (int o = 0; o < outputs; o++)
        {
            var gradient = torch.autograd.grad(new[] { y[.., o].sum() }, new[] { x }, retain_graph: o < outputs - 1)[0];
            perOutput[o] = contraction.Rows(gradient, start);
        }
        return new BatchOutput(torch.stack(perOutput, 1), IsInputGradient: false);
    }

    private static Tensor ForwardRows(ITangentModel model, Tensor batch, IPolarizationContraction contraction, long start, PolarizationOptions options)
    {
        using var _ = torch.no_grad();
        var tangents = contraction.Tangents(start, batch.shape[0]).to(batch.device).to_type(batch.dtype);
        var z = AsMatrix(model.ForwardWithTangents(batch, tangents, out var dz));
        var transform = options.TransformFor(z.shape[1]);
        RequireTransformFits(transform, z.shape[1]);
        Tensor dy = transform switch
        {
            OutputTransform.None => dz,
            OutputTransform.L2Normalize => Apply(OutputTangents.L2Normalize, z, dz),
            OutputTransform.Softmax => Apply(OutputTangents.Softmax, z, dz),
            OutputTransform.LogSoftmax => Apply(OutputTangents.LogSoftmax, z, dz),
            _ => throw new ArgumentOutOfRangeException(nameof(options), transform, "Unknown output transform."),
        };
        // dy[b, c, o] is row (b, o), column c.
        return options.Reduction == OutputReduction.Sum ? dy.sum(2) : dy.transpose(1, 2);
    }

    private delegate Tensor TangentTransform(Tensor z, Tensor dz, out Tensor dy);

    private static Tensor Apply(TangentTransform transform, Tensor z, Tensor dz)
    {
        transform(z, dz, out var dy);
        return dy;
    }
}
