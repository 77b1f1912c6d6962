
namespace LieGG.Runtime.Experiments;

/// <summary>A dataset split by name.</summary>
public enum SplitName
{
    Train,
    Validation,
    Test,
    /// <summary>Train, validation and test together, in that order (the LieGG authors' O(5) polarization matrix).</summary>
    All,
}
