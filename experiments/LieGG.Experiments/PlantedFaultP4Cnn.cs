using LieGG.Dsl;
using LieGG.Runtime.Experiments;
using LieGG.Runtime.Models;
using static TorchSharp.torch;

namespace LieGG.Experiments;

/// <summary>
/// A P4CNN with one fault planted after conv 4: the 8×8 maps are subsampled at phase 0 (every other pixel from the top
/// left, not about the grid's centre) and repeated back to 8×8. Everything else is the paper's P4CNN, so the layer-by-layer
/// equivariance analysis must name the planted layer as the one that breaks quarter turns.
/// </summary>
public sealed class PlantedFaultP4Cnn : IModelFactory
{
    public const string PlantedLayer = "off-centre subsampling";

    public nn.Module<Tensor, Tensor> Create(ModelContext context) => new Network(context.OutputSize);

    private sealed class Network : nn.Module<Tensor, Tensor>, IEquivariantLayers
    {
        private readonly P4Cnn p4;

        public Network(int classes) : base(nameof(PlantedFaultP4Cnn))
        {
            p4 = new P4Cnn(classes, channels: 10, RotationPooling.Final);
            RegisterComponents();
        }

        public FeatureSpace? InputSpace => p4.InputSpace;

        public IReadOnlyList<EquivariantLayer> EquivariantLayers
        {
            get
            {
                var layers = p4.EquivariantLayers.ToList();
                int after = layers.FindIndex(l => l.Name == "conv 4");
                layers.Insert(after + 1, new EquivariantLayer(PlantedLayer, Subsample, layers[after].Output));
                return layers;
            }
        }

        // [B, C, 4, H, W]: keep rows and columns 0, 2, 4, … and repeat each twice.
        private static Tensor Subsample(Tensor maps)
            => maps.slice(3, 0, maps.shape[3], 2).slice(4, 0, maps.shape[4], 2).repeat_interleave(2, 3).repeat_interleave(2, 4);

        public override Tensor forward(Tensor input) => EquivariantLayers.Aggregate(input, (x, layer) => layer.Forward(x));
    }
}
