using LieGG.Dsl;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Symmetry;

/// <summary>How the polarization matrix is built.</summary>
public sealed record PolarizationOptions
{
    public OutputReduction Reduction { get; init; } = OutputReduction.Sum;

    public OutputTransform Transform { get; init; } = OutputTransform.L2Normalize;

    public int BatchSize { get; init; } = 512;

    /// <summary>Use only the first this many samples; null = all.</summary>
    public int? Samples { get; init; }
}

/// <summary>
/// The network polarization matrix E (rows × d, float64, row-major). With <see cref="OutputReduction.Sum"/>
/// there is one row per sample; with <see cref="OutputReduction.PerOutput"/> rows are sample-major
/// (sample i, output o at row i·m + o).
/// </summary>
public sealed record PolarizationMatrix(int Samples, int OutputsPerSample, int GeneratorRows, int GeneratorColumns, double[] Values)
{
    public int Rows => Samples * OutputsPerSample;

    public int Columns => GeneratorRows * GeneratorColumns;

    public ReadOnlySpan<double> Row(int index) => Values.AsSpan(index * Columns, Columns);
}

/// <summary>
/// Builds E from input gradients, streamed in batches: memory O(N·d), never O(N·D·m). Model weights are
/// frozen while it runs, so backward computes input gradients only.
/// </summary>
public static class Polarization
{
    public static PolarizationMatrix Compute(nn.Module<Tensor, Tensor> model, Tensor inputs, ISymmetryPrior prior, PolarizationOptions? options = null, CancellationToken cancellationToken = default)
    {
        bool wasTraining = model.training;
        var parameters = model.parameters().ToList();
        var requiredGrad = parameters.Select(p => p.requires_grad).ToList();
        model.eval();
        foreach (var p in parameters) p.requires_grad_(false);
        try
        {
            var device = parameters.FirstOrDefault()?.device;
            return Compute(x => model.forward(device is null ? x : x.to(device)), inputs, prior, options, cancellationToken);
        }
        finally
        {
            for (int i = 0; i < parameters.Count; i++) parameters[i].requires_grad_(requiredGrad[i]);
            if (wasTraining) model.train();
        }
    }

    /// <param name="function">F: inputs [B, …] → outputs [B, m] (or [B]); differentiable in its input.</param>
    public static PolarizationMatrix Compute(Func<Tensor, Tensor> function, Tensor inputs, ISymmetryPrior prior, PolarizationOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PolarizationOptions();
        if (options.BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "Polarization BatchSize must be positive.");
        long total = inputs.shape[0];
        if (options.Samples is { } limit)
        {
            if (limit <= 0) throw new ArgumentOutOfRangeException(nameof(options), limit, "Polarization Samples must be positive.");
            total = Math.Min(total, limit);
        }
        if (total == 0) throw new ArgumentException("No samples to build the polarization matrix from.", nameof(inputs));

        using var contraction = prior.Prepare(inputs.narrow(0, 0, total));
        int d = prior.GeneratorRows * prior.GeneratorColumns;
        double[]? values = null;
        int outputs = 0;
        for (long start = 0; start < total; start += options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = torch.NewDisposeScope();
            long size = Math.Min(options.BatchSize, total - start);
            var x = inputs.narrow(0, start, size).detach().requires_grad_(true);
            var y = ApplyTransform(function(x), options.Transform);
            if (values is null)
            {
                outputs = (int)y.shape[1];
                int rowsPerSample = options.Reduction == OutputReduction.PerOutput ? outputs : 1;
                values = new double[checked(total * rowsPerSample * d)];
            }

            if (options.Reduction == OutputReduction.Sum)
            {
                var gradient = torch.autograd.grad(new[] { y.sum() }, new[] { x })[0];
                CopyRows(contraction.Rows(gradient, start), values, start * d, stride: d, rowStep: 1);
            }
            else
            {
                for (int o = 0; o < outputs; o++)
                {
                    var gradient = torch.autograd.grad(new[] { y[.., o].sum() }, new[] { x }, retain_graph: o < outputs - 1)[0];
                    CopyRows(contraction.Rows(gradient, start), values, (start * outputs + o) * d, stride: d, rowStep: outputs);
                }
            }
        }

        int rowsEach = options.Reduction == OutputReduction.PerOutput ? outputs : 1;
        return new PolarizationMatrix((int)total, rowsEach, prior.GeneratorRows, prior.GeneratorColumns, values!);
    }

    /// <summary>Applies the output transform to network outputs [B, m] (a vector [B] is treated as m = 1).</summary>
    public static Tensor ApplyTransform(Tensor output, OutputTransform transform)
    {
        var y = output.dim() == 1 ? output.unsqueeze(1) : output.reshape(output.shape[0], -1);
        return transform switch
        {
            OutputTransform.None => y,
            OutputTransform.L2Normalize when y.shape[1] == 1 => throw new ArgumentException(
                "OutputTransform.L2Normalize on a single output gives ±1, whose gradient is zero; use OutputTransform.None for scalar outputs."),
            OutputTransform.L2Normalize => nn.functional.normalize(y, p: 2, dim: 1),
            OutputTransform.Softmax => y.softmax(1),
            OutputTransform.LogSoftmax => y.log_softmax(1),
            _ => throw new ArgumentOutOfRangeException(nameof(transform), transform, "Unknown output transform."),
        };
    }

    private static void CopyRows(Tensor rows, double[] values, long offset, int stride, int rowStep)
    {
        var data = rows.detach().to_type(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
        long count = rows.shape[0];
        for (long i = 0; i < count; i++)
        for (int c = 0; c < stride; c++)
            values[offset + i * rowStep * stride + c] = data[i * stride + c];
    }
}
