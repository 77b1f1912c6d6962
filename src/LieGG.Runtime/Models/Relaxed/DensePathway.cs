using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LieGG.Runtime.Models.Relaxed;

/// <summary>
/// ELLA's dense FC pathway: y = W·vec(x) + b with W ∈ R^{C′S′×CS}, reshaped to C′ × H′ × W′. PyTorch's default
/// Linear initialisation for W, zero bias.
/// </summary>
public sealed class DensePathway : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly int outChannels;

    /// <param name="initScale">Multiplies the initial weights; 1 = PyTorch's default initialisation.</param>
    /// <param name="rotationCopies">How many rotation copies of each sample it is applied to (see <see cref="KfacSite.RotationCopies"/>).</param>
    public DensePathway(int inChannels, int outChannels, int inputSize, int stride, int layer, double initScale = 1.0, int rotationCopies = 1) : base(nameof(DensePathway))
    {
        OutputSize = inputSize / stride;
        this.outChannels = outChannels;
        int fanIn = inChannels * inputSize * inputSize;
        weight = new Parameter(torch.empty(outChannels * OutputSize * OutputSize, fanIn));
        nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
        using (torch.no_grad()) weight.mul_(initScale);
        bias = new Parameter(torch.zeros(outChannels * OutputSize * OutputSize));
        RegisterComponents();
        Site = new DenseSite(this, layer, rotationCopies);
    }

    public int OutputSize { get; }

    public KfacSite Site { get; }

    public override Tensor forward(Tensor input)
    {
        var output = nn.functional.linear(input.flatten(1), weight, bias);
        ((DenseSite)Site).Record(input, output);
        return output.view(input.shape[0], outChannels, OutputSize, OutputSize);
    }

    private sealed class DenseSite(DensePathway owner, int layer, int rotationCopies) : KfacSite($"block {layer + 1} fc", layer, PathwayKind.FC, () => owner.weight, () => owner.bias, rotationCopies)
    {
        public override bool WeightsPerCopy => false;

        protected override int CopiesPerMap => 1;

        public void Record(Tensor input, Tensor output) => Capture(input, output);

        protected override Tensor InputRowsPerMap(Tensor input) => input.flatten(1).unsqueeze(1);

        protected override Tensor OutputRowsPerMap(Tensor output) => output.flatten(1).unsqueeze(1);
    }
}
