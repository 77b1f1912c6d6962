using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Training.Laplace;

/// <summary>A sum of tensors over batches or passes, kept outside every dispose scope: a copy of the first, the rest added in place.</summary>
internal static class RunningSum
{
    public static void Add(ref Tensor? total, Tensor addition)
    {
        if (total is null)
        {
            total = addition.detach().clone().DetachFromDisposeScope();
            return;
        }
        // Held through the call: a temporary Scalar (add_'s default alpha) can be finalized while native code reads it.
        using Scalar one = 1;
        total.add_(addition, one);
    }
}
