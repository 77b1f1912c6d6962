using static TorchSharp.torch;

namespace LieGG.Runtime.Models;

/// <summary>Any differentiable function of a batch of inputs, as a network that can be analysed (it has no parameters).</summary>
public sealed class FunctionModel(Func<Tensor, Tensor> function, string name = "function") : nn.Module<Tensor, Tensor>(name)
{
    public override Tensor forward(Tensor input) => function(input);
}
