using LieGG.Dsl;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LieGG.Runtime.Models.Relaxed;

/// <summary>
/// ELLA's network for square single-channel images: relaxed blocks that halve the map until it is 2×2, global
/// average pooling, then Linear(C, 4C) + ReLU and Linear(4C, classes). With <see cref="Pathways.Conv"/> alone it is
/// exactly invariant to cyclic shifts of the input by multiples of <see cref="TotalStride"/>; with
/// <see cref="Pathways.GroupConv"/> the maps carry a rotation axis, pooled by its maximum before the head, and with
/// GroupConv alone the network is exactly invariant to 90° rotations.
/// </summary>
public sealed class RelaxedNetwork : nn.Module<Tensor, Tensor>, IKfacNetwork, IEquivariantLayers
{
    private readonly ModuleList<RelaxedBlock> blocks = new();
    private readonly KfacLinear hidden;
    private readonly KfacLinear output;

    /// <param name="fcInitScale">
    /// Scales the initial weights of the FC pathway (dense, or each of the factored U and V); 1 = ELLA's initialisation.
    /// Below 1 a relaxed network starts nearly convolutional and keeps FC weight only where the data ask for it.
    /// </param>
    /// <param name="convInitScale">
    /// Scales the initial weights of the CONV pathway; 1 = ELLA's initialisation. Below 1, beside a G-CONV pathway, a
    /// relaxed network starts nearly rotation-equivariant.
    /// </param>
    /// <param name="combine">Each block's ReLU of its pathways' mean (ELLA's) or sum.</param>
    public RelaxedNetwork(int canvas, int width, int classes, Pathways pathways, double fcInitScale = 1.0, double convInitScale = 1.0, PathwayCombination combine = PathwayCombination.Mean) : base(nameof(RelaxedNetwork))
    {
        if (!(fcInitScale > 0) || double.IsInfinity(fcInitScale)) throw new ArgumentOutOfRangeException(nameof(fcInitScale), fcInitScale, "FcInitScale must be positive and finite.");
        if (!(convInitScale > 0) || double.IsInfinity(convInitScale)) throw new ArgumentOutOfRangeException(nameof(convInitScale), convInitScale, "ConvInitScale must be positive and finite.");
        ValidatePathways(pathways);
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "Width α must be at least 1.");
        Shapes = BlockShapes(canvas, width);
        for (int i = 0; i < Shapes.Count; i++) blocks.Add(new RelaxedBlock(Shapes[i], pathways, i, fcInitScale, convInitScale, combine));
        int channels = Shapes[^1].OutChannels;
        hidden = new KfacLinear(channels, 4 * channels, Shapes.Count, "head 1");
        output = new KfacLinear(4 * channels, classes, Shapes.Count + 1, "head 2");
        Canvas = canvas;
        Pathways = pathways;
        Combine = combine;
        Sites = blocks.SelectMany(b => b.Sites).Append(hidden.Site).Append(output.Site).ToList();
        RegisterComponents();
    }

    public int Canvas { get; }

    public Pathways Pathways { get; }

    public PathwayCombination Combine { get; }

    public IReadOnlyList<BlockShape> Shapes { get; }

    /// <summary>Every linear map KFAC sees, blocks first (in order), then the head.</summary>
    public IReadOnlyList<KfacSite> Sites { get; }

    /// <summary>The head's first layer: its input, the pooled features, is all the blocks pass on.</summary>
    public int BottleneckSite => Sites.Count - 2;

    /// <summary>The product of the block strides: the cyclic shifts a strict CONV network is invariant to.</summary>
    public int TotalStride => Shapes.Aggregate(1, (s, b) => s * b.Stride);

    public int BlockCount => Shapes.Count;

    /// <summary>
    /// ELLA's pattern scaled to the canvas: (1 → α, stride 1), then (c → 2c, stride 2) each followed by (2c → 2c,
    /// stride 1) while the map is larger than 2×2. 16×16: six blocks to 8α channels at 2×2; 32×32: eight to 16α.
    /// </summary>
    public static IReadOnlyList<BlockShape> BlockShapes(int canvas, int width)
    {
        if (!IsValidCanvas(canvas))
            throw new ArgumentOutOfRangeException(nameof(canvas), canvas, "The canvas must be a power of two of at least 4 pixels so that stride-2 blocks halve it exactly down to 2×2.");
        var shapes = new List<BlockShape> { new(1, width, canvas, 1) };
        int channels = width, size = canvas;
        while (size > 2)
        {
            shapes.Add(new BlockShape(channels, 2 * channels, size, 2));
            channels *= 2;
            size /= 2;
            if (size > 2) shapes.Add(new BlockShape(channels, channels, size, 1));
        }
        return shapes;
    }

    public static bool IsValidCanvas(int canvas) => canvas >= 4 && (canvas & (canvas - 1)) == 0;

    public static void ValidatePathways(Pathways pathways)
    {
        if (pathways == Pathways.None || (pathways & ~(Pathways.FC | Pathways.FactoredFC | Pathways.Conv | Pathways.GroupConv)) != 0)
            throw new ArgumentException($"Pathways {pathways} is not a set of FC, FactoredFC, Conv and GroupConv; name at least one.", nameof(pathways));
        if (pathways.HasFlag(Pathways.FC) && pathways.HasFlag(Pathways.FactoredFC))
            throw new ArgumentException("Pathways cannot hold both FC and FactoredFC: choose the dense or the factored FC pathway.", nameof(pathways));
    }

    /// <summary>Turns activation capture for KFAC on or off in every site (off clears what was captured).</summary>
    public void SetCapture(bool capturing)
    {
        foreach (var site in Sites)
        {
            site.Capturing = capturing;
            if (!capturing) site.ClearCapture();
        }
    }

    public override Tensor forward(Tensor input) => Head(Pool(Blocks(AsImages(input))));

    private Tensor AsImages(Tensor input)
    {
        var x = input.dim() == 3 ? input.unsqueeze(1) : input;
        if (x.dim() != 4 || x.shape[1] != 1 || x.shape[2] != Canvas || x.shape[3] != Canvas)
            throw new ArgumentException($"RelaxedNetwork expects [N, {Canvas}, {Canvas}] or [N, 1, {Canvas}, {Canvas}] images, not [{string.Join(", ", input.shape)}].", nameof(input));
        return x;
    }

    private Tensor Blocks(Tensor x) => blocks.Aggregate(x, (maps, block) => block.forward(maps));

    // p4 maps: pool over the rotation axis too (max), so a network of G-CONV pathways is invariant to 90° rotations.
    private Tensor Pool(Tensor maps)
    {
        var pooled = maps.mean(new long[] { 2, 3 });
        return Pathways.HasFlag(Pathways.GroupConv) ? pooled.reshape(pooled.shape[0], -1, GroupConvPathway.Rotations).amax(new long[] { 2 }) : pooled;
    }

    private Tensor Head(Tensor pooled) => output.forward(nn.functional.relu(hidden.forward(pooled)));

    public FeatureSpace? InputSpace => FeatureSpace.Image(circular: true);

    /// <summary>
    /// Every block (its pathways as parts), the global pool and the head. Grids: a stride-2 block with a G-CONV pathway
    /// reduces 2×2 cells, so its output sits at the cells' centres; without one, CONV keeps the even positions.
    /// </summary>
    public IReadOnlyList<EquivariantLayer> EquivariantLayers
    {
        get
        {
            bool group = Pathways.HasFlag(Pathways.GroupConv);
            var rotations = group ? RotationAxis.ChannelMinor : RotationAxis.None;
            var layers = new List<EquivariantLayer>();
            int stride = 1;
            double phase = 0;
            for (int b = 0; b < blocks.Count; b++)
            {
                var block = blocks[b];
                if (block.Shape.Stride == 2)
                {
                    if (group) phase += stride / 2.0;
                    stride *= 2;
                }
                var space = new FeatureMap(stride, phase, true, rotations);
                bool first = b == 0;
                // Single-channel images [N, S, S] gain their channel axis, and so do their tangents [N, k, S, S].
                Tensor TangentsOf(Tensor v) => first && v.dim() == 4 ? v.unsqueeze(2) : v;
                var parts = block.PathwayNames.Select((name, i) => new EquivariantLayer(name, x => block.PathwayOutput(i, first ? AsImages(x) : x), space)
                {
                    Tangents = (_, v) => block.PathwayTangents(i, TangentsOf(v)),
                }).ToList();
                layers.Add(new EquivariantLayer($"block {b + 1}", x => block.forward(first ? AsImages(x) : x), space, parts.Count > 1 ? parts : [])
                {
                    Tangents = (x, v) => block.Tangents(first ? AsImages(x) : x, TangentsOf(v)),
                });
            }
            layers.Add(new EquivariantLayer("pool", Pool, FeatureSpace.Trivial));
            layers.Add(new EquivariantLayer("head", Head, FeatureSpace.Trivial));
            return layers;
        }
    }
}
