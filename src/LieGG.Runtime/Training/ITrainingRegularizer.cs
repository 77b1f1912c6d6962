using static TorchSharp.torch;

namespace LieGG.Runtime.Training;

/// <summary>Extends the training objective: a penalty on the weights added to every batch's mean loss, and work after every epoch.</summary>
public interface ITrainingRegularizer
{
    /// <summary>
    /// Adds the penalty's gradient to the parameters' gradients, after the batch loss's backward pass and before the
    /// optimizer step (e.g. a Gaussian prior's ½ Σ δ‖θ‖² / N contributes δθ / N). The penalty's value is not part of the
    /// logged loss, so only its gradient is needed.
    /// </summary>
    void AddPenaltyGradient();

    /// <summary>Called after epoch <paramref name="epoch"/>'s updates and before its validation (e.g. a hyperparameter step).</summary>
    void AfterEpoch(int epoch, CancellationToken cancellationToken);
}
