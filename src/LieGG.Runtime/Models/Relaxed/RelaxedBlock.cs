using LieGG.Dsl;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LieGG.Runtime.Models.Relaxed;

/// <summary>One block of the architecture: input channels and size, output channels, stride.</summary>
public sealed record BlockShape(int InChannels, int OutChannels, int InputSize, int Stride)
{
    public int OutputSize => InputSize / Stride;
}

/// <summary>An ELLA layer: ReLU of the mean of its pathways (for F-FC + CONV: ReLU(½·(FFC(x) + CONV(x)))).</summary>
public sealed class RelaxedBlock : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> pathways = new();

    /// <param name="fcInitScale">Scales the FC pathway's initial weights (see <see cref="RelaxedNetwork"/>).</param>
    public RelaxedBlock(BlockShape shape, Pathways kinds, int layer, double fcInitScale = 1.0, PathwayCombination combine = PathwayCombination.Mean) : base(nameof(RelaxedBlock))
    {
        RelaxedNetwork.ValidatePathways(kinds);
        var sites = new List<KfacSite>();
        // With a G-CONV pathway every map is a p4 map: the other pathways see its rotation axis as channels.
        bool group = kinds.HasFlag(Pathways.GroupConv);
        int inRotations = group && layer > 0 ? 4 : 1, outRotations = group ? 4 : 1;
        int inChannels = shape.InChannels * inRotations, outChannels = shape.OutChannels * outRotations;
        if (kinds.HasFlag(Pathways.FC))
        {
            var dense = new DensePathway(inChannels, outChannels, shape.InputSize, shape.Stride, layer, fcInitScale);
            pathways.Add(dense);
            sites.Add(dense.Site);
        }
        if (kinds.HasFlag(Pathways.FactoredFC))
        {
            var factored = new FactoredDensePathway(inChannels, outChannels, shape.InputSize, shape.Stride, layer, fcInitScale);
            pathways.Add(factored);
            sites.Add(factored.USite);
            sites.Add(factored.VSite);
        }
        if (kinds.HasFlag(Pathways.Conv))
        {
            var conv = new ConvPathway(inChannels, outChannels, shape.InputSize, shape.Stride, layer);
            pathways.Add(conv);
            sites.Add(conv.Site);
        }
        if (group)
        {
            var groupConv = new GroupConvPathway(shape.InChannels, shape.OutChannels, shape.InputSize, shape.Stride, layer, lifting: layer == 0);
            pathways.Add(groupConv);
            sites.Add(groupConv.Site);
        }
        Shape = shape;
        Combine = combine;
        Sites = sites;
        RegisterComponents();
    }

    public BlockShape Shape { get; }

    public PathwayCombination Combine { get; }

    public IReadOnlyList<KfacSite> Sites { get; }

    public override Tensor forward(Tensor input)
    {
        var sum = pathways[0].forward(input);
        for (int i = 1; i < pathways.Count; i++) sum = sum + pathways[i].forward(input);
        return nn.functional.relu(pathways.Count == 1 || Combine == PathwayCombination.Sum ? sum : sum / pathways.Count);
    }
}
