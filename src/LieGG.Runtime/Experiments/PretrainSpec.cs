using LieGG.Dsl;

namespace LieGG.Runtime.Experiments;

/// <summary>Pre-train the first <paramref name="Layers"/> hidden layers with their own head, then train by <paramref name="Regime"/>.</summary>
/// <param name="Epochs">Pre-training epochs; 0 = the training's epoch count.</param>
public sealed record PretrainSpec(int Layers = Defaults.PretrainLayers, int Epochs = 0, Regime Regime = Regime.FineTune);
