namespace LieGG.Runtime.Models.Relaxed;

/// <summary>A network whose linear maps KFAC can see: every <see cref="KfacSite"/> records its input and output while capturing.</summary>
public interface IKfacNetwork
{
    /// <summary>Every linear map with its weight and bias, in forward order.</summary>
    IReadOnlyList<KfacSite> Sites { get; }

    /// <summary>Turns activation capture on or off in every site (off clears what was captured).</summary>
    void SetCapture(bool capturing);
}
