namespace LieGG.Runtime.Symmetry.Equivariance;

/// <summary>
/// What the equivariance analysis of a trained network found: per layer, along each continuous generator (the ground
/// truth's basis, then LieGG's H1) and for each discrete element.
/// </summary>
/// <param name="Samples">Analysed inputs.</param>
/// <param name="Tolerance">The relative squared error below which a layer counts as exactly equivariant: (64 · depth · ε)²
/// for the network's unit roundoff ε — an exact layer's error is round-off, growing at most with the depth of the sums.</param>
/// <param name="Exact">The declared exact elements (names); each layer's error for them is checked against the tolerance.</param>
/// <param name="Response">Test accuracy and output change against input rotation angle and shift (image classifiers).</param>
public sealed record EquivarianceResult(int Samples, double Tolerance, IReadOnlyList<GeneratorEquivariance> Generators, IReadOnlyList<DiscreteEquivariance> Elements, IReadOnlyList<string> Exact,
    TransformationResponse? Response = null)
{
    /// <summary>Layers whose own error for a declared exact element exceeds the tolerance, as "element: layer (error)".</summary>
    public IReadOnlyList<string> Violations()
        => Elements.Where(e => Exact.Contains(e.Element))
            .SelectMany(e => e.Layers.Where(l => l.OwnRelative > Tolerance).Select(l => FormattableString.Invariant($"{e.Element}: {l.Name} (relative error {l.OwnRelative:0.00E+0} > {Tolerance:0.00E+0})")))
            .ToList();
}
