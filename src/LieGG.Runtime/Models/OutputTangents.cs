using static TorchSharp.torch;

namespace LieGG.Runtime.Models;

/// <summary>Forward-mode derivatives of the output transforms: outputs [B, m], tangents [B, d, m].</summary>
public static class OutputTangents
{
    /// <summary>y = z/‖z‖, dy = (dz − y⟨y, dz⟩)/‖z‖.</summary>
    public static Tensor L2Normalize(Tensor z, Tensor dz, out Tensor dy)
    {
        var norm = z.norm(1, keepdim: true).clamp_min(1e-12);
        var y = z / norm;
        var projection = (dz * y.unsqueeze(1)).sum(2, keepdim: true);
        dy = (dz - projection * y.unsqueeze(1)) / norm.unsqueeze(1);
        return y;
    }

    /// <summary>s = softmax(z), ds = s ⊙ (dz − ⟨s, dz⟩).</summary>
    public static Tensor Softmax(Tensor z, Tensor dz, out Tensor ds)
    {
        var s = z.softmax(1);
        var mean = (dz * s.unsqueeze(1)).sum(2, keepdim: true);
        ds = s.unsqueeze(1) * (dz - mean);
        return s;
    }

    /// <summary>l = log_softmax(z), dl = dz − ⟨softmax(z), dz⟩.</summary>
    public static Tensor LogSoftmax(Tensor z, Tensor dz, out Tensor dl)
    {
        var s = z.softmax(1);
        dl = dz - (dz * s.unsqueeze(1)).sum(2, keepdim: true);
        return z.log_softmax(1);
    }
}
