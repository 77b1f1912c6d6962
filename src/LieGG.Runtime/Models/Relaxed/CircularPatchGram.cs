using static TorchSharp.torch;

namespace LieGG.Runtime.Models.Relaxed;

/// <summary>
/// Σ over maps and positions of a a ᵀ, a the circular 3×3 patch at every position (unfold's channel-major order,
/// entry c·9 + i), without unfolding. Entry (c, i), (c′, j) is Σ_q x_c(q + δ_i − δ_j) x_c′(q), δ_i the offset of patch
/// entry i: it depends on the difference of the two offsets only (circular padding and stride 1 keep every position),
/// so the 81 C² entries come from the 25 channel cross-correlations K[c, c′, Δ] = Σ_q x_c(q + Δ) x_c′(q), Δ ∈ [−2, 2]².
/// Those are one convolution: the maps circularly padded by two, with the map axis as channels and the channels as
/// the batch, correlated with the unpadded maps as filters — a 5×5 output per channel pair, with no patch tensor nine
/// times the map and no shifted copies of it.
/// </summary>
internal static class CircularPatchGram
{
    // For patch entries i, j ∈ 0..8 (δ_i = (i / 3 − 1, i % 3 − 1)): the index of Δ = δ_i − δ_j in the flattened 5×5 output.
    private static readonly long[] OffsetIndex =
        [.. from i in Enumerable.Range(0, 9) from j in Enumerable.Range(0, 9) select (long)((2 + i / 3 - j / 3) * 5 + 2 + i % 3 - j % 3)];

    /// <summary>The patch Gram of maps [M, C, H, W] (circular padding 1, stride 1): [C·9, C·9] in the maps' precision.</summary>
    public static Tensor Of(Tensor maps)
    {
        using var scope = NewDisposeScope();
        long channels = maps.shape[1];
        var byChannel = maps.transpose(0, 1).contiguous(); // [C, M, H, W]: a channel's maps are one sample's input channels
        var correlations = nn.functional.conv2d(PadCircular(byChannel, 2), byChannel); // [C, C′, 5, 5]: K[c, c′, 2 + Δ]
        var entries = correlations.reshape(channels, channels, 25).index_select(2, tensor(OffsetIndex, device: maps.device));
        return entries.reshape(channels, channels, 9, 9).permute(0, 2, 1, 3).reshape(channels * 9, channels * 9).MoveToOuterDisposeScope();
    }

    // Circular padding of the last two axes by `width` on every side, also for maps smaller than the padding.
    private static Tensor PadCircular(Tensor maps, int width)
    {
        Tensor Wrapped(long size) => (arange(-width, size + width, ScalarType.Int64, maps.device) % size + size) % size;
        return maps.index_select(2, Wrapped(maps.shape[2])).index_select(3, Wrapped(maps.shape[3]));
    }
}
