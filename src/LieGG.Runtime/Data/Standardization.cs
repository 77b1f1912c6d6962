using static TorchSharp.torch;

namespace LieGG.Runtime.Data;

/// <summary>
/// The scaling a network is wrapped in so that it learns in standardised units while its function stays in the task's
/// units (EMLP's <c>Standardize</c>): F(x) = σ_y · net(x / s) + μ_y. Inputs are only scaled, never centred — a shift would
/// break a linear group action on them; one scale per 5-vector of the O(5) task commutes with O(5).
/// </summary>
/// <param name="InputScale">s, one value per input feature (flattened input shape).</param>
/// <param name="TargetMean">μ_y, one value per target dimension.</param>
/// <param name="TargetStd">σ_y, one value per target dimension (population standard deviation).</param>
/// <param name="Source">Which samples the statistics were computed over, in words ("training split", "all 10 000 samples").</param>
public sealed record Standardization(IReadOnlyList<double> InputScale, IReadOnlyList<double> TargetMean, IReadOnlyList<double> TargetStd, string Source)
{
    /// <summary>x / s for inputs [N, …input shape] (the wrapped network's inputs); a new tensor.</summary>
    public Tensor ScaleInputs(Tensor inputs, IReadOnlyList<int> inputShape)
    {
        using var scale = tensor(InputScale.ToArray()).to_type(inputs.dtype).reshape(inputShape.Select(s => (long)s).Prepend(1).ToArray());
        return inputs / scale;
    }

    /// <summary>One split in standardised units: inputs x / s, targets (y − μ_y) / σ_y. The caller owns the new tensors.</summary>
    public DataSplit StandardizedView(DataSplit split, IReadOnlyList<int> inputShape)
    {
        using var mean = tensor(TargetMean.ToArray()).to_type(split.Targets.dtype);
        using var std = tensor(TargetStd.ToArray()).to_type(split.Targets.dtype);
        return new DataSplit(ScaleInputs(split.Inputs, inputShape), (split.Targets - mean) / std);
    }

    /// <summary>
    /// The same data in standardised units — what the wrapped network itself sees and produces. The caller owns the
    /// returned dataset (new tensors).
    /// </summary>
    public TensorDataset StandardizedView(IDataset data)
    {
        if (data.Task != Dsl.TaskKind.Regression)
            throw new ArgumentException($"Dataset '{data.Name}' is a classification task; only regression targets are standardised.");
        int inputs = data.InputShape.Aggregate(1, (a, b) => a * b);
        if (InputScale.Count != inputs || TargetMean.Count != data.OutputSize || TargetStd.Count != data.OutputSize)
            throw new ArgumentException($"Dataset '{data.Name}' has {inputs} inputs and {data.OutputSize} targets but the standardization has {InputScale.Count} input scales and {TargetMean.Count}/{TargetStd.Count} target statistics.");
        return new TensorDataset(data.Name, data.Task, data.InputShape, data.OutputSize,
            StandardizedView(data.Train, data.InputShape), StandardizedView(data.Validation, data.InputShape), StandardizedView(data.Test, data.InputShape),
            $"{(data as TensorDataset)?.Description ?? data.Name}, standardised (statistics over the {Source})")
        {
            Provenance = (data as TensorDataset)?.Provenance,
        };
    }
}
