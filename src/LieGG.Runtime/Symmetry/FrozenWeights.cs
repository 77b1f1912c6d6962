using static TorchSharp.torch;

namespace LieGG.Runtime.Symmetry;

/// <summary>
/// A module in evaluation mode with its weights frozen, so backward passes compute input derivatives only; disposing
/// restores each weight's <c>requires_grad</c> and the training mode it had.
/// </summary>
internal sealed class FrozenWeights : IDisposable
{
    private readonly nn.Module module;
    private readonly List<TorchSharp.Modules.Parameter> parameters;
    private readonly List<bool> requiredGrad;
    private readonly bool wasTraining;

    public FrozenWeights(nn.Module module)
    {
        this.module = module;
        parameters = module.parameters().ToList();
        requiredGrad = parameters.Select(p => p.requires_grad).ToList();
        wasTraining = module.training;
        module.eval();
        foreach (var p in parameters) p.requires_grad_(false);
    }

    /// <summary>The device of the module's weights; null for a module without any.</summary>
    public Device? Device => parameters.FirstOrDefault()?.device;

    public void Dispose()
    {
        using (no_grad())
        {
            for (int i = 0; i < parameters.Count; i++) parameters[i].requires_grad_(requiredGrad[i]);
        }
        if (wasTraining) module.train();
    }
}
