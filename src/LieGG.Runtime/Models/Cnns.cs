using LieGG.Dsl;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LieGG.Runtime.Models;

/// <summary>
/// The rotated-MNIST networks of Cohen &amp; Welling (2016), for 28×28 single-channel inputs: seven convolution
/// layers (3×3, the last 4×4), batch norm and ReLU after the first six, dropout and a 2×2 max-pool after layer 2.
/// Spatial sizes 28 → 26 → 24 → 12 → 10 → 8 → 6 → 4 → 1.
/// </summary>
public static class PaperCnn
{
    public const int Layers = 7;
    public const int InputSize = 28;

    internal static Tensor AsImages(Tensor input) => input.dim() == 3 ? input.unsqueeze(1) : input;

    /// <summary>
    /// The same maps stored channels-last (NHWC strides): oneDNN's 3×3 convolutions then run forward and backward at
    /// about 1.7× their rate on NCHW maps here, and batch norm (<see cref="ChannelsLastBatchNorm"/>), ReLU and pooling keep the layout.
    /// </summary>
    internal static Tensor ChannelsLast(Tensor maps) => maps.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    /// <summary>
    /// Where each layer's output grid sits in the input (EQUIVARIANCE.md §1): valid 3×3 convolutions move the phase by one
    /// pixel of their input's stride, the 2×2 max-pool after layer 2 doubles the stride and moves to the cells' centre,
    /// and the last (4×4) convolution leaves one pixel at the input's centre (13.5 of 0…27).
    /// </summary>
    internal static IReadOnlyList<(int Stride, double Phase)> Grids { get; } = [(1, 1), (1, 2), (2, 2.5), (2, 4.5), (2, 6.5), (2, 8.5), (2, 10.5), (2, 13.5)];

    /// <summary>
    /// The layers of a Cohen–Welling network for the equivariance analysis: conv 1, conv 2, the max-pool, conv 3 … conv 6
    /// (each with its batch norm and ReLU), then conv 7 and what follows it (<paramref name="head"/>).
    /// </summary>
    /// <param name="blockTangents">J·v of a convolution block at (x, v) (see <see cref="EquivariantLayer.Tangents"/>).</param>
    internal static IReadOnlyList<EquivariantLayer> EquivariantLayers(Func<int, Tensor, Tensor> convolutionBlock, Func<int, Tensor, Tensor, Tensor> blockTangents, Func<Tensor, Tensor> pool,
        RotationAxis rotations, IReadOnlyList<EquivariantLayer> head)
    {
        var layers = new List<EquivariantLayer>();
        for (int layer = 0; layer < Layers - 1; layer++)
        {
            int index = layer, grid = layer < 2 ? layer : layer + 1;
            layers.Add(new EquivariantLayer($"conv {layer + 1}", x => convolutionBlock(index, index == 0 ? AsImages(x) : x), Map(grid, rotations))
            {
                // Single-channel images [B, H, W] gain their channel axis, and so do their tangents [B, k, H, W].
                Tangents = (x, v) => index == 0 && x.dim() == 3 ? blockTangents(index, x.unsqueeze(1), v.unsqueeze(2)) : blockTangents(index, x, v),
            });
            if (layer == 1) layers.Add(new EquivariantLayer("max pool", pool, Map(2, rotations)) { Tangents = (x, v) => LayerTangents.MaxPool(x, v).Tangents });
        }
        layers.AddRange(head);
        return layers;
    }

    internal static FeatureMap Map(int grid, RotationAxis rotations) => new(Grids[grid].Stride, Grids[grid].Phase, false, rotations);
}

/// <summary>Z2CNN: a plain CNN with <c>channels</c> (20 in the paper) per layer.</summary>
public sealed class Z2Cnn : nn.Module<Tensor, Tensor>, IEquivariantLayers
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> convolutions = new();
    private readonly ModuleList<nn.Module<Tensor, Tensor>> norms = new();
    private readonly Dropout dropout;

    public Z2Cnn(int classes = 10, int channels = 20, double dropoutRate = 0.3) : base(nameof(Z2Cnn))
    {
        for (int layer = 0; layer < PaperCnn.Layers - 1; layer++)
        {
            convolutions.Add(nn.Conv2d(layer == 0 ? 1 : channels, channels, 3, bias: false));
            norms.Add(nn.BatchNorm2d(channels));
        }
        convolutions.Add(nn.Conv2d(channels, classes, 4, bias: true));
        dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    /// <summary>Weights 1·c·9 + 5·c²·9 + c·classes·16, the output bias, and 2c per batch norm (six of them).</summary>
    public static long ParameterCount(int classes = 10, int channels = 20)
        => 9L * channels + 5L * channels * channels * 9 + 16L * channels * classes + classes + 6L * 2 * channels;

    public override Tensor forward(Tensor input)
    {
        var x = PaperCnn.AsImages(input);
        for (int layer = 0; layer < PaperCnn.Layers - 1; layer++)
        {
            x = ChannelsLastBatchNorm.Forward((BatchNorm2d)norms[layer], convolutions[layer].forward(layer == 1 ? PaperCnn.ChannelsLast(x) : x)).relu();
            if (layer == 1) x = dropout.forward(MaxPool2x2.Forward(x));
        }
        return convolutions[^1].forward(x).flatten(1);
    }

    public FeatureSpace? InputSpace => FeatureSpace.Image();

    public IReadOnlyList<EquivariantLayer> EquivariantLayers => PaperCnn.EquivariantLayers(
        (layer, x) => norms[layer].forward(convolutions[layer].forward(x)).relu(),
        (layer, x, v) =>
        {
            var preActivation = norms[layer].forward(convolutions[layer].forward(x));
            var tangents = LayerTangents.BatchNorm((BatchNorm2d)norms[layer], LayerTangents.Linear(convolutions[layer].forward, v));
            return LayerTangents.Relu(preActivation, tangents);
        },
        x => dropout.forward(MaxPool2x2.Forward(x)),
        RotationAxis.None,
        [new EquivariantLayer("conv 7", x => convolutions[^1].forward(x).flatten(1), FeatureSpace.Trivial)
        {
            Tangents = (x, v) => LayerTangents.Linear(t => nn.functional.conv2d(t, ((Conv2d)convolutions[^1]).weight!), v).flatten(2),
        }]);
}

/// <summary>
/// P4CNN: the same seven layers as group convolutions on p4 with <c>channels</c> (10 in the paper) per rotation,
/// so the parameter count is comparable to the Z2CNN's; rotation max-pooling after the last layer
/// (<see cref="RotationPooling.Final"/>) or after every layer (<see cref="RotationPooling.EveryLayer"/>, where each
/// layer is a lifting convolution of planar maps). Exactly invariant to 90° rotations of the input.
/// </summary>
public sealed class P4Cnn : nn.Module<Tensor, Tensor>, IEquivariantLayers
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> convolutions = new();
    private readonly ModuleList<nn.Module<Tensor, Tensor>> norms = new();
    private readonly Dropout dropout;
    private readonly P4RotationPool rotationPool = new();
    private readonly P4SpatialMaxPool spatialPool = new();
    private readonly Parameter outputBias;

    public P4Cnn(int classes = 10, int channels = 10, RotationPooling pooling = RotationPooling.Final, double dropoutRate = 0.3) : base(nameof(P4Cnn))
    {
        Pooling = pooling;
        for (int layer = 0; layer < PaperCnn.Layers; layer++)
        {
            int inChannels = layer == 0 ? 1 : channels, outChannels = layer == PaperCnn.Layers - 1 ? classes : channels, kernel = layer == PaperCnn.Layers - 1 ? 4 : 3;
            convolutions.Add(layer == 0 || pooling == RotationPooling.EveryLayer
                ? new P4LiftingConv2d(inChannels, outChannels, kernel)
                : new P4GroupConv2d(inChannels, outChannels, kernel));
            if (layer < PaperCnn.Layers - 1)
                norms.Add(pooling == RotationPooling.EveryLayer ? nn.BatchNorm2d(channels) : new P4BatchNorm(channels));
        }
        dropout = nn.Dropout(dropoutRate);
        outputBias = new Parameter(torch.zeros(classes));
        RegisterComponents();
    }

    public RotationPooling Pooling { get; }

    /// <summary>
    /// Final pooling: lifting 1·c·9, five group convolutions c·4·c·9, the last c·4·classes·16, six p4 batch norms of 2c
    /// and the output bias. Pooling every layer: lifting convolutions only (c_in·c_out·k²).
    /// </summary>
    public static long ParameterCount(int classes = 10, int channels = 10, RotationPooling pooling = RotationPooling.Final) => pooling == RotationPooling.Final
        ? 9L * channels + 5L * channels * 4 * channels * 9 + 16L * channels * 4 * classes + 6L * 2 * channels + classes
        : 9L * channels + 5L * channels * channels * 9 + 16L * channels * classes + 6L * 2 * channels + classes;

    public override Tensor forward(Tensor input)
    {
        var x = PaperCnn.AsImages(input);
        for (int layer = 0; layer < PaperCnn.Layers - 1; layer++)
        {
            x = convolutions[layer].forward(x);
            if (Pooling == RotationPooling.EveryLayer) x = rotationPool.forward(x);
            x = norms[layer].forward(x).relu();
            if (layer == 1)
                x = dropout.forward(Pooling == RotationPooling.EveryLayer ? MaxPool2x2.Forward(x) : spatialPool.forward(x));
        }
        return rotationPool.forward(convolutions[^1].forward(x)).flatten(1) + outputBias;
    }

    public FeatureSpace? InputSpace => FeatureSpace.Image();

    /// <summary>
    /// Final pooling: p4 maps up to conv 7's 1×1 p4 map, then the rotation pool (invariant). Pooling every layer: each
    /// layer's lifting convolution, rotation pool, batch norm and ReLU give planar maps.
    /// </summary>
    public IReadOnlyList<EquivariantLayer> EquivariantLayers
    {
        get
        {
            bool everyLayer = Pooling == RotationPooling.EveryLayer;
            var rotations = everyLayer ? RotationAxis.None : RotationAxis.Separate;
            Tensor Block(int layer, Tensor x)
            {
                x = convolutions[layer].forward(x);
                if (everyLayer) x = rotationPool.forward(x);
                return norms[layer].forward(x).relu();
            }
            Tensor BlockTangents(int layer, Tensor x, Tensor v)
            {
                var convolved = convolutions[layer].forward(x);
                var tangents = LayerTangents.Linear(convolutions[layer].forward, v);
                if (everyLayer) (convolved, tangents) = LayerTangents.Max(convolved, tangents, 2);
                tangents = norms[layer] is P4BatchNorm p4Norm ? LayerTangents.BatchNorm(p4Norm.Norm, tangents) : LayerTangents.BatchNorm((BatchNorm2d)norms[layer], tangents);
                return LayerTangents.Relu(norms[layer].forward(convolved), tangents);
            }
            // Rotation max-pooling then the output bias: tangents are taken at the maximal rotation.
            Tensor PoolTangents(Tensor x, Tensor v) => LayerTangents.Max(x, v, 2).Tangents.flatten(2);
            EquivariantLayer[] head = everyLayer
                ? [new("conv 7", x => rotationPool.forward(convolutions[^1].forward(x)).flatten(1) + outputBias, FeatureSpace.Trivial)
                    { Tangents = (x, v) => PoolTangents(convolutions[^1].forward(x), LayerTangents.Linear(convolutions[^1].forward, v)) }]
                : [new("conv 7", x => convolutions[^1].forward(x), PaperCnn.Map(PaperCnn.Grids.Count - 1, rotations)) { Tangents = (_, v) => LayerTangents.Linear(convolutions[^1].forward, v) },
                   new("rotation pool", x => rotationPool.forward(x).flatten(1) + outputBias, FeatureSpace.Trivial) { Tangents = PoolTangents }];
            return PaperCnn.EquivariantLayers(Block, BlockTangents, x => dropout.forward(everyLayer ? MaxPool2x2.Forward(x) : spatialPool.forward(x)), rotations, head);
        }
    }
}
