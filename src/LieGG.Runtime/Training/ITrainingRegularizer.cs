using static TorchSharp.torch;

namespace LieGG.Runtime.Training;

/// <summary>Extends the training objective: a penalty added to every batch's mean loss, and work after every epoch.</summary>
public interface ITrainingRegularizer
{
    /// <summary>The term added to the batch's mean loss (e.g. a Gaussian prior's ½ Σ δ‖θ‖² / N); differentiable in the weights.</summary>
    Tensor Penalty();

    /// <summary>Called after epoch <paramref name="epoch"/>'s updates and before its validation (e.g. a hyperparameter step).</summary>
    void AfterEpoch(int epoch, CancellationToken cancellationToken);
}
