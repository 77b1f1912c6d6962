using System.Globalization;
using LieGG.Dsl;

namespace LieGG.Runtime.Symmetry.Equivariance;

/// <summary>
/// Discrete elements to measure: families (<see cref="SymmetryElements"/>, resolved against the network, e.g. shifts by its
/// total stride) and single named elements.
/// </summary>
public sealed record ElementSelection(SymmetryElements Families, IReadOnlyList<GroupElement> Named)
{
    public static ElementSelection None { get; } = new(SymmetryElements.None, []);

    public bool IsEmpty => Families == SymmetryElements.None && Named.Count == 0;

    /// <summary>The concrete elements for <paramref name="network"/>, each once, families first.</summary>
    public IReadOnlyList<GroupElement> Resolve(LayeredNetwork network)
    {
        var elements = new List<GroupElement>();
        if (Families.HasFlag(SymmetryElements.Rotations)) elements.AddRange(GroupElement.Rotations);
        if (Families.HasFlag(SymmetryElements.StrideShifts))
        {
            int stride = TotalStride(network);
            elements.Add(new CyclicShift(stride, 0));
            elements.Add(new CyclicShift(0, stride));
        }
        if (Families.HasFlag(SymmetryElements.Flip)) elements.Add(new Flip());
        foreach (var element in Named) if (!elements.Contains(element)) elements.Add(element);
        return elements;
    }

    /// <summary>The largest stride of the network's feature maps: the shifts every map can follow.</summary>
    public static int TotalStride(LayeredNetwork network)
        => network.Layers.Select(l => l.Output).OfType<Models.FeatureMap>().Select(m => m.Stride).DefaultIfEmpty(1).Max();

    /// <summary>
    /// Parses comma-separated names: families (rotations, stride-shifts, flip) and elements (rot90, rot180, rot270,
    /// shift:R;C in input pixels); the names it does not know go to <paramref name="unknown"/>.
    /// </summary>
    public static ElementSelection Parse(string text, List<string> unknown)
    {
        var families = SymmetryElements.None;
        var named = new List<GroupElement>();
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (name)
            {
                case "rotations": families |= SymmetryElements.Rotations; break;
                case "stride-shifts": families |= SymmetryElements.StrideShifts; break;
                case "none": break;
                default:
                    if (GroupElement.Parse(name.Replace(';', ',')) is { } element) named.Add(element);
                    else unknown.Add(name);
                    break;
            }
        }
        return new ElementSelection(families, named);
    }

    public override string ToString()
    {
        var parts = Enum.GetValues<SymmetryElements>().Where(f => f != SymmetryElements.None && Families.HasFlag(f)).Select(f => f.ToString())
            .Concat(Named.Select(e => e.Name)).ToList();
        return parts.Count == 0 ? "none" : string.Join(" ", parts);
    }
}
