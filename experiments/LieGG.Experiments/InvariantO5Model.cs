using LieGG.Runtime.Data;
using LieGG.Runtime.Experiments;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Experiments;

/// <summary>
/// y = a·f(x₁, x₂) + b with f the O(5) task's own target function: exactly invariant under O(5) acting on both
/// vectors (f depends only on their norms and inner product), with two trainable scalars so training has work.
/// Computed in float64 so the analysis sees invariance to double precision.
/// </summary>
public sealed class InvariantO5Model : IModelFactory
{
    public nn.Module<Tensor, Tensor> Create(ModelContext context) => new Invariant();

    private sealed class Invariant : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Parameter scale = nn.Parameter(ones(1, dtype: ScalarType.Float64));
        private readonly TorchSharp.Modules.Parameter offset = nn.Parameter(zeros(1, dtype: ScalarType.Float64));

        public Invariant() : base(nameof(InvariantO5Model)) => RegisterComponents();

        public override Tensor forward(Tensor input)
            => (O5Synthetic.Target(input.to_type(ScalarType.Float64)) * scale + offset).to_type(input.dtype);
    }
}
