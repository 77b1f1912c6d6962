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
/// The generalised Gauss–Newton block of W is approximated as B ⊗ A / N (N samples) with
/// A = Σ_n Σ_copies a aᵀ (or, when every copy has its own weights, block-diagonal with one block per copy) and
/// B = Σ_n Σ_copies g gᵀ / copies, g = ∂(−log p_k)/∂y weighted by the Fisher; the bias block is B · copies.
/// Rows are laid out so that vec(W) in row-major order matches B ⊗ A (W's rows index B, its columns A).
/// </summary>
public abstract class KfacSite
{
    private readonly Func<Parameter> weight, bias;

    // The owner's fields are read on every access: moving a module to another dtype or device replaces its parameters.
    protected KfacSite(string name, int layer, PathwayKind pathway, Func<Parameter> weight, Func<Parameter> bias)
    {
        Name = name;
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

    /// <summary>The layer input as [N, copies, d] rows a (for a convolution: the circular im2col patches).</summary>
    public abstract Tensor InputRows(Tensor input);

    /// <summary>The layer output (or its gradient) as [N, copies, e] rows.</summary>
    public abstract Tensor OutputRows(Tensor output);

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

    /// <summary>Σ over the batch of the input-side factor, float64: [1, d, d] when shared, [copies, d, d] per copy.</summary>
    public Tensor InputFactor(Tensor input)
    {
        using var scope = NewDisposeScope();
        var rows = InputRows(input.detach());
        var factor = WeightsPerCopy
            ? rows.transpose(0, 1).transpose(1, 2).matmul(rows.transpose(0, 1))
            : Gram(rows.reshape(-1, rows.shape[2])).unsqueeze(0);
        return factor.to_type(ScalarType.Float64).MoveToOuterDisposeScope();
    }

    /// <summary>Σ over the batch of the output-side factor from output gradients, float64 [e, e], before dividing by the copies.</summary>
    public Tensor OutputFactorSum(Tensor outputGradient)
    {
        using var scope = NewDisposeScope();
        var rows = OutputRows(outputGradient.detach());
        return Gram(rows.reshape(-1, rows.shape[2])).to_type(ScalarType.Float64).MoveToOuterDisposeScope();
    }

    private static Tensor Gram(Tensor rows) => rows.T.matmul(rows);

    /// <summary>Output rows per sample (positions for a convolution, channels for the factored layers, 1 for dense).</summary>
    public abstract int Copies { get; }
}
