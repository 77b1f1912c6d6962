using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LieGG.Runtime.Models.Relaxed;

/// <summary>A plain linear layer (the classifier head) that KFAC can see; PyTorch's default initialisation, zero bias.</summary>
public sealed class KfacLinear : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;

    public KfacLinear(int inputs, int outputs, int layer, string name) : base(nameof(KfacLinear))
    {
        weight = new Parameter(torch.empty(outputs, inputs));
        nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
        bias = new Parameter(torch.zeros(outputs));
        RegisterComponents();
        Site = new LinearSite(this, layer, name);
    }

    public KfacSite Site { get; }

    public override Tensor forward(Tensor input)
    {
        var output = nn.functional.linear(input, weight, bias);
        ((LinearSite)Site).Record(input, output);
        return output;
    }

    private sealed class LinearSite(KfacLinear owner, int layer, string name) : KfacSite(name, layer, PathwayKind.Head, () => owner.weight, () => owner.bias)
    {
        public override bool WeightsPerCopy => false;

        protected override int CopiesPerMap => 1;

        public void Record(Tensor input, Tensor output) => Capture(input, output);

        protected override Tensor InputRowsPerMap(Tensor input) => input.unsqueeze(1);

        protected override Tensor OutputRowsPerMap(Tensor output) => output.unsqueeze(1);
    }
}
