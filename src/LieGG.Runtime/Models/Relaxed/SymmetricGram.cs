using static TorchSharp.torch;

namespace LieGG.Runtime.Models.Relaxed;

/// <summary>
/// XᵀX for rows X [M, e], computing only its upper triangle as strips of 128 columns — Xᵢᵀ X[:, i…] for each strip i —
/// and mirroring the rest: about (k + 1)/2k of the products for k strips. libtorch has no symmetric rank-k update; one
/// thread, M = 500: e = 1024 11.3 → 7.4 ms, e = 512 2.6 → 2.0 ms. Every KFAC factor is such a Gram matrix, and an exact
/// Fisher forms one per site and backward pass.
/// </summary>
internal static class SymmetricGram
{
    private const long Strip = 128;

    public static Tensor Of(Tensor rows)
    {
        long e = rows.shape[1];
        if (e <= Strip) return rows.T.matmul(rows);
        var gram = empty(new[] { e, e }, rows.dtype, rows.device);
        for (long start = 0; start < e; start += Strip)
        {
            long width = Math.Min(Strip, e - start), rest = e - start;
            // [width, rest]: this strip's diagonal block and everything right of it; the part below is its transpose.
            var upper = rows.narrow(1, start, width).T.matmul(rows.narrow(1, start, rest));
            gram.narrow(0, start, width).narrow(1, start, rest).copy_(upper);
            if (rest > width) gram.narrow(0, start + width, rest - width).narrow(1, start, width).copy_(upper.narrow(1, width, rest - width).T);
        }
        return gram;
    }
}
