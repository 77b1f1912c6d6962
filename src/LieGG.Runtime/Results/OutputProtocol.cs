using LieGG.Dsl;
using LieGG.Runtime.Models;
using static TorchSharp.torch;

namespace LieGG.Runtime.Results;

/// <summary>What a run trained on and what it analysed, in words (e.g. raw logits for training, L2-normalised logits for the analysis).</summary>
public sealed record OutputProtocol(string Trained, string Analysed)
{
    /// <param name="units">The units of a standardised regression task's metric and analysis; null for a task without a standardization.</param>
    public static OutputProtocol Of(nn.Module<Tensor, Tensor> model, TaskKind task, Loss loss, OutputTransform transform, RegressionUnits? units = null)
    {
        string outputs = model switch
        {
            L2NormalizedOutput => "L2-normalised logits (the network normalises them, so training sees them too)",
            StandardizedNetwork => "outputs in the task's units (the network de-standardises its own: F = σ·net(x / s) + μ)",
            _ => task == TaskKind.Classification ? "raw logits" : "raw outputs",
        };
        return new OutputProtocol($"{(loss == Loss.CrossEntropy ? "cross-entropy" : "mean squared error")} on {outputs}", AnalysedOutput(transform, units));
    }

    /// <summary>A network analysed here but trained elsewhere.</summary>
    public static OutputProtocol NotTrainedHere(OutputTransform transform, RegressionUnits? units = null) => new("not trained here", AnalysedOutput(transform, units));

    private static string AnalysedOutput(OutputTransform transform, RegressionUnits? units) => (transform, units) switch
    {
        (OutputTransform.L2Normalize, _) => "L2-normalised outputs F/‖F‖",
        (OutputTransform.Softmax, _) => "softmax probabilities",
        (OutputTransform.LogSoftmax, _) => "log-softmax",
        (_, RegressionUnits.Task) => "outputs in the task's units, F = σ·net(x / s) + μ (test metric likewise)",
        (_, RegressionUnits.Standardized) => "standardised outputs net(x / s), against standardised targets (y − μ) / σ (test metric likewise)",
        _ => "raw outputs",
    };
}
