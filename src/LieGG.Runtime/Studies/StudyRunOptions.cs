using LieGG.Runtime.Experiments;

namespace LieGG.Runtime.Studies;

/// <summary>How a study is run.</summary>
public sealed record StudyRunOptions
{
    public required string Output { get; init; }

    public Shard? Shard { get; init; }

    /// <summary>Run only the trial with this grid index (a <c>study --jobs</c> worker, or one array-job task).</summary>
    public int? Trial { get; init; }

    /// <summary>How long a claim's holder on another host may go without renewing it before the claim is taken over.</summary>
    public TimeSpan Lease { get; init; } = DefaultLease;

    /// <summary>Ten minutes: renewed every two, a claim survives a slow shared file system, and a trial abandoned on another host waits at most this long.</summary>
    public static readonly TimeSpan DefaultLease = TimeSpan.FromMinutes(10);

    /// <summary>Applied to every trial (Quick, Threads, Device, DataDirectory; the trial's own seed wins).</summary>
    public ExperimentRunOptions Run { get; init; } = new();
}
