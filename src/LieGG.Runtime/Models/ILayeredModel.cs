using static TorchSharp.torch;

namespace LieGG.Runtime.Models;

/// <summary>A model whose hidden representations can be read out, for the layer-wise symmetry analysis.</summary>
public interface ILayeredModel
{
    int HiddenLayerCount { get; }

    /// <summary>The output of hidden layer <paramref name="layer"/> (0-based, after its activation).</summary>
    Tensor ForwardHidden(Tensor input, int layer);
}
