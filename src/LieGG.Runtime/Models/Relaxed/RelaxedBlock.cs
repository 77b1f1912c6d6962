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

/// <summary>
/// An ELLA layer: ReLU of the mean (or sum) of its pathways (for F-FC + CONV: ReLU(½·(FFC(x) + CONV(x)))).
/// <para>
/// With a G-CONV pathway every map is a p4 map [N, C·4, S, S] (channel-major, rotation minor). The FC and CONV pathways
/// then act on each rotation copy with the same weights, as on a batch of 4·N planar maps, and in the first block their
/// planar output is repeated over the four copies. So the three pathways are distinct hypotheses — no constraint
/// (FC), translations (CONV), translations and 90° rotations (G-CONV) — and none contains another: were the rotation
/// axis read as 4× channels, a CONV pathway could represent the p4 convolution itself with 4× its parameters.
/// With the G-CONV tensors at zero the network is the FC + CONV network with the same weights.
/// </para>
/// <para>
/// Beside a G-CONV pathway the CONV pathway is a filter bank on the p4 map too — block-diagonal over the rotation
/// copies — so the forward pass adds it to the G-CONV filters and runs one convolution for both
/// (<see cref="ConvPathway.GroupKernel"/>); <see cref="PathwayOutput(int, Tensor)"/> still evaluates each pathway on its own.
/// </para>
/// </summary>
public sealed class RelaxedBlock : nn.Module<Tensor, Tensor>
{
    private const int Rotations = GroupConvPathway.Rotations;

    private readonly ModuleList<nn.Module<Tensor, Tensor>> pathways = new();

    // Indices into pathways (not module fields, which would register each pathway a second time in the state dict):
    // the G-CONV pathway's, and the CONV pathway's when it is folded into the G-CONV convolution; −1 when absent.
    private readonly int groupConvIndex = -1, foldedConvIndex = -1;

    // The FC and CONV pathways' input: planar maps (the first block of a p4 network, or no G-CONV pathway), or rotation copies.
    private readonly bool splitsRotations, repeatsOverRotations;

    /// <param name="fcInitScale">Scales the FC pathway's initial weights (see <see cref="RelaxedNetwork"/>).</param>
    /// <param name="convInitScale">Scales the CONV pathway's initial weights (see <see cref="RelaxedNetwork"/>).</param>
    public RelaxedBlock(BlockShape shape, Pathways kinds, int layer, double fcInitScale = 1.0, double convInitScale = 1.0, PathwayCombination combine = PathwayCombination.Mean) : base(nameof(RelaxedBlock))
    {
        RelaxedNetwork.ValidatePathways(kinds);
        bool group = kinds.HasFlag(Pathways.GroupConv);
        splitsRotations = group && layer > 0;
        repeatsOverRotations = group && layer == 0;
        int copies = splitsRotations ? Rotations : 1;
        var sites = new List<KfacSite>();
        if (kinds.HasFlag(Pathways.FC))
        {
            var dense = new DensePathway(shape.InChannels, shape.OutChannels, shape.InputSize, shape.Stride, layer, fcInitScale, copies);
            pathways.Add(dense);
            sites.Add(dense.Site);
        }
        if (kinds.HasFlag(Pathways.FactoredFC))
        {
            var factored = new FactoredDensePathway(shape.InChannels, shape.OutChannels, shape.InputSize, shape.Stride, layer, fcInitScale, copies);
            pathways.Add(factored);
            sites.Add(factored.USite);
            sites.Add(factored.VSite);
        }
        if (kinds.HasFlag(Pathways.Conv))
        {
            var conv = new ConvPathway(shape.InChannels, shape.OutChannels, shape.InputSize, shape.Stride, layer, convInitScale, copies, folded: group);
            pathways.Add(conv);
            sites.Add(conv.Site);
            if (group) foldedConvIndex = pathways.Count - 1;
        }
        if (group)
        {
            var groupConv = new GroupConvPathway(shape.InChannels, shape.OutChannels, shape.InputSize, shape.Stride, layer, lifting: layer == 0);
            pathways.Add(groupConv);
            sites.Add(groupConv.Site);
            groupConvIndex = pathways.Count - 1;
        }
        Shape = shape;
        Combine = combine;
        Sites = sites;
        RegisterComponents();
    }

    public BlockShape Shape { get; }

    public PathwayCombination Combine { get; }

    public IReadOnlyList<KfacSite> Sites { get; }

    public override Tensor forward(Tensor input) => nn.functional.relu(PreActivation(input));

    private Tensor PreActivation(Tensor input)
    {
        Tensor? copies = null;
        Tensor? sum = null;
        for (int i = 0; i < pathways.Count; i++)
        {
            if (i == foldedConvIndex) continue;
            Tensor output;
            if (i == groupConvIndex && foldedConvIndex >= 0)
            {
                var groupConv = (GroupConvPathway)pathways[i];
                var foldedConv = (ConvPathway)pathways[foldedConvIndex];
                output = groupConv.Forward(input, foldedConv.GroupKernel(groupConv.InputRotations), foldedConv.GroupBias());
                foldedConv.RecordFolded(input, output);
            }
            else
            {
                if (ActsOnCopies(i)) copies ??= P4Maps.Split(input);
                output = PathwayOutput(i, input, copies);
            }
            sum = sum is null ? output : sum + output;
        }
        return Combined(sum!);
    }

    private Tensor Combined(Tensor sum) => pathways.Count == 1 || Combine == PathwayCombination.Sum ? sum : sum / pathways.Count;

    /// <summary>J·v of the block at <paramref name="input"/> for tangents [N, k, …]: every pathway is affine, the ReLU masks.</summary>
    internal Tensor Tangents(Tensor input, Tensor tangents)
    {
        Tensor? sum = null;
        for (int i = 0; i < pathways.Count; i++)
        {
            var pathway = PathwayTangents(i, tangents);
            sum = sum is null ? pathway : sum + pathway;
        }
        return LayerTangents.Relu(PreActivation(input), Combined(sum!));
    }

    /// <summary>J·v of pathway <paramref name="index"/> (affine, so the same at every input) for tangents [N, k, …].</summary>
    internal Tensor PathwayTangents(int index, Tensor tangents) => LayerTangents.Affine(t => PathwayOutput(index, t), tangents);

    /// <summary>The pathways' names (FC, F-FC, CONV, G-CONV), in the order the block sums them.</summary>
    public IReadOnlyList<string> PathwayNames => pathways.Select(p => p switch
    {
        DensePathway => "FC",
        FactoredDensePathway => "F-FC",
        ConvPathway => "CONV",
        _ => "G-CONV",
    }).ToList();

    /// <summary>Pathway <paramref name="index"/>'s output in the block's layout (p4 maps with a G-CONV pathway), before the combination and ReLU.</summary>
    public Tensor PathwayOutput(int index, Tensor input) => PathwayOutput(index, input, ActsOnCopies(index) ? P4Maps.Split(input) : null);

    // Whether pathway index takes the rotation copies of a p4 input (every pathway but G-CONV after the first block).
    private bool ActsOnCopies(int index) => splitsRotations && pathways[index] is not GroupConvPathway;

    private Tensor PathwayOutput(int index, Tensor input, Tensor? copies)
    {
        var pathway = pathways[index];
        return pathway is GroupConvPathway ? pathway.forward(input)
            : copies is not null ? P4Maps.Merge(pathway.forward(copies), input.shape[0])
            : repeatsOverRotations ? P4Maps.Repeat(pathway.forward(input))
            : pathway.forward(input);
    }
}
