namespace LieGG.Runtime.Models.Relaxed;

/// <summary>A network whose linear maps KFAC can see: every <see cref="KfacSite"/> records its input and output while capturing.</summary>
public interface IKfacNetwork
{
    /// <summary>Every linear map with its weight and bias, in forward order.</summary>
    IReadOnlyList<KfacSite> Sites { get; }

    /// <summary>Turns activation capture on or off in every site (off clears what was captured).</summary>
    void SetCapture(bool capturing);

    /// <summary>
    /// The index of a site whose input carries everything the sites before it contribute to the output (the first layer
    /// of a head on pooled features), or −1 where there is none. The exact Fisher then reaches the earlier sites through
    /// that input: one backward pass per feature there instead of one per class, where the features are fewer.
    /// </summary>
    int BottleneckSite => -1;
}
