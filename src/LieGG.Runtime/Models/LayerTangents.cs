using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LieGG.Runtime.Models;

/// <summary>
/// Jacobian–vector products of the layer types the built-in networks use, propagated as tangents beside the forward
/// pass (forward-mode differentiation by hand): tangents v [B, k, …] for inputs x [B, …] give J·v [B, k, …]. Each is
/// checked against the double-backward product the equivariance analysis falls back to for other layers.
/// </summary>
internal static class LayerTangents
{
    /// <summary>[B, k, …] → [B·k, …], so a layer's linear part can run on all tangents as one batch.</summary>
    public static Tensor Fold(Tensor tangents) => tangents.reshape(new[] { tangents.shape[0] * tangents.shape[1] }.Concat(tangents.shape.Skip(2)).ToArray());

    /// <summary>[B·k, …] → [B, k, …].</summary>
    public static Tensor Unfold(Tensor folded, long batch) => folded.reshape(new[] { batch, folded.shape[0] / batch }.Concat(folded.shape.Skip(1)).ToArray());

    /// <summary>A map that is linear in its input (no bias) applied to every tangent.</summary>
    public static Tensor Linear(Func<Tensor, Tensor> map, Tensor tangents) => Unfold(map(Fold(tangents)), tangents.shape[0]);

    /// <summary>An affine map's linear part, f(v) − f(0), applied to every tangent (exact up to the round-off of adding and removing the offset).</summary>
    public static Tensor Affine(Func<Tensor, Tensor> map, Tensor tangents)
    {
        var folded = Fold(tangents);
        return Unfold(map(folded) - map(torch.zeros_like(folded[..1])), tangents.shape[0]);
    }

    /// <summary>Batch norm in evaluation mode scales channel c (axis 1 of the features, axis 2 of the tangents) by γ_c / √(var_c + ε).</summary>
    public static Tensor BatchNorm(Tensor weight, Tensor runningVariance, double epsilon, Tensor tangents)
    {
        var scale = weight / (runningVariance + epsilon).sqrt();
        var shape = new long[tangents.dim()];
        Array.Fill(shape, 1L);
        shape[2] = scale.shape[0];
        return tangents * scale.to(tangents.dtype).view(shape);
    }

    public static Tensor BatchNorm(BatchNorm2d norm, Tensor tangents) => BatchNorm(norm.weight!, norm.running_var!, norm.eps, tangents);

    public static Tensor BatchNorm(BatchNorm3d norm, Tensor tangents) => BatchNorm(norm.weight!, norm.running_var!, norm.eps, tangents);

    /// <summary>ReLU at pre-activations z [B, …]: tangents pass where z &gt; 0.</summary>
    public static Tensor Relu(Tensor preActivation, Tensor tangents) => tangents * preActivation.gt(0).unsqueeze(1).to(tangents.dtype);

    /// <summary>2×2 max pooling (stride 2) over the last two axes of x [B, …, H, W]: the output, and each tangent taken at the maxima.</summary>
    public static (Tensor Output, Tensor Tangents) MaxPool(Tensor x, Tensor tangents)
    {
        long batch = x.shape[0], k = tangents.shape[1], height = x.shape[^2], width = x.shape[^1];
        var maps = x.reshape(batch, -1, height, width);
        var (output, indices) = nn.functional.max_pool2d_with_indices(maps, new long[] { 2, 2 }, new long[] { 2, 2 });
        var flatIndices = indices.flatten(2).unsqueeze(1).expand(batch, k, -1, -1);
        var picked = tangents.reshape(batch, k, maps.shape[1], height * width).gather(3, flatIndices);
        var shape = x.shape.ToArray();
        shape[^2] = output.shape[^2];
        shape[^1] = output.shape[^1];
        return (output.reshape(shape), picked.reshape(new[] { batch, k }.Concat(shape.Skip(1)).ToArray()));
    }

    /// <summary>The maximum over <paramref name="axis"/> of x [B, …] and each tangent taken at the maximum.</summary>
    public static (Tensor Output, Tensor Tangents) Max(Tensor x, Tensor tangents, int axis)
    {
        var (output, indices) = x.max(axis, keepdim: true);
        var expanded = indices.unsqueeze(1).expand(new[] { x.shape[0], tangents.shape[1] }.Concat(indices.shape.Skip(1)).ToArray());
        return (output.squeeze(axis), tangents.gather(axis + 1, expanded).squeeze(axis + 1));
    }
}
