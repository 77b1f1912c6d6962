using static TorchSharp.torch;

namespace LieGG.Runtime.Models;

/// <summary>
/// A model that propagates input tangents alongside its forward pass (forward-mode differentiation): for
/// inputs x [B, …] and tangents T [B, d, …] it returns F(x) [B, m] and J_F(x)·T [B, d, m]. The polarization
/// matrix uses it to get every output's row for d tangents in one pass instead of m backward passes.
/// </summary>
public interface ITangentModel
{
    Tensor ForwardWithTangents(Tensor input, Tensor tangents, out Tensor outputTangents);

    /// <summary>Whether <see cref="ForwardWithTangents"/> works: a wrapper supports tangents only when what it wraps does.</summary>
    bool SupportsTangents => true;
}
