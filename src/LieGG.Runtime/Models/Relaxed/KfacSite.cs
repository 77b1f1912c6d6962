using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LieGG.Runtime.Models.Relaxed;

/// <summary>Which pathway of an ELLA layer a parameter tensor belongs to.</summary>
public enum PathwayKind
{
    /// <summary>Dense fully connected.</summary>
    FC,
    /// <summary>Factored fully connected (ELLA's F-FC).</summary>
    FactoredFC,
    /// <summary>3×3 circular convolution.</summary>
    Conv,
    /// <summary>3×3 circular p4 group convolution (lifting in the first block).</summary>
    GroupConv,
    /// <summary>The classifier head after global pooling (shared by every variant, not a pathway).</summary>
    Head,
}

/// <summary>
/// One linear map of a network, y = W·a + b applied to <c>copies</c> input rows per sample, seen by KFAC.
/// A map applied with the same weights to each rotation copy of a p4 map (<see cref="RotationCopies"/> &gt; 1) sees the
/// copies as N·R maps; its rows are folded back to N samples, R times as many copies each.
/// The generalised Gauss–Newton block of W is approximated as B ⊗ A / N (N samples) with
/// A = Σ_n Σ_copies a aᵀ (or, when every copy has its own weights, block-diagonal with one block per copy) and
/// B = Σ_n Σ_copies g gᵀ / copies, g = ∂(−log p_k)/∂y weighted by the Fisher; the bias block is B · copies.
/// Rows are laid out so that vec(W) in row-major order matches B ⊗ A (W's rows index B, its columns A).
/// </summary>
public abstract class KfacSite
{
    private readonly Func<Parameter> weight, bias;

    // The owner's fields are read on every access: moving a module to another dtype or device replaces its parameters.
    protected KfacSite(string name, int layer, PathwayKind pathway, Func<Parameter> weight, Func<Parameter> bias, int rotationCopies = 1)
    {
        if (rotationCopies < 1) throw new ArgumentOutOfRangeException(nameof(rotationCopies), rotationCopies, "A site is applied to at least one copy of each map.");
        Name = name;
        RotationCopies = rotationCopies;
        Layer = layer;
        Pathway = pathway;
        this.weight = weight;
        this.bias = bias;
    }

    /// <summary>E.g. "block 2 conv" or "head 1".</summary>
    public string Name { get; }

    /// <summary>0-based block index; the head's two layers follow the blocks.</summary>
    public int Layer { get; }

    public PathwayKind Pathway { get; }

    public Parameter Weight => weight();

    public Parameter Bias => bias();

    /// <summary>While true, forward passes keep <see cref="CapturedInput"/> and <see cref="CapturedOutput"/> (graph attached).</summary>
    public bool Capturing { get; set; }

    public Tensor? CapturedInput { get; private set; }

    public Tensor? CapturedOutput { get; private set; }

    /// <summary>Whether each copy has its own weight block (A block-diagonal) instead of sharing one (A summed over copies).</summary>
    public abstract bool WeightsPerCopy { get; }

    /// <summary>
    /// How many rotation copies of each sample the map is applied to with the same weights (1, or 4 for an FC or CONV
    /// pathway inside a p4 block). Its captured input and output then hold N·R maps, sample-major.
    /// </summary>
    public int RotationCopies { get; }

    /// <summary>The layer input as [N, copies, d] rows a (for a convolution: the circular im2col patches), rotation-major.</summary>
    public Tensor InputRows(Tensor input) => FoldRotations(InputRowsPerMap(input));

    /// <summary>The layer output (or its gradient) as [N, copies, e] rows, in the order of <see cref="InputRows"/>.</summary>
    public Tensor OutputRows(Tensor output) => FoldRotations(OutputRowsPerMap(output));

    /// <summary>One map's input as [maps, copies per map, d] rows.</summary>
    protected abstract Tensor InputRowsPerMap(Tensor input);

    /// <summary>One map's output as [maps, copies per map, e] rows.</summary>
    protected abstract Tensor OutputRowsPerMap(Tensor output);

    /// <summary>Output rows of one map (positions for a convolution, channels for the factored layers, 1 for dense).</summary>
    protected abstract int CopiesPerMap { get; }

    /// <summary>Output rows per sample: <see cref="CopiesPerMap"/> × <see cref="RotationCopies"/>.</summary>
    public int Copies => CopiesPerMap * RotationCopies;

    // [N·R, copies, d] → [N, R·copies, d]: the maps of one sample are consecutive.
    private Tensor FoldRotations(Tensor rows) => RotationCopies == 1 ? rows : rows.reshape(rows.shape[0] / RotationCopies, -1, rows.shape[2]);

    protected void Capture(Tensor input, Tensor output)
    {
        if (!Capturing) return;
        CapturedInput = input;
        CapturedOutput = output;
    }

    public void ClearCapture()
    {
        CapturedInput = null;
        CapturedOutput = null;
    }

    // One batch's sums are formed in the network's own precision (one matrix product) and returned in float64, in which
    // they are accumulated over the data set and eigendecomposed.

    /// <summary>
    /// Σ over the batch of the input-side factor, float64: [1, d, d] when shared, [copies per map, d, d] per copy
    /// (a copy's rotations share its weights, so their blocks are summed). A site whose copies are permutations of
    /// fewer distinct rows overrides it to form the smaller Gram matrix once.
    /// </summary>
    public virtual Tensor InputFactor(Tensor input)
    {
        using var scope = NewDisposeScope();
        var rows = InputRows(input.detach());
        Tensor factor;
        if (WeightsPerCopy)
        {
            // [copies per map, N·R, d]: a copy's rows from every sample and rotation, which share its weights.
            var perCopy = rows.reshape(-1, CopiesPerMap, rows.shape[2]).transpose(0, 1);
            factor = perCopy.transpose(1, 2).matmul(perCopy);
        }
        else
        {
            factor = SymmetricGram.Of(rows.reshape(-1, rows.shape[2])).unsqueeze(0);
        }
        return factor.to_type(ScalarType.Float64).MoveToOuterDisposeScope();
    }
}
