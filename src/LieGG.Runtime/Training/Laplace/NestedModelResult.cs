using LieGG.Dsl;

namespace LieGG.Runtime.Training.Laplace;

/// <summary>
/// A strict sub-network of a learned relaxed network (some of its pathways), trained and evaluated as the relaxed one
/// was: same data, seed, schedule and prior learning.
/// </summary>
/// <param name="NegativeLogMarginalLikelihood">−log ML / N at its trained weights and final priors.</param>
public sealed record NestedModelResult(Pathways Pathways, long Parameters, double NegativeLogMarginalLikelihood, double TestAccuracy, double? TestNegativeLogLikelihood)
{
    /// <summary>The pathways as the reports name them ("F-FC + CONV").</summary>
    public string Name => Describe(Pathways);

    public static string Describe(Pathways pathways) => string.Join(" + ", new[]
    {
        (Pathways.FC, "FC"), (Pathways.FactoredFC, "F-FC"), (Pathways.Conv, "CONV"), (Pathways.GroupConv, "G-CONV"),
    }.Where(p => pathways.HasFlag(p.Item1)).Select(p => p.Item2));

    /// <summary>The strict sub-networks of a network with these pathways: each alone, and (<paramref name="pairs"/>) each pair when there are three or more.</summary>
    public static IReadOnlyList<Pathways> StrictSubsets(Pathways pathways, bool pairs = true)
    {
        var flags = new[] { Pathways.FC, Pathways.FactoredFC, Pathways.Conv, Pathways.GroupConv }.Where(p => pathways.HasFlag(p)).ToList();
        if (flags.Count < 2) return [];
        var subsets = flags.ToList();
        if (pairs && flags.Count >= 3)
            for (int i = 0; i < flags.Count; i++)
                for (int j = i + 1; j < flags.Count; j++)
                    subsets.Add(flags[i] | flags[j]);
        return subsets;
    }
}
