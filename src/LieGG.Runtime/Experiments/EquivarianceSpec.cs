using LieGG.Dsl;
using LieGG.Runtime.Symmetry.Equivariance;

namespace LieGG.Runtime.Experiments;

/// <summary>
/// The equivariance analysis of a trained network, layer by layer (EQUIVARIANCE.md; <c>[Equivariance]</c>): discrete group
/// elements, the continuous generators of the ground truth and LieGG's H1, and the elements the architecture must keep
/// exactly.
/// </summary>
/// <param name="Elements">Element families to measure (quarter turns, shifts by the network's total stride, the flip).</param>
/// <param name="Exact">Families every layer must keep to round-off (e.g. P4CNN's quarter turns); a layer above the stated
/// tolerance fails the run, naming it, after its results are written.</param>
/// <param name="Samples">Analysed inputs (the first of the analysed split).</param>
/// <param name="Continuous">Also the continuous analysis along the generators (exact Jacobian–vector products).</param>
/// <param name="Named">Single elements besides the families (from the command line, e.g. a shift by 3 pixels).</param>
/// <param name="NamedExact">Single elements besides <paramref name="Exact"/> that must hold exactly.</param>
public sealed record EquivarianceSpec(
    SymmetryElements Elements = Defaults.EquivarianceElements,
    SymmetryElements Exact = SymmetryElements.None,
    int Samples = Defaults.EquivarianceSamples,
    bool Continuous = true,
    IReadOnlyList<GroupElement>? Named = null,
    IReadOnlyList<GroupElement>? NamedExact = null)
{
    public ElementSelection Measured => new(Elements | Exact, [.. Named ?? [], .. NamedExact ?? []]);

    public ElementSelection ExactSelection => new(Exact, NamedExact ?? []);

    public override string ToString()
        => $"EquivarianceSpec {{ Elements = {new ElementSelection(Elements, Named ?? [])}, Exact = {ExactSelection}, Samples = {Samples}, Continuous = {Continuous} }}";
}
