using LieGG.Runtime.Models.Relaxed;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Training.Laplace;

/// <summary>One parameter tensor with its own Gaussian prior N(0, δ⁻¹ I).</summary>
/// <param name="Name">E.g. "block 2 conv weight".</param>
/// <param name="Site">The KFAC site the tensor belongs to.</param>
/// <param name="IsBias">The site's bias (else its weight).</param>
public sealed record PriorTensor(string Name, KfacSite Site, bool IsBias)
{
    public Tensor Value => IsBias ? Site.Bias : Site.Weight;

    public long Count => Value.numel();

    public int Layer => Site.Layer;

    public PathwayKind Pathway => Site.Pathway;
}

/// <summary>
/// ELLA's prior: one precision δ_l = exp(ρ_l) per parameter tensor (weight and bias separate), all starting at
/// <c>initial</c>. The MAP objective adds ½ Σ_l δ_l ‖θ_l‖² / N to the mean cross-entropy.
/// </summary>
public sealed class PriorPrecisions
{
    public PriorPrecisions(IReadOnlyList<KfacSite> sites, double initial = 1.0)
    {
        if (!(initial > 0) || double.IsInfinity(initial)) throw new ArgumentOutOfRangeException(nameof(initial), initial, "The initial prior precision must be positive and finite.");
        Tensors = sites.SelectMany(s => new[] { new PriorTensor($"{s.Name} weight", s, false), new PriorTensor($"{s.Name} bias", s, true) }).ToList();
        LogPrecisions = Enumerable.Repeat(Math.Log(initial), Tensors.Count).ToArray();
    }

    public IReadOnlyList<PriorTensor> Tensors { get; }

    /// <summary>ρ_l, one per tensor in <see cref="Tensors"/> order.</summary>
    public double[] LogPrecisions { get; }

    public double Precision(int index) => Math.Exp(LogPrecisions[index]);

    /// <summary>
    /// Adds the gradient of ½ Σ_l δ_l ‖θ_l‖² / N, δ_l θ_l / N, to every tensor's gradient (or sets it where a tensor has none).
    /// </summary>
    /// <remarks>
    /// Written out rather than differentiated: one in-place pass per tensor. Through autograd the penalty cost as much as
    /// a fifth of a dense network's training batch (a concatenation of every weight, the weighted square, and the
    /// gradient split back tensor by tensor).
    /// </remarks>
    public void AddPenaltyGradient(long trainingSamples)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        for (int i = 0; i < Tensors.Count; i++)
        {
            var value = Tensors[i].Value;
            using var scale = (Scalar)(Precision(i) / trainingSamples);
            var gradient = value.grad;
            if (gradient is null) value.grad = value.detach() * scale;
            else gradient.add_(value, scale);
        }
    }

    /// <summary>‖θ_l‖² per tensor, in float64.</summary>
    public double[] SquaredNorms()
    {
        using var _ = torch.no_grad();
        return Tensors.Select(t => t.Value.to_type(ScalarType.Float64).square().sum().item<double>()).ToArray();
    }
}
