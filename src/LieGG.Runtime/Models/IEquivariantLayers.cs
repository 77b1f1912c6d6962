using static TorchSharp.torch;

namespace LieGG.Runtime.Models;

/// <summary>
/// One layer of a network as the equivariance analysis sees it: a map from the previous layer's output to its own
/// output, and the space its output lives in.
/// </summary>
/// <param name="Name">What a report calls it ("conv 3", "block 2").</param>
/// <param name="Forward">The layer's map, f_ℓ: x_{ℓ−1} → x_ℓ (differentiable; in evaluation mode).</param>
/// <param name="Output">The space of x_ℓ.</param>
/// <param name="Parts">Maps from the same input that the layer combines (ELLA's pathways), each into the layer's output
/// space, measured on their own; empty for a plain layer.</param>
public sealed record EquivariantLayer(string Name, Func<Tensor, Tensor> Forward, FeatureSpace Output, IReadOnlyList<EquivariantLayer> Parts)
{
    public EquivariantLayer(string name, Func<Tensor, Tensor> forward, FeatureSpace output) : this(name, forward, output, []) { }

    /// <summary>
    /// J_f(x)·v for inputs x [B, …] and tangents v [B, k, …], as [B, k, …f(x)]: a layer's own forward-mode derivative,
    /// much cheaper than the double backward the analysis uses when this is null.
    /// </summary>
    public Func<Tensor, Tensor, Tensor>? Tangents { get; init; }
}

/// <summary>
/// A network that exposes its layers and the spaces between them, so the equivariance analysis can say which layer keeps a
/// symmetry and which breaks it (EQUIVARIANCE.md §3). Composing the layers' maps in order must give the network's
/// forward pass (in evaluation mode). Implement it on your own module to analyse it layer by layer; any other module is
/// analysed end to end only.
/// </summary>
public interface IEquivariantLayers
{
    /// <summary>The space of the network's input; null when it depends on the analysis (an MLP reads images or vectors).</summary>
    FeatureSpace? InputSpace { get; }

    IReadOnlyList<EquivariantLayer> EquivariantLayers { get; }
}
