using LieGG.Dsl;
using LieGG.Runtime.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Symmetry;

/// <summary>Symmetry metrics of one hidden layer.</summary>
/// <param name="Layer">0-based hidden layer index.</param>
public sealed record LayerSymmetry(int Layer, SymmetryResult Symmetry);

/// <summary>
/// Paper §5.4: the LieGG analysis with F = the L2-normalised output of each hidden layer in turn, showing
/// where along the depth a network becomes (or stops being) invariant.
/// </summary>
public static class LayerwiseAnalysis
{
    public static IReadOnlyList<LayerSymmetry> Analyze(
        nn.Module<Tensor, Tensor> model,
        Tensor inputs,
        ISymmetryPrior prior,
        ILieAlgebra? groundTruth = null,
        PolarizationOptions? polarization = null,
        SymmetryOptions? symmetry = null,
        CancellationToken cancellationToken = default)
    {
        if (model is not ILayeredModel layered)
            throw new ArgumentException($"Layer-wise analysis needs a model that exposes its hidden layers ({nameof(ILayeredModel)}); {model.GetType().Name} does not.", nameof(model));
        var options = (polarization ?? new PolarizationOptions()) with { Transform = OutputTransform.L2Normalize };
        var results = new List<LayerSymmetry>();
        using var prepared = PolarizationInputs.Prepare(inputs, prior);
        for (int layer = 0; layer < layered.HiddenLayerCount; layer++)
        {
            var matrix = Polarization.Compute(new HiddenLayer(model, layered, layer), prepared, options with { Mode = DifferentiationMode.Reverse }, cancellationToken);
            results.Add(new LayerSymmetry(layer, SymmetryAnalyzer.Analyze(matrix, groundTruth, symmetry)));
        }
        return results;
    }

    /// <summary>Exposes one hidden layer as a module so <see cref="Polarization"/> freezes the shared weights.</summary>
    private sealed class HiddenLayer : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> model;
        private readonly ILayeredModel layered;
        private readonly int layer;

        public HiddenLayer(nn.Module<Tensor, Tensor> model, ILayeredModel layered, int layer) : base($"hidden{layer}")
        {
            this.model = model;
            this.layered = layered;
            this.layer = layer;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => layered.ForwardHidden(input, layer);
    }
}
