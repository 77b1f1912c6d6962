using static TorchSharp.torch;

namespace LieGG.Runtime.Models.Relaxed;

/// <summary>
/// The layouts of p4 maps inside a <see cref="RelaxedBlock"/>: one tensor [N, C·4, S, S] (channel-major, rotation
/// minor) for the G-CONV pathway, or a batch of 4·N planar maps [N·4, C, S, S] (copy r of sample n is map n·4 + r) for
/// the pathways that act on each rotation copy with the same weights.
/// </summary>
internal static class P4Maps
{
    private const int Rotations = GroupConvPathway.Rotations;

    /// <summary>[N, C·4, S, S] → [N·4, C, S, S].</summary>
    public static Tensor Split(Tensor maps)
    {
        long n = maps.shape[0], channels = maps.shape[1] / Rotations, size = maps.shape[2];
        return maps.view(n, channels, Rotations, size, size).transpose(1, 2).reshape(n * Rotations, channels, size, size);
    }

    /// <summary>[N·4, C, S, S] → [N, C·4, S, S], the inverse of <see cref="Split"/>.</summary>
    public static Tensor Merge(Tensor maps, long samples)
    {
        long channels = maps.shape[1], size = maps.shape[2];
        return maps.view(samples, Rotations, channels, size, size).transpose(1, 2).reshape(samples, channels * Rotations, size, size);
    }

    /// <summary>[N, C, S, S] → [N, C·4, S, S] with every rotation copy the same planar map.</summary>
    public static Tensor Repeat(Tensor maps) => maps.repeat_interleave(Rotations, 1);

    /// <summary>[N, C·4, S, S] → [N, C, S, S], the sum over the copies: the adjoint of <see cref="Repeat"/>, which carries a gradient back.</summary>
    public static Tensor SumOverRotations(Tensor maps)
    {
        long n = maps.shape[0], channels = maps.shape[1] / Rotations, size = maps.shape[2];
        return maps.view(n, channels, Rotations, size, size).sum(2);
    }
}
