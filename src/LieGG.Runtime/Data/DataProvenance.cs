namespace LieGG.Runtime.Data;

/// <summary>Where a run's data came from and what was done to it, as report.md and result.json record it.</summary>
/// <param name="Source">The digits' origin: the embedded sets, or a directory.</param>
/// <param name="Files">The files read (absolute paths, or embedded resource names).</param>
/// <param name="Rotation">Whether the digits were rotated here, given rotated, or not rotated.</param>
/// <param name="Blur">The blur applied, or "none".</param>
/// <param name="Normalization">The pixel normalisation, or "none".</param>
public sealed record DataProvenance(string Source, IReadOnlyList<string> Files, SplitProvenance Train, SplitProvenance Validation, SplitProvenance Test,
    string Rotation, string Blur, string Normalization)
{
    /// <summary>The images were used as given rotated (files declared or flagged prerotated, or rot-MNIST .amat files); false when rotated here or not at all.</summary>
    public bool GivenRotated { get; init; }
}

/// <summary>One split's size and where its samples were drawn from.</summary>
public sealed record SplitProvenance(int Count, string Origin);
