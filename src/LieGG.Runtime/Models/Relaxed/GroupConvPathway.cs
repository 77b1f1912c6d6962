using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LieGG.Runtime.Models.Relaxed;

/// <summary>
/// A G-CONV pathway for ELLA across groups: a true p4 convolution (Cohen &amp; Welling 2016), 3×3 with circular padding 1,
/// on square maps of even size. The first block lifts planar maps [N, C, S, S] to p4 maps; later blocks map p4 to p4.
/// p4 maps travel between blocks as [N, C·4, S, S] (channel-major, rotation minor); the other pathways of a
/// <see cref="RelaxedBlock"/> act on each rotation copy. A stride-2 block reduces each 2×2 cell (twice its mean) instead of keeping one phase: a 90° rotation maps the 2×2 cells of an
/// even grid onto each other, but not the even positions, so only the average keeps the pathway exactly equivariant.
/// Rotating the input by 90° (torch.rot90 over the spatial axes) rotates every output map the same way and shifts the
/// rotation axis by one. One bias per output channel, shared by its four rotations. Kaiming-uniform weights (ReLU gain).
/// </summary>
public sealed class GroupConvPathway : nn.Module<Tensor, Tensor>
{
    /// <summary>The order of p4's rotation subgroup: every p4 map has this many rotation copies.</summary>
    public const int Rotations = 4;

    private readonly Parameter weight;
    private readonly Parameter bias;

    /// <param name="lifting">True for the first block (planar input); false for p4 input.</param>
    public GroupConvPathway(int inChannels, int outChannels, int inputSize, int stride, int layer, bool lifting) : base(nameof(GroupConvPathway))
    {
        if (stride is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(stride), stride, "Stride must be 1 or 2.");
        if (inputSize % 2 != 0) throw new ArgumentException($"A p4 pathway on a circular grid needs an even size (rotations map 2×2 cells onto each other), not {inputSize}.", nameof(inputSize));
        Lifting = lifting;
        InputRotations = lifting ? 1 : 4;
        weight = new Parameter(lifting ? torch.empty(outChannels, inChannels, 3, 3) : torch.empty(new long[] { outChannels, inChannels, 4, 3, 3 }));
        double bound = Math.Sqrt(2.0) * Math.Sqrt(3.0 / (inChannels * InputRotations * 9));
        using (torch.no_grad()) weight.uniform_(-bound, bound);
        bias = new Parameter(torch.zeros(outChannels));
        InChannels = inChannels;
        OutChannels = outChannels;
        Stride = stride;
        OutputSize = inputSize / stride;
        RegisterComponents();
        Site = new GroupConvSite(this, layer);
    }

    public bool Lifting { get; }

    /// <summary>1 for planar input, 4 for p4 input.</summary>
    public int InputRotations { get; }

    public int InChannels { get; }

    public int OutChannels { get; }

    public int Stride { get; }

    public int OutputSize { get; }

    public KfacSite Site { get; }

    /// <summary>The filter for output rotation r: the weight rotated by r·90° in the plane and, for p4 input, rolled by r along the input rotation axis.</summary>
    private Tensor Transformed(Tensor w, int r) => Lifting ? w.rot90(r, (w.dim() - 2, w.dim() - 1)) : w.roll(r, w.dim() - 3).rot90(r, (w.dim() - 2, w.dim() - 1));

    /// <summary>The four rotated filter banks as one conv2d weight [C′·4, C·R, 3, 3] (output channel o·4 + r).</summary>
    private Tensor Filters()
        => torch.stack(Enumerable.Range(0, 4).Select(r => Transformed(weight, r)), 1).reshape(OutChannels * 4, InChannels * InputRotations, 3, 3);

    public override Tensor forward(Tensor input) => Forward(input);

    /// <summary>
    /// The pathway's output, with another pathway's filter bank and bias (in <see cref="Kernel"/>'s layout) folded into
    /// the same convolution when given: the sum of the two pathways' outputs, recorded as this pathway's output.
    /// </summary>
    internal Tensor Forward(Tensor input, Tensor? foldedKernel = null, Tensor? foldedBias = null)
    {
        var kernel = Kernel();
        var outputBias = bias.repeat_interleave(Rotations);
        if (foldedKernel is not null) kernel = kernel + foldedKernel;
        if (foldedBias is not null) outputBias = outputBias + foldedBias;
        var output = nn.functional.conv2d(CircularConvolution.Pad(input), kernel, outputBias, strides: new long[] { Stride, Stride });
        ((GroupConvSite)Site).Record(input, output);
        return output;
    }

    /// <summary>
    /// The filter bank of one convolution of the circularly padded input: <see cref="Filters"/> at stride 1; at stride 2 the
    /// filters followed by the 2×2 reduction, one 4×4 kernel applied at stride 2 (2.25× fewer products than the stride-1
    /// convolution it replaces, and no reduction pass).
    /// </summary>
    internal Tensor Kernel() => Stride == 1 ? Filters() : CellKernel(Filters());

    /// <summary>
    /// The stride-2 reduction folded into the filters: each 2×2 cell's mean times two, i.e. half the sum of the filter
    /// placed at the cell's four offsets. The mean keeps rotations exact; the factor two keeps the variance of independent
    /// entries, as a one-phase subsample would — a plain mean halves the signal's scale at every stride-2 block and a
    /// deep network's output fades to a constant before training starts.
    /// </summary>
    private static Tensor CellKernel(Tensor filters)
    {
        Tensor At(long row, long column) => nn.functional.pad(filters, new long[] { column, 1 - column, row, 1 - row });
        return (At(0, 0) + At(0, 1) + At(1, 0) + At(1, 1)) / 2;
    }

    /// <summary>
    /// Where each entry of the rotation-r filter comes from in the weight: Transformed(weight, r) flattened equals
    /// weight.flatten()[Sources(r)], so output rotation r is the weight applied to the patch entries permuted back.
    /// </summary>
    internal Tensor Sources(int r)
    {
        long entries = InChannels * InputRotations * 9;
        var index = torch.arange(entries, ScalarType.Int64).reshape(Lifting ? new long[] { InChannels, 3, 3 } : new long[] { InChannels, 4, 3, 3 });
        return Transformed(index, r).flatten();
    }

    /// <summary>
    /// KFAC for weights shared by every output rotation and position: output rotation r at cell p is W·a with
    /// a = the circular patch (2×2-reduced at stride 2) with its entries moved back by the rotation's permutation, so the
    /// copies are the S′² positions × 4 rotations, all sharing W.
    /// </summary>
    private sealed class GroupConvSite(GroupConvPathway owner, int layer) : KfacSite($"block {layer + 1} g-conv", layer, PathwayKind.GroupConv, () => owner.weight, () => owner.bias)
    {
        public override bool WeightsPerCopy => false;

        protected override int CopiesPerMap => owner.OutputSize * owner.OutputSize * 4;

        public void Record(Tensor input, Tensor output) => Capture(input, output);

        private long Entries => owner.InChannels * owner.InputRotations * 9;

        // The inverse of each rotation's Sources: constants of the pathway, made once instead of at every batch.
        private readonly Lazy<Tensor[]> inverseSources = new(() =>
        {
            using var scope = NewDisposeScope();
            return Enumerable.Range(0, 4).Select(r => owner.Sources(r).argsort().DetachFromDisposeScope()).ToArray();
        });

        /// <summary>
        /// The circular 3×3 patches [N, entries, S′²], 2×2-reduced at stride 2: the same for every output rotation. A
        /// cell's summed patches are the patch, at the cell's corner, of the input summed over each 2×2 window (circular),
        /// so stride 2 unfolds that sum at the kept positions instead of reducing four times as many patches.
        /// </summary>
        private Tensor Patches(Tensor input)
        {
            if (owner.Stride == 1) return nn.functional.unfold(CircularConvolution.Pad(input), 3);
            var windows = input + input.roll(-1, 2);
            windows = windows + windows.roll(-1, 3);
            return nn.functional.unfold(CircularConvolution.Pad(windows), 3, stride: 2) / 2;
        }

        protected override Tensor InputRowsPerMap(Tensor input)
        {
            var patches = Patches(input);
            // Row for rotation r: a[k] = patch[j] where the rotation-r filter's entry j is weight entry k.
            var rows = Enumerable.Range(0, 4).Select(r =>
            {
                var sources = owner.Sources(r).to(patches.device);
                return torch.zeros_like(patches).index_copy(1, sources, patches);
            });
            return torch.stack(rows.ToArray(), 1).transpose(2, 3).reshape(input.shape[0], -1, Entries);
        }

        /// <summary>
        /// Σ_r Σ_patches a_r a_rᵀ with a_r the patch permuted by rotation r: one Gram matrix G of the patches, then
        /// Σ_r G[inv_r, inv_r] with inv_r the inverse of <see cref="Sources"/> — a quarter of the products of the rows'
        /// Gram matrix, and no rows tensor four times the patches. At stride 1 G comes from <see cref="CircularPatchGram"/>.
        /// </summary>
        public override Tensor InputFactor(Tensor input)
        {
            using var scope = NewDisposeScope();
            var gram = (owner.Stride == 1 ? CircularPatchGram.Of(input.detach()) : PatchGram(Patches(input.detach()))).to_type(ScalarType.Float64);
            Tensor? factor = null;
            for (int r = 0; r < 4; r++)
            {
                var inverse = inverseSources.Value[r].to(gram.device);
                var rotated = gram.index_select(0, inverse).index_select(1, inverse);
                factor = factor is null ? rotated : factor.add_(rotated);
            }
            return factor!.unsqueeze(0).MoveToOuterDisposeScope();
        }

        private Tensor PatchGram(Tensor patches) => SymmetricGram.Of(patches.transpose(1, 2).reshape(-1, Entries));

        // [N, C′·4, S′, S′] → [N, 4·S′², C′], rotation-major to match InputRows.
        protected override Tensor OutputRowsPerMap(Tensor output)
        {
            long n = output.shape[0];
            return output.reshape(n, owner.OutChannels, 4, -1).permute(0, 2, 3, 1).reshape(n, -1, owner.OutChannels);
        }
    }
}
