namespace LieGG.Runtime.Orchestration;

/// <summary>Whether a claim's holder may still be working on its trial, and if not, why.</summary>
/// <param name="Stale">True when the claim can be taken over.</param>
public sealed record ClaimJudgement(bool Stale, string Reason);

/// <summary>
/// Decides whether a claim is stale, strongest evidence first: on the holder's own host, whether its process still
/// exists (same id and start time); under Slurm, whether its job is still queued or running; everywhere, whether it
/// renewed the claim (the claim file's modification time) within its lease. A holder on another host that cannot be
/// asked directly is judged by its lease alone.
/// </summary>
public sealed class ClaimLiveness(Func<string, bool?> slurmJobActive)
{
    /// <summary>Asks the local Slurm (squeue) about jobs, where there is one.</summary>
    public static ClaimLiveness Default { get; } = new(SlurmQueue.IsActive);

    public ClaimJudgement Judge(ClaimOwner owner, DateTime lastRenewalUtc, DateTime nowUtc)
    {
        if (owner.Host == ClaimOwner.HostName)
        {
            var start = ClaimOwner.ProcessStartOf(owner.ProcessId);
            if (start is null || (owner.ProcessStart is { Length: > 0 } recorded && start.Length > 0 && start != recorded))
                return new(true, $"its holder, {owner.Describe()}, has exited");
        }
        if (owner.SlurmJob is { } job && slurmJobActive(job) == false)
            return new(true, $"its holder's Slurm job {job} is no longer queued or running ({owner.Describe()})");
        var silent = nowUtc - lastRenewalUtc;
        if (silent > owner.Lease)
            return new(true, $"its holder, {owner.Describe()}, has not renewed it for {Minutes(silent)} (lease {Minutes(owner.Lease)})");
        return new(false, $"held by {owner.Describe()} since {owner.ClaimedAt:u}, renewed {Minutes(silent)} ago");
    }

    internal static string Minutes(TimeSpan span) => span.TotalSeconds < 120
        ? $"{Math.Max(0, span.TotalSeconds):F0} s"
        : $"{span.TotalMinutes:F1} min";
}
