using LieGG.Dsl;
using LieGG.Runtime.Models;
using static TorchSharp.torch;

namespace LieGG.Runtime.Symmetry.Equivariance;

/// <summary>
/// A network as a chain of layers with a space between each two (EQUIVARIANCE.md §3): what the equivariance analysis
/// decomposes. The module's weights are frozen while it is analysed.
/// </summary>
public sealed record LayeredNetwork(nn.Module<Tensor, Tensor> Module, FeatureSpace Input, IReadOnlyList<EquivariantLayer> Layers)
{
    /// <summary>The name of the layer <see cref="For"/> appends for the output transform.</summary>
    public const string OutputTransformLayer = "output transform";

    /// <summary>
    /// The layers <paramref name="model"/> exposes (<see cref="IEquivariantLayers"/>), or the whole network as one layer
    /// with a trivial output (end to end only, e.g. a TorchScript module); then the output transform as a last layer
    /// (trivial to trivial, so exactly equivariant) when it is not <see cref="OutputTransform.None"/>.
    /// </summary>
    /// <param name="input">The input's space when the model does not state it (an MLP's images or vectors).</param>
    public static LayeredNetwork For(nn.Module<Tensor, Tensor> model, FeatureSpace input, OutputTransform transform = OutputTransform.None)
    {
        var inner = model is L2NormalizedOutput wrapper ? wrapper.Inner : model;
        var (space, layers) = inner is IEquivariantLayers layered
            ? (layered.InputSpace ?? input, layered.EquivariantLayers.ToList())
            : (input, new List<EquivariantLayer> { new("network", model.forward, FeatureSpace.Trivial) });
        if (model is L2NormalizedOutput && inner is IEquivariantLayers)
            layers.Add(new EquivariantLayer("l2 normalisation", x => nn.functional.normalize(x, p: 2, dim: 1), FeatureSpace.Trivial));
        if (transform != OutputTransform.None)
            layers.Add(new EquivariantLayer(OutputTransformLayer, x => Polarization.ApplyTransform(x, transform), FeatureSpace.Trivial));
        return new LayeredNetwork(model, space, layers);
    }

    /// <summary>The network's output for <paramref name="input"/>: every layer in order.</summary>
    public Tensor Forward(Tensor input) => Layers.Aggregate(input, (x, layer) => layer.Forward(x));
}
