using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LieGG.Runtime.Models.Relaxed;

/// <summary>
/// ELLA's CONV pathway: 3×3 convolution with circular padding 1; a stride-2 block keeps the outputs at even
/// positions (a fixed phase, so a sample's output never depends on the rest of its batch). Kaiming-uniform weights
/// (ReLU gain), zero bias. Cyclic shifts of the input by multiples of the stride shift the output exactly. The
/// convolution is <see cref="CircularConvolution"/>'s, whose input gradient is a forward convolution.
/// <para>
/// Beside a G-CONV pathway the block folds this pathway into the G-CONV pathway's convolution (<see cref="GroupKernel"/>):
/// one convolution of the p4 map instead of a second one over four rotation copies split off and merged back. Its
/// KFAC site then sees the block's p4 input and the folded output, whose gradient is this pathway's output gradient.
/// </para>
/// </summary>
public sealed class ConvPathway : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;

    /// <param name="initScale">Multiplies the initial weight bound; 1 = ELLA's initialisation.</param>
    /// <param name="rotationCopies">How many rotation copies of each sample it is applied to (see <see cref="KfacSite.RotationCopies"/>).</param>
    /// <param name="folded">Whether a <see cref="RelaxedBlock"/> folds it into its G-CONV pathway (see <see cref="GroupKernel"/>).</param>
    public ConvPathway(int inChannels, int outChannels, int inputSize, int stride, int layer, double initScale = 1.0, int rotationCopies = 1, bool folded = false) : base(nameof(ConvPathway))
    {
        if (stride is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(stride), stride, "Stride must be 1 or 2.");
        if (inputSize % stride != 0) throw new ArgumentException($"A stride-{stride} layer needs an input size divisible by {stride}, not {inputSize}.", nameof(inputSize));
        weight = new Parameter(torch.empty(outChannels, inChannels, 3, 3));
        double bound = initScale * Math.Sqrt(2.0) * Math.Sqrt(3.0 / (inChannels * 9));
        using (torch.no_grad()) weight.uniform_(-bound, bound);
        bias = new Parameter(torch.zeros(outChannels));
        Stride = stride;
        OutputSize = inputSize / stride;
        Folded = folded;
        RegisterComponents();
        Site = new ConvSite(this, layer, rotationCopies);
    }

    public bool Folded { get; }

    public int Stride { get; }

    public int OutputSize { get; }

    public KfacSite Site { get; }

    /// <summary>The pathway on its own: planar maps (or rotation copies) in, planar maps out. A folded pathway's site records only the block's folded convolution.</summary>
    public override Tensor forward(Tensor input)
    {
        var output = CircularConvolution.Apply(input, weight, bias, Stride);
        if (!Folded) ((ConvSite)Site).Record(input, output);
        return output;
    }

    /// <summary>
    /// The weight as a filter bank on p4 maps, to add to the G-CONV pathway's <see cref="GroupConvPathway.Kernel"/>:
    /// block-diagonal over rotations for p4 input (copy r to copy r), repeated over the output rotations for planar input
    /// (<paramref name="inputRotations"/> 1); at stride 2 the top-left 3×3 of a 4×4 stride-2 kernel, whose window starts
    /// where this pathway's does.
    /// </summary>
    internal Tensor GroupKernel(int inputRotations)
    {
        const int rotations = GroupConvPathway.Rotations;
        long outChannels = weight.shape[0], inChannels = weight.shape[1];
        var kernel = inputRotations == 1
            ? weight.repeat_interleave(rotations, 0)
            : (weight.view(outChannels, 1, inChannels, 1, 3, 3) * torch.eye(rotations, dtype: weight.dtype, device: weight.device).view(1, rotations, 1, rotations, 1, 1))
                .reshape(outChannels * rotations, inChannels * rotations, 3, 3);
        return Stride == 1 ? kernel : nn.functional.pad(kernel, new long[] { 0, 1, 0, 1 });
    }

    /// <summary>The bias of every output channel's four rotation copies, in the layout of <see cref="GroupKernel"/>'s outputs.</summary>
    internal Tensor GroupBias() => bias.repeat_interleave(GroupConvPathway.Rotations);

    /// <summary>Records the block's folded convolution: its p4 (or, in the first block, planar) input and its p4 output.</summary>
    internal void RecordFolded(Tensor input, Tensor output) => ((ConvSite)Site).Record(input, output);

    private sealed class ConvSite(ConvPathway owner, int layer, int rotationCopies) : KfacSite($"block {layer + 1} conv", layer, PathwayKind.Conv, () => owner.weight, () => owner.bias, rotationCopies)
    {
        public override bool WeightsPerCopy => false;

        protected override int CopiesPerMap => owner.OutputSize * owner.OutputSize;

        public void Record(Tensor input, Tensor output) => Capture(input, output);

        // A folded site sees the block's p4 input: its rotation copies are the maps this pathway's weights apply to.
        private Tensor Maps(Tensor input) => owner.Folded && RotationCopies > 1 ? P4Maps.Split(input) : input;

        // im2col of the circularly padded input at the kept (stride-phase-0) positions: [N, positions, C·9], channel-major.
        protected override Tensor InputRowsPerMap(Tensor input)
            => nn.functional.unfold(CircularConvolution.Pad(Maps(input)), 3, stride: owner.Stride).transpose(1, 2);

        // Every position is kept at stride 1: the patches' Gram from the maps' channel cross-correlations (see CircularPatchGram).
        public override Tensor InputFactor(Tensor input)
        {
            if (owner.Stride != 1) return base.InputFactor(input);
            using var scope = NewDisposeScope();
            return CircularPatchGram.Of(Maps(input.detach())).to_type(ScalarType.Float64).unsqueeze(0).MoveToOuterDisposeScope();
        }

        // A folded site's output (or gradient) is the block's p4 map: copy r of each map is this pathway's output on copy r,
        // and in the first block, where the planar output is repeated over the copies, its gradient is the copies' sum.
        protected override Tensor OutputRowsPerMap(Tensor output)
        {
            var maps = !owner.Folded ? output : RotationCopies > 1 ? P4Maps.Split(output) : P4Maps.SumOverRotations(output);
            return maps.flatten(2).transpose(1, 2);
        }
    }
}
