using LieGG.Runtime.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Symmetry.Equivariance;

/// <summary>A test network built from modules and the spaces between them.</summary>
internal sealed class LayerChain : nn.Module<Tensor, Tensor>, IEquivariantLayers
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> chain = new();
    private readonly FeatureSpace[] spaces;

    public LayerChain(FeatureSpace input, params (nn.Module<Tensor, Tensor> Module, FeatureSpace Output)[] layers) : base(nameof(LayerChain))
    {
        foreach (var (module, _) in layers) chain.Add(module);
        spaces = layers.Select(l => l.Output).ToArray();
        InputSpace = input;
        RegisterComponents();
    }

    public FeatureSpace? InputSpace { get; }

    public IReadOnlyList<EquivariantLayer> EquivariantLayers
        => chain.Select((m, i) => new EquivariantLayer($"layer {i + 1}", m.forward, spaces[i])).ToList();

    public override Tensor forward(Tensor input) => chain.Aggregate(input, (x, m) => m.forward(x));
}

/// <summary>A function as a module.</summary>
internal sealed class Lambda(Func<Tensor, Tensor> function) : nn.Module<Tensor, Tensor>(nameof(Lambda))
{
    public override Tensor forward(Tensor input) => function(input);
}

/// <summary>3×3 convolution with circular padding, stride 1 or 2 (keeping even positions).</summary>
internal sealed class CircularConv : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly int stride;

    public CircularConv(int inChannels, int outChannels, int stride = 1, bool isotropic = false) : base(nameof(CircularConv))
    {
        var w = randn(outChannels, inChannels, 3, 3, dtype: ScalarType.Float64);
        // An isotropic filter: the same under every quarter turn.
        if (isotropic) w = (w + w.rot90(1, (2, 3)) + w.rot90(2, (2, 3)) + w.rot90(3, (2, 3))) / 4;
        weight = new Parameter(w);
        bias = new Parameter(randn(outChannels, dtype: ScalarType.Float64));
        this.stride = stride;
        RegisterComponents();
    }

    public Tensor Weight => weight;

    public override Tensor forward(Tensor input)
        => nn.functional.conv2d(nn.functional.pad(input, new long[] { 1, 1, 1, 1 }, PaddingModes.Circular), weight, bias, strides: new long[] { stride, stride });
}
