using LieGG.Runtime.Experiments;

namespace LieGG.Runtime.Studies;

/// <summary>How a study is run.</summary>
public sealed record StudyRunOptions
{
    public required string Output { get; init; }

    public Shard? Shard { get; init; }

    /// <summary>Run only the trial with this grid index (a <c>study --jobs</c> worker, or one array-job task).</summary>
    public int? Trial { get; init; }

    /// <summary>Applied to every trial (Quick, Threads, Device, DataDirectory; the trial's own seed wins).</summary>
    public ExperimentRunOptions Run { get; init; } = new();
}
