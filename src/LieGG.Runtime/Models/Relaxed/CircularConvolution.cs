using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Models.Relaxed;

/// <summary>
/// The CONV pathway's 3×3 convolution with circular padding 1, at stride 1 or 2 (outputs at the even positions), whose
/// input gradient is itself a forward convolution. A circular correlation's adjoint is the circular correlation of the
/// output gradient with the transposed, flipped filters; at stride 2 each of the input's four position phases (row and
/// column parity) sees its own taps of those filters, at most 2×2 of them, so one 2×2 convolution of the half-size
/// gradient with 4·C_in output channels, interleaved by a pixel shuffle, gives all of it. libtorch's own backward for
/// these narrow convolutions (oneDNN's backward-data) took 2–3 times as long as such a forward convolution here: at
/// batch 500, one thread, the input gradients of ELLA's five non-input CONV layers on a 16×16 canvas (4 → 8 channels
/// down to 16 → 32) took 17.6 ms with their forward passes, 11.0 ms this way.
/// <para>
/// The output comes from libtorch's convolution of the detached input, so the weight and bias gradients stay libtorch's
/// (and are computed only when asked for); a second autograd node carries the input gradient. A KFAC pass that asks
/// only for the sites' output gradients therefore computes no weight gradient. In training (batch 128, one thread) the
/// five layers' forward and backward passes took 6.6 ms with libtorch's backward, 5.1 ms this way; oneDNN's weight
/// gradient on its own is the slower part at larger batches (4 → 8 channels at stride 2: slower than its combined
/// backward from batch 256 on).
/// </para>
/// </summary>
internal static class CircularConvolution
{
    /// <summary>Maps [N, C, S, S] in, [N, C_out, S/stride, S/stride] out.</summary>
    public static Tensor Apply(Tensor input, Tensor weight, Tensor? bias, int stride)
    {
        if (weight.shape[2] != 3 || weight.shape[3] != 3) throw new ArgumentException($"A circular CONV pathway has 3×3 filters, not {weight.shape[2]}×{weight.shape[3]}.", nameof(weight));
        if (stride is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(stride), stride, "Stride must be 1 or 2.");
        var strides = new long[] { stride, stride };
        if (!input.requires_grad || !torch.is_grad_enabled()) return nn.functional.conv2d(Pad(input), weight, bias, strides: strides);
        var output = nn.functional.conv2d(Pad(input.detach()), weight, bias, strides: strides);
        return InputGradient.apply(output, input, weight.detach(), stride);
    }

    /// <summary>The input padded circularly by one pixel on every side.</summary>
    public static Tensor Pad(Tensor input)
    {
        // The last row and column wrapped to the front and the first to the back: the same tensor as
        // nn.functional.pad(…, Circular), whose native kernel takes two to three times as long forward and backward here.
        var rows = torch.cat(new[] { input[.., .., ^1.., ..], input, input[.., .., ..1, ..] }, 2);
        return torch.cat(new[] { rows[.., .., .., ^1..], rows, rows[.., .., .., ..1] }, 3);
    }

    /// <summary>
    /// The filters whose correlation with the padded output gradient is the input gradient. Stride 1: [C_in, C_out, 3, 3],
    /// the transposed filters flipped, applied to the gradient padded circularly on every side. Stride 2: [C_in·4, C_out,
    /// 2, 2], output channel c·4 + 2a + b holding phase (a, b) — input row parity a, column parity b — of input channel c
    /// (pixel-shuffle order), applied to the gradient with its first row and column wrapped to the end.
    /// </summary>
    internal static Tensor InputGradientKernel(Tensor weight, int stride)
    {
        var transposed = weight.transpose(0, 1);
        if (stride == 1) return transposed.flip(2, 3);
        // Input row 2i + a receives tap k from output row (2i + a − k + 1)/2 when that is whole: phase 0 takes tap 1 from
        // row i; phase 1 takes tap 2 from row i and tap 0 from row i + 1. taps[a, m, k] = 1 where phase a's window row m
        // (row i + m) reads tap k; columns alike.
        var taps = torch.tensor(StrideTwoTaps, new long[] { 2, 2, 3 }, weight.dtype, weight.device);
        return torch.einsum("amk,bnl,cokl->cabomn", taps, taps, transposed).reshape(weight.shape[1] * 4, weight.shape[0], 2, 2);
    }

    // taps[a, m, k] of InputGradientKernel at stride 2, row-major [2, 2, 3]. A constant array rather than element
    // assignments: each assignment passes a temporary Scalar to native code, which the finalizer can free mid-call.
    private static readonly float[] StrideTwoTaps = [0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0];

    /// <summary>Input gradient of a circular convolution from its output gradient.</summary>
    internal static Tensor InputGradientOf(Tensor outputGradient, Tensor weight, int stride)
        => CorrelateWithInputGradientKernel(outputGradient, InputGradientKernel(weight, stride), stride);

    /// <summary>The output gradient padded and correlated with <see cref="InputGradientKernel"/>'s filters (interleaved at stride 2).</summary>
    private static Tensor CorrelateWithInputGradientKernel(Tensor outputGradient, Tensor kernel, int stride)
    {
        if (stride == 1) return nn.functional.conv2d(Pad(outputGradient), kernel);
        var rows = torch.cat(new[] { outputGradient, outputGradient[.., .., ..1, ..] }, 2);
        var wrapped = torch.cat(new[] { rows, rows[.., .., .., ..1] }, 3);
        return nn.functional.pixel_shuffle(nn.functional.conv2d(wrapped, kernel), 2);
    }

    // vars: the convolution's output (passed through), the input, the detached weight, the stride. The input-gradient
    // filters are formed once here, not in every backward pass: a KFAC fit runs one pass per feature through each forward.
    private sealed class InputGradient : torch.autograd.SingleTensorFunction<InputGradient>
    {
        public override string Name => "CircularConvolutionInputGradient";

        public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
        {
            int stride = (int)vars[3];
            ctx.save_for_backward([InputGradientKernel((Tensor)vars[2], stride).contiguous()]);
            ctx.save_data("stride", stride);
            return (Tensor)vars[0];
        }

        public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor gradient)
        {
            var kernel = ctx.get_saved_variables()[0];
            int stride = (int)ctx.get_data("stride");
            return [gradient, CorrelateWithInputGradientKernel(gradient, kernel, stride), null!, null!];
        }
    }
}
