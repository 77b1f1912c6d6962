using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LieGG.Runtime.Models;

// Group convolutions for p4 = C4 ⋉ Z² (Cohen & Welling 2016). Feature maps on p4 are [B, C, 4, H, W]: a rotation
// axis of four 90° steps. Convention (cross-correlation, as conv2d): rotating the input counter-clockwise by 90°
// rotates every output map the same way and shifts the rotation axis by one: out′[…, r, …] = rot90(out[…, r − 1, …]).
// Every layer builds its four rotated filter banks (rot90 and a cyclic shift) and makes ONE conv2d call.

/// <summary>Lifting convolution Z² → p4: each filter applied in its four rotations.</summary>
public sealed class P4LiftingConv2d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly int padding;

    public P4LiftingConv2d(int inChannels, int outChannels, int kernelSize, int padding = 0) : base(nameof(P4LiftingConv2d))
    {
        weight = new Parameter(torch.empty(outChannels, inChannels, kernelSize, kernelSize));
        // PyTorch's Conv2d default: Kaiming-uniform with a = √5 over fan_in = in · k².
        nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
        this.padding = padding;
        OutChannels = outChannels;
        RegisterComponents();
    }

    public int OutChannels { get; }

    /// <summary>in · out · k² (no bias: batch norm follows).</summary>
    public static long ParameterCount(int inChannels, int outChannels, int kernelSize) => (long)inChannels * outChannels * kernelSize * kernelSize;

    public override Tensor forward(Tensor input)
    {
        // Filter bank [out, 4, in, k, k]: rotation r of every filter.
        var bank = torch.stack(Enumerable.Range(0, 4).Select(r => weight.rot90(r, (2, 3))), 1);
        var filters = bank.reshape(OutChannels * 4, weight.shape[1], weight.shape[2], weight.shape[3]);
        var output = nn.functional.conv2d(input, filters, padding: new long[] { padding, padding });
        return output.reshape(output.shape[0], OutChannels, 4, output.shape[2], output.shape[3]);
    }
}

/// <summary>Group convolution p4 → p4: planar rotation of the filter and a cyclic shift along the rotation axis.</summary>
public sealed class P4GroupConv2d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly int padding;

    public P4GroupConv2d(int inChannels, int outChannels, int kernelSize, int padding = 0) : base(nameof(P4GroupConv2d))
    {
        weight = new Parameter(torch.empty(new long[] { outChannels, inChannels, 4, kernelSize, kernelSize }));
        nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
        this.padding = padding;
        OutChannels = outChannels;
        RegisterComponents();
    }

    public int OutChannels { get; }

    /// <summary>in · 4 · out · k² (no bias: batch norm follows).</summary>
    public static long ParameterCount(int inChannels, int outChannels, int kernelSize) => (long)inChannels * 4 * outChannels * kernelSize * kernelSize;

    public override Tensor forward(Tensor input)
    {
        long inChannels = weight.shape[1], k = weight.shape[3];
        // For output rotation r: W_r[o, i, s] = rot90^r(W[o, i, s − r]) — roll shifts the input-rotation axis, rot90 the plane.
        var bank = torch.stack(Enumerable.Range(0, 4).Select(r => weight.roll(r, 2).rot90(r, (3, 4))), 1);
        var filters = bank.reshape(OutChannels * 4, inChannels * 4, k, k);
        var flat = input.reshape(input.shape[0], inChannels * 4, input.shape[3], input.shape[4]);
        var output = nn.functional.conv2d(flat, filters, padding: new long[] { padding, padding });
        return output.reshape(output.shape[0], OutChannels, 4, output.shape[2], output.shape[3]);
    }
}

/// <summary>Pooling over the rotation axis (max or mean): p4 feature maps → planar, rotation-invariant maps.</summary>
public sealed class P4RotationPool(bool useMax = true) : nn.Module<Tensor, Tensor>(nameof(P4RotationPool))
{
    public override Tensor forward(Tensor input) => useMax ? input.amax(new long[] { 2 }) : input.mean(new long[] { 2 });
}

/// <summary>Batch norm of p4 feature maps with statistics shared over the rotation axis (and space).</summary>
public sealed class P4BatchNorm : nn.Module<Tensor, Tensor>
{
    private readonly BatchNorm3d norm;

    public P4BatchNorm(int channels) : base(nameof(P4BatchNorm))
    {
        norm = nn.BatchNorm3d(channels);
        RegisterComponents();
    }

    internal BatchNorm3d Norm => norm;

    public override Tensor forward(Tensor input) => norm.forward(input);
}

/// <summary>2×2 spatial max pooling of p4 feature maps (rotations pooled separately).</summary>
public sealed class P4SpatialMaxPool : nn.Module<Tensor, Tensor>
{
    public P4SpatialMaxPool() : base(nameof(P4SpatialMaxPool)) { }

    public override Tensor forward(Tensor input)
    {
        var flat = input.reshape(input.shape[0], input.shape[1] * 4, input.shape[3], input.shape[4]);
        var pooled = MaxPool2x2.Forward(flat);
        return pooled.reshape(input.shape[0], input.shape[1], 4, pooled.shape[2], pooled.shape[3]);
    }
}
