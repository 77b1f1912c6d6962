using LieGG.Dsl;
using LieGG.Runtime.Models;
using static TorchSharp.torch;

namespace LieGG.Runtime.Results;

/// <summary>What a run trained on and what it analysed, in words (e.g. raw logits for training, L2-normalised logits for the analysis).</summary>
public sealed record OutputProtocol(string Trained, string Analysed)
{
    public static OutputProtocol Of(nn.Module<Tensor, Tensor> model, TaskKind task, Loss loss, OutputTransform transform)
    {
        string outputs = model is L2NormalizedOutput ? "L2-normalised logits (the network normalises them, so training sees them too)" : task == TaskKind.Classification ? "raw logits" : "raw outputs";
        return new OutputProtocol($"{(loss == Loss.CrossEntropy ? "cross-entropy" : "mean squared error")} on {outputs}", AnalysedOutput(transform));
    }

    /// <summary>A network analysed here but trained elsewhere.</summary>
    public static OutputProtocol NotTrainedHere(OutputTransform transform) => new("not trained here", AnalysedOutput(transform));

    private static string AnalysedOutput(OutputTransform transform) => transform switch
    {
        OutputTransform.L2Normalize => "L2-normalised outputs F/‖F‖",
        OutputTransform.Softmax => "softmax probabilities",
        OutputTransform.LogSoftmax => "log-softmax",
        _ => "raw outputs",
    };
}
