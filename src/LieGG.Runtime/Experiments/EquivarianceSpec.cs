using LieGG.Runtime.Symmetry.Equivariance;

namespace LieGG.Runtime.Experiments;

/// <summary>
/// The equivariance analysis of a trained network, layer by layer (EQUIVARIANCE.md): discrete group elements, the
/// continuous generators of the ground truth and LieGG's H1, and the elements the architecture must keep exactly.
/// </summary>
/// <param name="Elements">Discrete elements to measure ("rot90", "rot180", "rot270", "flip", "shift:R,C" in input pixels);
/// null = the three quarter turns and a shift by the network's total stride along each axis.</param>
/// <param name="Exact">Elements every layer must keep to round-off (e.g. P4CNN's quarter turns); a layer above the stated
/// tolerance fails the run, naming it, after its results are written.</param>
/// <param name="Samples">Analysed samples (the first of the analysed split).</param>
/// <param name="Continuous">Also the continuous analysis along the generators (exact Jacobian–vector products).</param>
public sealed record EquivarianceSpec(IReadOnlyList<string>? Elements = null, IReadOnlyList<string>? Exact = null, int Samples = 256, bool Continuous = true)
{
    /// <summary>The elements parsed; an <see cref="ExperimentSetupException"/> naming every bad one at once.</summary>
    public (IReadOnlyList<GroupElement>? Elements, IReadOnlyList<GroupElement> Exact) Parse()
    {
        var problems = new List<string>();
        if (Samples < 1) problems.Add($"Equivariance Samples must be at least 1, not {Samples}.");
        List<GroupElement>? Read(IReadOnlyList<string>? names, string field)
        {
            if (names is null) return null;
            var parsed = new List<GroupElement>();
            foreach (var name in names)
                if (GroupElement.Parse(name) is { } element) parsed.Add(element);
                else problems.Add($"Equivariance {field}: '{name}' is not a group element; use rot90, rot180, rot270, flip or shift:R,C (input pixels).");
            return parsed;
        }
        var elements = Read(Elements, nameof(Elements));
        var exact = Read(Exact, nameof(Exact)) ?? [];
        if (problems.Count > 0) throw new ExperimentSetupException(string.Join(" ", problems));
        return (elements, exact);
    }

    public override string ToString()
        => $"EquivarianceSpec {{ Elements = {(Elements is null ? "default" : string.Join(" ", Elements))}, Exact = {(Exact is null ? "none" : string.Join(" ", Exact))}, Samples = {Samples}, Continuous = {Continuous} }}";
}
