using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LieGG.Runtime.Models.Relaxed;

/// <summary>
/// ELLA's CONV pathway: 3×3 convolution with circular padding 1; a stride-2 block keeps the outputs at even
/// positions (a fixed phase, so a sample's output never depends on the rest of its batch). Kaiming-uniform weights
/// (ReLU gain), zero bias. Cyclic shifts of the input by multiples of the stride shift the output exactly.
/// </summary>
public sealed class ConvPathway : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;

    /// <param name="initScale">Multiplies the initial weight bound; 1 = ELLA's initialisation.</param>
    /// <param name="rotationCopies">How many rotation copies of each sample it is applied to (see <see cref="KfacSite.RotationCopies"/>).</param>
    public ConvPathway(int inChannels, int outChannels, int inputSize, int stride, int layer, double initScale = 1.0, int rotationCopies = 1) : base(nameof(ConvPathway))
    {
        if (stride is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(stride), stride, "Stride must be 1 or 2.");
        if (inputSize % stride != 0) throw new ArgumentException($"A stride-{stride} layer needs an input size divisible by {stride}, not {inputSize}.", nameof(inputSize));
        weight = new Parameter(torch.empty(outChannels, inChannels, 3, 3));
        double bound = initScale * Math.Sqrt(2.0) * Math.Sqrt(3.0 / (inChannels * 9));
        using (torch.no_grad()) weight.uniform_(-bound, bound);
        bias = new Parameter(torch.zeros(outChannels));
        Stride = stride;
        OutputSize = inputSize / stride;
        RegisterComponents();
        Site = new ConvSite(this, layer, rotationCopies);
    }

    public int Stride { get; }

    public int OutputSize { get; }

    public KfacSite Site { get; }

    /// <summary>The input padded circularly by one pixel on every side.</summary>
    internal static Tensor PadCircular(Tensor input)
    {
        // The last row and column wrapped to the front and the first to the back: the same tensor as
        // nn.functional.pad(…, Circular), whose native kernel takes two to three times as long forward and backward here.
        var rows = torch.cat(new[] { input[.., .., ^1.., ..], input, input[.., .., ..1, ..] }, 2);
        return torch.cat(new[] { rows[.., .., .., ^1..], rows, rows[.., .., .., ..1] }, 3);
    }

    public override Tensor forward(Tensor input)
    {
        var output = nn.functional.conv2d(PadCircular(input), weight, bias, strides: new long[] { Stride, Stride });
        ((ConvSite)Site).Record(input, output);
        return output;
    }

    private sealed class ConvSite(ConvPathway owner, int layer, int rotationCopies) : KfacSite($"block {layer + 1} conv", layer, PathwayKind.Conv, () => owner.weight, () => owner.bias, rotationCopies)
    {
        public override bool WeightsPerCopy => false;

        protected override int CopiesPerMap => owner.OutputSize * owner.OutputSize;

        public void Record(Tensor input, Tensor output) => Capture(input, output);

        // im2col of the circularly padded input at the kept (stride-phase-0) positions: [N, positions, C·9], channel-major.
        protected override Tensor InputRowsPerMap(Tensor input)
            => nn.functional.unfold(PadCircular(input), 3, stride: owner.Stride).transpose(1, 2);

        // Every position is kept at stride 1: the patches' Gram from the map's shifted channel products.
        public override Tensor InputFactor(Tensor input)
        {
            if (owner.Stride != 1) return base.InputFactor(input);
            using var scope = NewDisposeScope();
            return CircularPatchGram.Of(input.detach()).to_type(ScalarType.Float64).unsqueeze(0).MoveToOuterDisposeScope();
        }

        protected override Tensor OutputRowsPerMap(Tensor output) => output.flatten(2).transpose(1, 2);
    }
}
