using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Models;

/// <summary>
/// Reverse-mode counterparts of <see cref="OutputTangents"/>: the gradient of Σ_o transform(z)_o with respect to the
/// outputs z [B, m], written out. A summed polarization pass needs only this vector per sample; taking it through
/// autograd (normalisation forward, its backward: about a dozen operators on a [B, m] tensor per batch) cost ≈ 2 ms per
/// 8000 digits at one and two threads, as much as the spatial contraction.
/// </summary>
public static class OutputCotangents
{
    /// <summary>The clamp <c>nn.functional.normalize</c> puts under ‖z‖.</summary>
    public const double NormFloor = 1e-12;

    /// <summary>
    /// ∂/∂z Σ_o z_o / max(‖z‖, ε) per row: (1 − z_o Σz / ‖z‖²) / ‖z‖, or 1/ε where ‖z‖ &lt; ε (the clamp holds the norm
    /// fixed there). Each row is summed and evaluated in float64 and rounded once to z's precision. False, with no
    /// cotangent, for outputs off the CPU or in neither float32 nor float64.
    /// </summary>
    public static bool TrySumOfL2Normalized(Tensor z, out Tensor cotangent)
    {
        cotangent = null!;
        if (z.device_type != DeviceType.CPU || z.dim() != 2) return false;
        var values = z.detach().contiguous();
        switch (values.dtype)
        {
            case ScalarType.Float32:
                cotangent = SumOfL2Normalized<float>(values);
                return true;
            case ScalarType.Float64:
                cotangent = SumOfL2Normalized<double>(values);
                return true;
            default:
                return false;
        }
    }

    private static Tensor SumOfL2Normalized<T>(Tensor z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = (int)z.shape[0], columns = (int)z.shape[1];
        var result = torch.empty(z.shape, dtype: z.dtype);
        var source = MemoryMarshal.Cast<byte, T>(z.bytes);
        var target = MemoryMarshal.Cast<byte, T>(result.bytes);
        for (int r = 0; r < rows; r++)
        {
            var row = source.Slice(r * columns, columns);
            double squares = 0, sum = 0;
            foreach (var value in row)
            {
                double v = double.CreateTruncating(value);
                squares += v * v;
                sum += v;
            }
            double norm = Math.Sqrt(squares);
            var output = target.Slice(r * columns, columns);
            for (int o = 0; o < columns; o++)
                output[o] = T.CreateTruncating(norm < NormFloor ? 1 / NormFloor : (1 - double.CreateTruncating(row[o]) * sum / squares) / norm);
        }
        return result;
    }
}
