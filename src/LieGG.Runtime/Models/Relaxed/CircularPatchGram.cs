using static TorchSharp.torch;

namespace LieGG.Runtime.Models.Relaxed;

/// <summary>
/// Σ over maps and positions of a a ᵀ, a the circular 3×3 patch at every position (unfold's channel-major order,
/// entry c·9 + i), without unfolding. Entry (c, i), (c′, j) is Σ_q x_c(q) x_c′(q + δ_j − δ_i), δ_i the offset of patch
/// entry i: it depends on the difference of the two offsets only (circular padding and stride 1 keep every position),
/// so the 81 C² entries come from 25 channel cross-products K_Δ = Σ_q x(q) x(q + Δ)ᵀ, of which the 13 with Δ ≥ 0 are
/// formed (K_−Δ = K_Δᵀ) in one matrix product of the channels-last rows with their 13 shifted copies: 13 C² products
/// per position instead of the im2col Gram's 81 C², and no patch tensor nine times the map.
/// </summary>
internal static class CircularPatchGram
{
    // The 25 offsets Δ = δ_j − δ_i, the 13 formed first: Δ > 0 lexicographically, then Δ = 0.
    private static readonly (int Row, int Column)[] Formed =
        [.. from r in Enumerable.Range(-2, 5) from c in Enumerable.Range(-2, 5) where r > 0 || (r == 0 && c >= 0) select (r, c)];

    // Index into [formed..., mirrored...] of δ_j − δ_i for patch entries i, j ∈ 0..8 (δ_i = (i / 3 − 1, i % 3 − 1)).
    private static readonly long[] OffsetIndex = BuildOffsetIndex();

    private static long[] BuildOffsetIndex()
    {
        var index = new long[81];
        for (int i = 0; i < 9; i++)
            for (int j = 0; j < 9; j++)
            {
                int row = j / 3 - i / 3, column = j % 3 - i % 3;
                int formed = Array.IndexOf(Formed, (row, column));
                index[i * 9 + j] = formed >= 0 ? formed : Formed.Length + Array.IndexOf(Formed, (-row, -column));
            }
        return index;
    }

    /// <summary>The patch Gram of maps [M, C, H, W] (circular padding 1, stride 1): [C·9, C·9] in the maps' precision.</summary>
    public static Tensor Of(Tensor maps)
    {
        using var scope = NewDisposeScope();
        long channels = maps.shape[1];
        var positions = maps.permute(0, 2, 3, 1).contiguous(); // [M, H, W, C]
        var rows = positions.reshape(-1, channels);
        // x(q + Δ) at q: the maps rolled by −Δ.
        var shifted = cat(Formed.Select(d => d == (0, 0) ? rows : positions.roll([-d.Row, -d.Column], [1, 2]).reshape(-1, channels)).ToArray(), 1);
        var formed = rows.T.matmul(shifted).reshape(channels, Formed.Length, channels).transpose(0, 1); // [13, C, C′]: K_Δ
        var offsets = cat([formed, formed.transpose(1, 2)], 0); // then K_−Δ = K_Δᵀ
        var blocks = offsets.index_select(0, tensor(OffsetIndex, device: maps.device)).reshape(9, 9, channels, channels);
        return blocks.permute(2, 0, 3, 1).reshape(channels * 9, channels * 9).MoveToOuterDisposeScope();
    }
}
