using LieGG.Runtime.Data;
using LieGG.Runtime.Experiments;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Experiments;

/// <summary>
/// y = a·F(x) with F the O(5)-equivariant task's own function: exactly equivariant to every pair (h, h), h ∈ so(5), for
/// any a, with one trainable scalar so training has work. Computed in float64 so the analysis sees equivariance to
/// double precision.
/// </summary>
public sealed class EquivariantO5Model : IModelFactory
{
    public nn.Module<Tensor, Tensor> Create(ModelContext context) => new ScaledFunction(nameof(EquivariantO5Model), O5EquivariantSynthetic.Target);
}

/// <summary>y = a·I(x) with I the Inertia task's own inertia tensor: exactly O(3)-equivariant, in float64.</summary>
public sealed class InertiaModel : IModelFactory
{
    public nn.Module<Tensor, Tensor> Create(ModelContext context) => new ScaledFunction(nameof(InertiaModel), InertiaSynthetic.Target);
}

internal sealed class ScaledFunction : nn.Module<Tensor, Tensor>
{
    private readonly Func<Tensor, Tensor> function;
    private readonly TorchSharp.Modules.Parameter scale = nn.Parameter(ones(1, dtype: ScalarType.Float64));

    public ScaledFunction(string name, Func<Tensor, Tensor> function) : base(name)
    {
        this.function = function;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => (function(input.to_type(ScalarType.Float64)) * scale).to_type(input.dtype);
}
