using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LieGG.Runtime.Models.Relaxed;

/// <summary>
/// ELLA's factored FC pathway (F-FC): with U ∈ R^{C′×C·S}, V ∈ R^{S′×C′·C},
/// h[n,c,k] = Σ_s U[k, c·S+s]·x[n,c,s] + bU[k] and y[n,k,t] = Σ_c V[t, k·C+c]·h[n,c,k] + bV[t].
/// Init U ~ U(±√(3/S)), V ~ U(±√(3/C)), zero biases.
/// <para>
/// KFAC ("expand" over the copy axis; ELLA's own choice is unpublished): U is a linear map S → C′ applied to each
/// input channel c with its own weights, so its A is block-diagonal over c with blocks Σ_n x_c x_cᵀ (S×S) and
/// B = Σ_{n,c} g gᵀ / C over the gradients of h[n,c,·]; V is a map C → S′ applied per output channel k with its own
/// weights: A block-diagonal over k with blocks Σ_n h_k h_kᵀ (C×C), B = Σ_{n,k} g gᵀ / C′ over the gradients of
/// y[n,k,·]. Cross-copy curvature is dropped, as KFAC drops it between layers.
/// </para>
/// </summary>
public sealed class FactoredDensePathway : nn.Module<Tensor, Tensor>
{
    private readonly Parameter u, uBias, v, vBias;
    private readonly int inChannels, outChannels, inputPositions;

    /// <param name="initScale">Multiplies U's and V's initial bounds (so the initial map V·U by its square); 1 = ELLA's initialisation.</param>
    /// <param name="rotationCopies">How many rotation copies of each sample it is applied to (see <see cref="KfacSite.RotationCopies"/>).</param>
    public FactoredDensePathway(int inChannels, int outChannels, int inputSize, int stride, int layer, double initScale = 1.0, int rotationCopies = 1) : base(nameof(FactoredDensePathway))
    {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        OutputSize = inputSize / stride;
        inputPositions = inputSize * inputSize;
        int outputPositions = OutputSize * OutputSize;
        u = new Parameter(torch.empty(outChannels, inChannels * inputPositions));
        v = new Parameter(torch.empty(outputPositions, outChannels * inChannels));
        using (torch.no_grad())
        {
            double uBound = initScale * Math.Sqrt(3.0 / inputPositions), vBound = initScale * Math.Sqrt(3.0 / inChannels);
            u.uniform_(-uBound, uBound);
            v.uniform_(-vBound, vBound);
        }
        uBias = new Parameter(torch.zeros(outChannels));
        vBias = new Parameter(torch.zeros(outputPositions));
        RegisterComponents();
        USite = new USiteImpl(this, layer, rotationCopies);
        VSite = new VSiteImpl(this, layer, rotationCopies);
    }

    public int OutputSize { get; }

    /// <summary>The first map (U, bU): input [N, C, S] → h [N, C, C′].</summary>
    public KfacSite USite { get; }

    /// <summary>The second map (V, bV): h [N, C, C′] → y [N, C′, S′].</summary>
    public KfacSite VSite { get; }

    public override Tensor forward(Tensor input)
    {
        var x = input.flatten(2);
        // h[n, c, k] = Σ_s x[n, c, s] u[k, c, s] as one product per input channel on contiguous [c, n, s] and [c, k, s]
        // operands: the same sums as einsum("ncs,kcs->nck"), whose backward here runs its products on strided views at
        // about half the speed.
        var perChannel = x.transpose(0, 1).contiguous();
        var uPerChannel = u.view(outChannels, inChannels, inputPositions).transpose(0, 1).contiguous();
        var h = perChannel.bmm(uPerChannel.transpose(1, 2)).transpose(0, 1) + uBias;
        // y[n, k, t] = Σ_c h[n, c, k] v[t, k, c] likewise as one product per output channel on contiguous [k, n, c] and
        // [k, c, t] operands (einsum("nck,tkc->nkt") took twice as long forward and backward at these shapes, one thread).
        var hPerChannel = h.permute(2, 0, 1).contiguous();
        var vPerChannel = v.view(-1, outChannels, inChannels).permute(1, 2, 0).contiguous();
        var y = hPerChannel.bmm(vPerChannel).transpose(0, 1) + vBias;
        ((USiteImpl)USite).Record(x, h);
        ((VSiteImpl)VSite).Record(h, y);
        return y.reshape(input.shape[0], outChannels, OutputSize, OutputSize);
    }

    private sealed class USiteImpl(FactoredDensePathway owner, int layer, int rotationCopies) : KfacSite($"block {layer + 1} f-fc U", layer, PathwayKind.FactoredFC, () => owner.u, () => owner.uBias, rotationCopies)
    {
        public override bool WeightsPerCopy => true;

        protected override int CopiesPerMap => owner.inChannels;

        public void Record(Tensor input, Tensor output) => Capture(input, output);

        protected override Tensor InputRowsPerMap(Tensor input) => input.flatten(2);

        protected override Tensor OutputRowsPerMap(Tensor output) => output;
    }

    private sealed class VSiteImpl(FactoredDensePathway owner, int layer, int rotationCopies) : KfacSite($"block {layer + 1} f-fc V", layer, PathwayKind.FactoredFC, () => owner.v, () => owner.vBias, rotationCopies)
    {
        public override bool WeightsPerCopy => true;

        protected override int CopiesPerMap => owner.outChannels;

        public void Record(Tensor input, Tensor output) => Capture(input, output);

        // h[n, c, k] → rows per output channel k: [N, C′, C].
        protected override Tensor InputRowsPerMap(Tensor input) => input.transpose(1, 2);

        protected override Tensor OutputRowsPerMap(Tensor output) => output;
    }
}
