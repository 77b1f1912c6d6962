using LieGG.Dsl;
using LieGG.Runtime.Models.Relaxed;

namespace LieGG.Runtime.Training.Laplace;

/// <summary>One parameter tensor's prior after training.</summary>
/// <param name="Layer">0-based block (the head's layers follow the blocks).</param>
/// <param name="Precision">δ = exp(ρ).</param>
/// <param name="EffectiveParameters">γ = Σ λ/(λ + δ) over the tensor's KFAC curvature eigenvalues.</param>
public sealed record TensorPriorResult(string Name, int Layer, PathwayKind Pathway, bool IsBias, long Parameters, double Precision, double EffectiveParameters, double SquaredNorm);

/// <summary>How much of a block each pathway takes: its share of the block's effective number of parameters.</summary>
/// <param name="FcShare">Share of the dense or factored FC pathway, in [0, 1]; 0 when the block has none.</param>
/// <param name="ConvShare">Share of the CONV pathway, in [0, 1].</param>
/// <param name="GroupConvShare">Share of the p4 G-CONV pathway, in [0, 1]; 0 when the block has none (and in records written before it existed).</param>
public sealed record LayerShare(int Layer, double FcShare, double ConvShare, double EffectiveParameters, double GroupConvShare = 0);

/// <summary>One pathway summed over the whole network: how many of its parameters the data determine.</summary>
/// <param name="EffectiveParameters">Σ γ over the pathway's tensors.</param>
public sealed record PathwayUse(PathwayKind Pathway, long Parameters, double EffectiveParameters)
{
    /// <summary>
    /// γ / parameters: how much of the pathway is in use, whatever its size. A layer's share weighs a pathway against
    /// the others in the layer, so a large pathway (at width 4, F-FC in the first layer: 2 308 parameters against
    /// CONV's 40) takes a large share with a small fraction in use.
    /// </summary>
    public double Fraction => Parameters == 0 ? double.NaN : EffectiveParameters / Parameters;
}

/// <summary>One hyperparameter step (or the final evaluation): the marginal likelihood before and after it.</summary>
/// <param name="Epoch">The epoch after which the step ran.</param>
/// <param name="NegativeLogMarginalLikelihood">M per sample after the step's Adam updates.</param>
/// <param name="Before">M per sample before them (same curvature).</param>
/// <param name="NegativeLogLikelihood">Mean training cross-entropy at the step.</param>
public sealed record MarginalLikelihoodStep(int Epoch, double Before, double NegativeLogMarginalLikelihood, double NegativeLogLikelihood, double Seconds);

/// <summary>What ELLA's prior learning produced.</summary>
/// <param name="Learned">Precisions learned by marginal likelihood (else MAP with fixed precisions).</param>
/// <param name="History">The hyperparameter steps in order (empty for MAP).</param>
/// <param name="Final">M per sample of the trained network at its final precisions (MAP runs included).</param>
public sealed record LaplaceResult(
    bool Learned,
    FisherKind Fisher,
    IReadOnlyList<MarginalLikelihoodStep> History,
    IReadOnlyList<TensorPriorResult> Tensors,
    IReadOnlyList<LayerShare> Layers,
    double Final)
{
    /// <summary>KFAC against the exact GGN at the final weights and priors (<c>--check-laplace</c>, networks up to <see cref="LaplaceCheck.MaxParameters"/> parameters); null when not asked or too large.</summary>
    public LaplaceCheck? Check { get; init; }

    /// <summary>Why the check asked for did not run (the network is too large); null otherwise.</summary>
    public string? CheckSkipped { get; init; }

    /// <summary>The strict sub-networks trained beside a learned relaxed network (<c>[Laplace(NestedEvidence = true)]</c>); null when not asked.</summary>
    public IReadOnlyList<NestedModelResult>? Nested { get; init; }

    /// <summary>The sub-network with a better marginal likelihood than the learned network (the best of them); null when the learned one is best or none was trained.</summary>
    public NestedModelResult? BetterNested => Nested?.Where(n => n.NegativeLogMarginalLikelihood < Final).MinBy(n => n.NegativeLogMarginalLikelihood);

    /// <summary>Mean over blocks of the FC share (ELLA's "relative effective number of parameters").</summary>
    public double MeanFcShare => Layers.Count == 0 ? double.NaN : Layers.Average(l => l.FcShare);

    public double MeanConvShare => Layers.Count == 0 ? double.NaN : Layers.Average(l => l.ConvShare);

    public double MeanGroupConvShare => Layers.Count == 0 ? double.NaN : Layers.Average(l => l.GroupConvShare);

    /// <summary>Each kind of pathway (and the head) summed over the network's tensors, in <see cref="PathwayKind"/> order.</summary>
    public IReadOnlyList<PathwayUse> PathwayUses() => Tensors.GroupBy(t => t.Pathway).OrderBy(g => g.Key)
        .Select(g => new PathwayUse(g.Key, g.Sum(t => t.Parameters), g.Sum(t => t.EffectiveParameters))).ToList();

    /// <summary>Whether any block has a G-CONV pathway (its tensors are among <see cref="Tensors"/>).</summary>
    public bool HasGroupConv => Tensors.Any(t => t.Pathway == PathwayKind.GroupConv);
}
