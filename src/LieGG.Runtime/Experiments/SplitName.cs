
namespace LieGG.Runtime.Experiments;

/// <summary>A dataset split by name.</summary>
public enum SplitName
{
    Train,
    Validation,
    Test,
}
