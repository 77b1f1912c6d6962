using LieGG.Dsl;
using static TorchSharp.torch;

namespace LieGG.Runtime.Data;

/// <summary>Sizes and seed of a generated equivariant regression task.</summary>
public sealed record SyntheticSplits(int Seed, int TrainCount, int ValidationCount, int TestCount)
{
    public int Total => TrainCount + ValidationCount + TestCount;

    public void Validate(string task)
    {
        if (TrainCount <= 0 || ValidationCount < 0 || TestCount <= 0)
            throw new ArgumentException($"{task} split sizes must be positive (train {TrainCount}, validation {ValidationCount}, test {TestCount}).");
    }
}

/// <summary>
/// An O(5)-equivariant regression task in the spirit of LieGG §5.1: x₁, x₂ ~ N(0, I₅) and the 5-vector
/// F(x₁, x₂) = sin‖x₁‖·x₁ − ½‖x₂‖·x₂ + (x₁·x₂ / (‖x₁‖‖x₂‖))·x₁, whose coefficients are the invariant task's three terms
/// made O(5)-invariant scalars, so F(Rx₁, Rx₂) = R·F(x₁, x₂) for every R ∈ O(5). Inputs are scaled by one RMS factor per
/// 5-vector and targets by one RMS factor (both on the training split, no centring), so O(5) acts on the scaled data
/// exactly as on the raw ones.
/// </summary>
public static class O5EquivariantSynthetic
{
    public const int VectorDimension = 5;
    public const int InputSize = 2 * VectorDimension;

    /// <summary>F on a batch of raw inputs [B, 10] → [B, 5], as a differentiable tensor expression.</summary>
    public static Tensor Target(Tensor x)
    {
        var x1 = x[.., ..VectorDimension];
        var x2 = x[.., VectorDimension..];
        var n1 = x1.norm(1, keepdim: true);
        var n2 = x2.norm(1, keepdim: true);
        var cosine = (x1 * x2).sum(1, keepdim: true) / (n1 * n2);
        return n1.sin() * x1 - 0.5 * n2 * x2 + cosine * x1;
    }

    public static EquivariantDataset Create(SyntheticSplits splits)
    {
        splits.Validate("O(5)-equivariant");
        var random = new SeededRandom(splits.Seed, stream: 11);
        var raw = new double[(long)splits.Total * InputSize];
        for (long i = 0; i < raw.Length; i++) raw[i] = random.NextGaussian();
        using var inputs = tensor(raw, new long[] { splits.Total, InputSize });
        using var targets = Target(inputs);
        var inputScales = Enumerable.Range(0, 2).Select(v => Rms(inputs.narrow(0, 0, splits.TrainCount).narrow(1, v * VectorDimension, VectorDimension))).ToArray();
        double targetScale = Rms(targets.narrow(0, 0, splits.TrainCount));
        using var scales = tensor(inputScales.SelectMany(s => Enumerable.Repeat(s, VectorDimension)).ToArray());
        using var scaledInputs = inputs / scales;
        using var scaledTargets = targets / targetScale;
        return EquivariantDataset.Split("o5-equivariant", scaledInputs.to_type(ScalarType.Float32), scaledTargets.to_type(ScalarType.Float32), splits,
            $"O(5)-equivariant synthetic, seed {splits.Seed}, N = {splits.TrainCount}/{splits.ValidationCount}/{splits.TestCount}", inputScales, targetScale);
    }

    internal static double Rms(Tensor values) => Math.Sqrt(values.square().mean().item<double>());
}

/// <summary>
/// EMLP's Inertia task (Finzi, Welling &amp; Wilson 2021): k = 5 point masses m_i = softplus(z_i), z_i ~ N(0, 1), at positions
/// r_i ~ N(0, I₃); the target is the inertia tensor I = Σ_i m_i (‖r_i‖² I₃ − r_i r_iᵀ), flattened row-major to 9 outputs.
/// The input is the 5 masses followed by the 5 positions (20 numbers), as EMLP lays it out (k scalars + k vectors); O(3)
/// acts on each position and on the tensor as R·I·Rᵀ. Like EMLP, neither inputs nor targets are rescaled.
/// </summary>
public static class InertiaSynthetic
{
    public const int Bodies = 5;
    public const int Dimension = 3;
    public const int InputSize = Bodies * (1 + Dimension);
    public const int OutputSize = Dimension * Dimension;

    /// <summary>The inertia tensor of inputs [B, 20] (masses, then positions) as [B, 9], differentiable.</summary>
    public static Tensor Target(Tensor x)
    {
        long b = x.shape[0];
        var masses = x[.., ..Bodies].reshape(b, Bodies, 1, 1);
        var positions = x[.., Bodies..].reshape(b, Bodies, Dimension);
        var squared = positions.square().sum(2).reshape(b, Bodies, 1, 1);
        var identity = eye(Dimension, dtype: x.dtype, device: x.device).reshape(1, 1, Dimension, Dimension);
        var outer = positions.unsqueeze(3) * positions.unsqueeze(2);
        return (masses * (squared * identity - outer)).sum(1).reshape(b, OutputSize);
    }

    public static EquivariantDataset Create(SyntheticSplits splits)
    {
        splits.Validate("Inertia");
        var random = new SeededRandom(splits.Seed, stream: 13);
        var raw = new double[(long)splits.Total * InputSize];
        for (int i = 0; i < splits.Total; i++)
        {
            for (int k = 0; k < Bodies; k++) raw[i * InputSize + k] = Math.Log(1 + Math.Exp(random.NextGaussian()));
            for (int k = Bodies; k < InputSize; k++) raw[i * InputSize + k] = random.NextGaussian();
        }
        using var inputs = tensor(raw, new long[] { splits.Total, InputSize });
        using var targets = Target(inputs);
        return EquivariantDataset.Split("inertia", inputs.to_type(ScalarType.Float32), targets.to_type(ScalarType.Float32), splits,
            $"Inertia (EMLP), {Bodies} bodies, seed {splits.Seed}, N = {splits.TrainCount}/{splits.ValidationCount}/{splits.TestCount}", [1.0], 1.0);
    }
}

/// <summary>A generated equivariant regression dataset and the scales it applied, so raw-space functions can be mapped to model space.</summary>
public sealed record EquivariantDataset(TensorDataset Data, IReadOnlyList<double> InputScales, double TargetScale) : IDisposable
{
    internal static EquivariantDataset Split(string name, Tensor inputs, Tensor targets, SyntheticSplits splits, string description, IReadOnlyList<double> inputScales, double targetScale)
    {
        DataSplit Take(int start, int count) => new(inputs.narrow(0, start, count).clone(), targets.narrow(0, start, count).clone());
        var dataset = new TensorDataset(name, TaskKind.Regression, new[] { (int)inputs.shape[1] }, (int)targets.shape[1],
            Take(0, splits.TrainCount), Take(splits.TrainCount, splits.ValidationCount), Take(splits.TrainCount + splits.ValidationCount, splits.TestCount), description);
        inputs.Dispose();
        targets.Dispose();
        return new EquivariantDataset(dataset, inputScales, targetScale);
    }

    public void Dispose() => Data.Dispose();
}
