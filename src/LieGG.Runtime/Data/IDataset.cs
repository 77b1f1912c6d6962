using LieGG.Dsl;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Data;

/// <summary>
/// One split of a dataset. <see cref="Inputs"/> is float32 (or float64) of shape [N, …input shape];
/// <see cref="Targets"/> is float [N, outputs] for regression and int64 [N] class indices for classification.
/// </summary>
public sealed record DataSplit(Tensor Inputs, Tensor Targets)
{
    public int Count => (int)Inputs.shape[0];
}

/// <summary>
/// What training and the symmetry analysis need from a dataset. Implement it (or build a
/// <see cref="TensorDataset"/>) to bring your own data.
/// </summary>
public interface IDataset : IDisposable
{
    string Name { get; }

    TaskKind Task { get; }

    /// <summary>Shape of one input, e.g. [10] for the O(5) task or [28, 28] for images.</summary>
    IReadOnlyList<int> InputShape { get; }

    /// <summary>Number of classes (classification) or target dimensions (regression).</summary>
    int OutputSize { get; }

    DataSplit Train { get; }

    DataSplit Validation { get; }

    DataSplit Test { get; }
}

/// <summary>An <see cref="IDataset"/> over tensors, with its shapes and types validated on construction.</summary>
public sealed class TensorDataset : IDataset
{
    public TensorDataset(string name, TaskKind task, IReadOnlyList<int> inputShape, int outputSize, DataSplit train, DataSplit validation, DataSplit test, string? description = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (inputShape.Count == 0 || inputShape.Any(s => s <= 0))
            throw new ArgumentException($"Dataset '{name}': input shape [{string.Join(", ", inputShape)}] must have at least one dimension, all positive.", nameof(inputShape));
        if (outputSize <= 0)
            throw new ArgumentException($"Dataset '{name}': OutputSize must be positive (classes or target dimensions), not {outputSize}.", nameof(outputSize));
        Name = name;
        Task = task;
        InputShape = inputShape.ToArray();
        OutputSize = outputSize;
        Validate(train, "Train");
        Validate(validation, "Validation");
        Validate(test, "Test");
        Train = train;
        Validation = validation;
        Test = test;
        Description = description ?? name;
    }

    public string Name { get; }

    public TaskKind Task { get; }

    public IReadOnlyList<int> InputShape { get; }

    public int OutputSize { get; }

    public DataSplit Train { get; }

    public DataSplit Validation { get; }

    public DataSplit Test { get; }

    /// <summary>Human-readable provenance (source files, seeds, transforms) for reports.</summary>
    public string Description { get; }

    /// <summary>Where each split came from and what was done to the images, when the dataset knows it (the MNIST datasets do).</summary>
    public DataProvenance? Provenance { get; init; }

    /// <summary>
    /// The scaling the network is wrapped in for this regression task (null: none). The splits hold inputs and targets in
    /// the task's own units; the wrapped network learns in standardised ones.
    /// </summary>
    public Standardization? Standardization { get; init; }

    /// <summary>Number of scalar inputs per sample (product of <see cref="InputShape"/>).</summary>
    public int InputSize => InputShape.Aggregate(1, (a, b) => a * b);

    private void Validate(DataSplit split, string splitName)
    {
        string where = $"Dataset '{Name}', {splitName} split";
        var shape = split.Inputs.shape;
        if (shape.Length != InputShape.Count + 1 || !shape.Skip(1).Select(s => (int)s).SequenceEqual(InputShape))
            throw new ArgumentException($"{where}: inputs have shape [{string.Join(", ", shape)}] but the dataset declares [N, {string.Join(", ", InputShape)}].");
        if (split.Inputs.dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new ArgumentException($"{where}: inputs are {split.Inputs.dtype}; use float32 (or float64).");
        long n = shape[0];
        RequireFinite(split.Inputs, where, "input");
        if (split.Targets.shape.Length == 0 || split.Targets.shape[0] != n)
            throw new ArgumentException($"{where}: {n} inputs but targets of shape [{string.Join(", ", split.Targets.shape)}]; one target per input is required.");
        if (Task == TaskKind.Classification)
        {
            if (split.Targets.dtype != ScalarType.Int64 || split.Targets.shape.Length != 1)
                throw new ArgumentException($"{where}: classification targets must be int64 class indices of shape [N], not {split.Targets.dtype} [{string.Join(", ", split.Targets.shape)}].");
            if (n > 0)
            {
                long min = split.Targets.min().item<long>(), max = split.Targets.max().item<long>();
                if (min < 0 || max >= OutputSize)
                    throw new ArgumentException($"{where}: class indices span {min}…{max} but OutputSize is {OutputSize}; indices must lie in 0…{OutputSize - 1}.");
            }
        }
        else if (split.Targets.shape.Length != 2 || split.Targets.shape[1] != OutputSize || split.Targets.dtype is not (ScalarType.Float32 or ScalarType.Float64))
        {
            throw new ArgumentException($"{where}: regression targets must be float [N, {OutputSize}], not {split.Targets.dtype} [{string.Join(", ", split.Targets.shape)}].");
        }
        else
        {
            RequireFinite(split.Targets, where, "target");
        }
    }

    /// <summary>
    /// Fails on the first NaN or ±∞, naming the split, the sample and the feature (flat index within the sample): one
    /// such value makes every metric of its split NaN, and best-model selection would silently keep epoch 1.
    /// </summary>
    public static void RequireFinite(Tensor values, string where, string what)
    {
        if (values.numel() == 0 || !values.is_floating_point()) return;
        using var scope = NewDisposeScope();
        var bad = values.isfinite().logical_not().reshape(values.shape[0], -1);
        if (!bad.any().item<bool>()) return;
        var first = bad.reshape(-1).nonzero()[0, 0].item<long>();
        long features = bad.shape[1], sample = first / features, feature = first % features;
        double value = values.reshape(-1)[first].to_type(ScalarType.Float64).item<double>();
        long count = bad.sum().item<long>();
        throw new ArgumentException($"{where}: {what} {feature} of sample {sample} is {value}{(count > 1 ? $" ({count} non-finite values in all)" : "")}; remove or repair those samples before training.");
    }

    public void Dispose()
    {
        foreach (var split in new[] { Train, Validation, Test })
        {
            split.Inputs.Dispose();
            split.Targets.Dispose();
        }
    }
}
