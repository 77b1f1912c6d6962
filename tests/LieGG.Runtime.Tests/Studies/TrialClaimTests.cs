using System.Diagnostics;
using LieGG.Runtime.Orchestration;

namespace LieGG.Runtime.Tests.Studies;

public sealed class TrialClaimTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("liegg-claim-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>No Slurm in these tests: a job is whatever the test says.</summary>
    private static ClaimLiveness Liveness(bool? jobActive = null) => new(_ => jobActive);

    /// <summary>A claim file as another holder would have left it, last renewed <paramref name="renewedAgo"/> ago.</summary>
    private string Plant(ClaimOwner owner, TimeSpan renewedAgo)
    {
        Directory.CreateDirectory(folder);
        var path = TrialClaim.PathIn(folder);
        File.WriteAllText(path, owner.ToJson());
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - renewedAgo);
        return path;
    }

    private static ClaimOwner Foreign(string host = "node-elsewhere", string? job = null, double leaseSeconds = 600) =>
        new(Guid.NewGuid().ToString("N"), host, 4242, "123", job, DateTimeOffset.UtcNow.AddHours(-1), leaseSeconds);

    [Fact]
    public void Of_many_threads_claiming_one_trial_at_once_exactly_one_gets_it()
    {
        for (int round = 0; round < 20; round++)
        {
            var trial = Path.Combine(folder, $"trial-{round}");
            var attempts = new ClaimAttempt[16];
            using var start = new Barrier(attempts.Length);
            // Threads of their own: sixteen pool threads blocked at the barrier would wait for the pool to grow (about
            // one new thread per half second on two cores) and starve the tests running beside this one meanwhile.
            var threads = Enumerable.Range(0, attempts.Length).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                attempts[i] = TrialClaim.TryClaim(trial, TimeSpan.FromMinutes(10), Liveness());
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.Single(attempts, a => a.Claim is not null);
            Assert.All(attempts.Where(a => a.Claim is null), a => Assert.False(string.IsNullOrEmpty(a.HeldBy)));
            foreach (var attempt in attempts) attempt.Claim?.Dispose();
        }
    }

    [Fact]
    public void A_claim_of_a_process_that_exited_on_this_host_is_taken_over_at_once()
    {
        using var exited = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        exited.WaitForExit();
        Plant(new ClaimOwner("dead", ClaimOwner.HostName, exited.Id, "1", null, DateTimeOffset.UtcNow, 600), TimeSpan.Zero);

        using var claim = TrialClaim.TryClaim(folder, TimeSpan.FromMinutes(10), Liveness()).Claim;

        Assert.NotNull(claim);
        Assert.Contains($"pid {exited.Id} on {ClaimOwner.HostName}, has exited", claim.TookOver);
        Assert.True(claim.IsHeld());
        Assert.Empty(Directory.GetFiles(folder, TrialClaim.FileName + ".superseded-*"));
    }

    [Fact]
    public void A_live_process_keeps_its_claim_even_past_its_lease_on_this_host()
    {
        // This very process, its claim unrenewed for an hour: the process is there, so the claim is not stale.
        var self = ClaimOwner.Current(TimeSpan.FromMinutes(1));
        Plant(self, TimeSpan.FromHours(1));
        var judgement = Liveness().Judge(self, DateTime.UtcNow - TimeSpan.FromHours(1), DateTime.UtcNow);
        Assert.True(judgement.Stale, "past its lease a holder is stale even when its process lives: it stopped renewing");

        Plant(self, TimeSpan.FromSeconds(5));
        var attempt = TrialClaim.TryClaim(folder, TimeSpan.FromMinutes(10), Liveness());
        Assert.Null(attempt.Claim);
        Assert.Contains($"pid {Environment.ProcessId}", attempt.HeldBy);
    }

    [Fact]
    public void A_claim_from_another_host_is_held_within_its_lease_and_taken_over_after_it()
    {
        var owner = Foreign(leaseSeconds: 60);
        Plant(owner, TimeSpan.FromSeconds(30));
        var held = TrialClaim.TryClaim(folder, TimeSpan.FromMinutes(10), Liveness());
        Assert.Null(held.Claim);
        Assert.Contains("node-elsewhere", held.HeldBy);

        Plant(owner, TimeSpan.FromSeconds(90));
        using var claim = TrialClaim.TryClaim(folder, TimeSpan.FromMinutes(10), Liveness()).Claim;
        Assert.NotNull(claim);
        Assert.Contains("has not renewed it for 90 s (lease 60 s)", claim.TookOver);
    }

    [Fact]
    public void A_claim_whose_slurm_job_ended_is_taken_over_before_its_lease_and_an_unknown_job_waits_for_the_lease()
    {
        Plant(Foreign(job: "77"), TimeSpan.FromSeconds(5));
        Assert.Null(TrialClaim.TryClaim(folder, TimeSpan.FromMinutes(10), Liveness(jobActive: null)).Claim);
        Assert.Null(TrialClaim.TryClaim(folder, TimeSpan.FromMinutes(10), Liveness(jobActive: true)).Claim);

        using var claim = TrialClaim.TryClaim(folder, TimeSpan.FromMinutes(10), Liveness(jobActive: false)).Claim;
        Assert.NotNull(claim);
        Assert.Contains("Slurm job 77 is no longer queued or running", claim.TookOver);
    }

    [Fact]
    public void A_claim_file_being_written_counts_as_held_and_one_left_empty_is_taken_over()
    {
        Directory.CreateDirectory(folder);
        var path = TrialClaim.PathIn(folder);
        File.WriteAllText(path, "");
        Assert.Null(TrialClaim.TryClaim(folder, TimeSpan.FromMinutes(10), Liveness()).Claim);

        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - TimeSpan.FromMinutes(5));
        using var claim = TrialClaim.TryClaim(folder, TimeSpan.FromMinutes(10), Liveness()).Claim;
        Assert.NotNull(claim);
        Assert.Contains("unreadable", claim.TookOver);
    }

    [Fact]
    public void The_holder_renews_its_claim_and_learns_when_it_was_taken_over()
    {
        using var claim = TrialClaim.TryClaim(folder, TimeSpan.FromSeconds(5), Liveness()).Claim!;
        var path = TrialClaim.PathIn(folder);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - TimeSpan.FromHours(1));
        Assert.True(SpinWait.SpinUntil(() => DateTime.UtcNow - File.GetLastWriteTimeUtc(path) < TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10)), "renewed within a fifth of its lease (1 s)");
        Assert.False(claim.Lost.IsCancellationRequested);

        // Another process takes it over (as after a lease expired on a hung holder): the holder notices at its next renewal.
        File.WriteAllText(path, Foreign(ClaimOwner.HostName).ToJson());
        Assert.True(claim.Lost.WaitHandle.WaitOne(TimeSpan.FromSeconds(10)), "the holder learnt it lost the claim");
        Assert.False(claim.IsHeld());

        // Releasing a lost claim leaves the new holder's claim alone.
        claim.Release();
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void Releasing_removes_the_claim_so_the_next_process_claims_without_a_takeover()
    {
        TrialClaim.TryClaim(folder, TimeSpan.FromMinutes(10), Liveness()).Claim!.Dispose();
        Assert.False(File.Exists(TrialClaim.PathIn(folder)));
        using var next = TrialClaim.TryClaim(folder, TimeSpan.FromMinutes(10), Liveness()).Claim;
        Assert.NotNull(next);
        Assert.Null(next.TookOver);
    }
}
