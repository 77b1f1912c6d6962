using LieGG.Dsl;
using LieGG.Runtime.Training.Laplace;

namespace LieGG.Runtime.Tests.Laplace;

public sealed class NestedModelResultTests
{
    [Fact]
    public void The_strict_sub_networks_are_each_pathway_alone_and_each_pair_of_three()
    {
        Assert.Equal([Pathways.FactoredFC, Pathways.Conv, Pathways.GroupConv, Pathways.FactoredFC | Pathways.Conv, Pathways.FactoredFC | Pathways.GroupConv, Pathways.Conv | Pathways.GroupConv],
            NestedModelResult.StrictSubsets(Pathways.FactoredFC | Pathways.Conv | Pathways.GroupConv));
        Assert.Equal([Pathways.FactoredFC, Pathways.Conv], NestedModelResult.StrictSubsets(Pathways.FactoredFC | Pathways.Conv));
        Assert.Equal([Pathways.FactoredFC, Pathways.Conv, Pathways.GroupConv], NestedModelResult.StrictSubsets(Pathways.FactoredFC | Pathways.Conv | Pathways.GroupConv, pairs: false));
        Assert.Empty(NestedModelResult.StrictSubsets(Pathways.GroupConv));
        Assert.Equal("F-FC + G-CONV", NestedModelResult.Describe(Pathways.FactoredFC | Pathways.GroupConv));
    }

    [Fact]
    public void A_sub_network_with_better_evidence_is_named_and_none_when_the_learned_one_is_best()
    {
        var learned = new LaplaceResult(true, FisherKind.Exact, [], [], [], Final: 1.0);
        NestedModelResult Sub(Pathways p, double evidence) => new(p, 10, evidence, 0.9, 0.3);
        Assert.Null((learned with { Nested = [Sub(Pathways.Conv, 1.2), Sub(Pathways.FactoredFC, 1.1)] }).BetterNested);
        Assert.Equal(Pathways.Conv, (learned with { Nested = [Sub(Pathways.Conv, 0.8), Sub(Pathways.FactoredFC, 0.9)] }).BetterNested!.Pathways);
        Assert.Null(learned.BetterNested);
    }
}
