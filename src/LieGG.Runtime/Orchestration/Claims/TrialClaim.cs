using LieGG.Runtime.Studies;

namespace LieGG.Runtime.Orchestration;

/// <summary>What came of trying to claim a trial: the claim, or who holds it.</summary>
public sealed record ClaimAttempt(TrialClaim? Claim, string? HeldBy);

/// <summary>
/// The right to train one study trial, held by one process at a time among any number of processes on any number of
/// machines sharing the output folder. A claim is a file in the trial's folder created exclusively (O_CREAT|O_EXCL,
/// atomic on local file systems and on NFS v3 and later), holding its <see cref="ClaimOwner"/>. The holder renews it
/// (the file's modification time) every fifth of its lease. A stale claim — its holder exited, its Slurm job ended, or
/// it went unrenewed past its lease — is taken over by renaming it aside (a rename succeeds for exactly one of several
/// processes racing to do it) and claiming afresh; the taker then checks it renamed the claim it judged stale, not a
/// newer one. A holder that finds its claim gone or replaced has lost the trial: <see cref="Lost"/> is cancelled and it
/// must not write a result.
/// </summary>
public sealed class TrialClaim : IDisposable
{
    /// <summary>The claim's file in the trial folder.</summary>
    public const string FileName = ".trial-claim";

    /// <summary>How long a holder on another host may go without renewing before its claim is taken over.</summary>
    public static TimeSpan DefaultLease => StudyRunOptions.DefaultLease;

    private readonly CancellationTokenSource lost = new();
    private readonly Timer renewal;
    private readonly object gate = new();
    private bool released;

    private TrialClaim(string folder, ClaimOwner owner, string? tookOver)
    {
        Folder = folder;
        Owner = owner;
        TookOver = tookOver;
        var interval = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, owner.Lease.Ticks / 5));
        renewal = new Timer(_ => Renew(), null, interval, interval);
    }

    public string Folder { get; }

    public ClaimOwner Owner { get; }

    /// <summary>Why the previous holder's claim was taken over ("its holder, pid 12 on node3, has exited"); null when there was none.</summary>
    public string? TookOver { get; }

    /// <summary>Cancelled when a renewal finds the claim no longer this holder's.</summary>
    public CancellationToken Lost => lost.Token;

    public static string PathIn(string trialFolder) => Path.Combine(trialFolder, FileName);

    /// <summary>Claims the trial in <paramref name="trialFolder"/> (creating the folder), taking over a stale claim.</summary>
    public static ClaimAttempt TryClaim(string trialFolder, TimeSpan lease, ClaimLiveness? liveness = null)
    {
        liveness ??= ClaimLiveness.Default;
        Directory.CreateDirectory(trialFolder);
        var path = PathIn(trialFolder);
        string? tookOver = null;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            var owner = ClaimOwner.Current(lease);
            if (TryCreate(path, owner)) return new(new TrialClaim(trialFolder, owner, tookOver), null);

            var (existing, renewed) = Read(path);
            if (renewed is null) continue; // released between our create and our read: try again
            var now = DateTime.UtcNow;
            ClaimJudgement judgement;
            if (existing is null)
            {
                // Created, its owner not yet written: a claim being made right now, unless it has stayed empty for long.
                if (now - renewed.Value < TimeSpan.FromSeconds(30)) return new(null, "being claimed right now by another process");
                judgement = new(true, "its claim file was left unreadable");
            }
            else
            {
                judgement = liveness.Judge(existing, renewed.Value, now);
                if (!judgement.Stale) return new(null, judgement.Reason);
            }

            var aside = Path.Combine(trialFolder, $"{FileName}.superseded-{Guid.NewGuid():N}");
            try
            {
                File.Move(path, aside);
            }
            catch (FileNotFoundException)
            {
                continue; // another process took it over first
            }
            var moved = ClaimOwner.Parse(SafeRead(aside) ?? "");
            if (moved?.Token != existing?.Token)
            {
                // Between our judgement and our rename another process took the stale claim over: we moved its fresh
                // claim. Put it back unless a third claim is there already; its holder, finding its claim gone, stops.
                try
                {
                    File.Move(aside, path, overwrite: false);
                }
                catch (IOException)
                {
                    File.Delete(aside);
                }
                return new(null, "taken over by another process just now");
            }
            File.Delete(aside);
            tookOver = judgement.Reason;
        }
        return new(null, "contended by other processes; try again");
    }

    /// <summary>Whether the claim file still holds this claim.</summary>
    public bool IsHeld() => Read(PathIn(Folder)).Owner?.Token == Owner.Token;

    /// <summary>Removes the claim if it is still this holder's; stops renewing it.</summary>
    public void Release()
    {
        lock (gate)
        {
            if (released) return;
            released = true;
        }
        renewal.Dispose();
        try
        {
            if (IsHeld()) File.Delete(PathIn(Folder));
        }
        catch (IOException)
        {
            // Left behind, it goes stale with this process and is taken over.
        }
    }

    public void Dispose()
    {
        Release();
        lost.Dispose();
    }

    private void Renew()
    {
        lock (gate)
        {
            if (released) return;
            try
            {
                if (!IsHeld())
                {
                    lost.Cancel();
                    return;
                }
                File.SetLastWriteTimeUtc(PathIn(Folder), DateTime.UtcNow);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A shared file system that hiccups: the next renewal tries again, well within the lease.
            }
        }
    }

    private static bool TryCreate(string path, ClaimOwner owner)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
        try
        {
            using (stream)
            {
                stream.Write(System.Text.Encoding.UTF8.GetBytes(owner.ToJson() + "\n"));
                stream.Flush(flushToDisk: true);
            }
            return true;
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>The claim file's holder (null when unreadable or mid-write) and its last renewal (null when there is no claim).</summary>
    public static (ClaimOwner? Owner, DateTime? Renewed) Read(string path)
    {
        try
        {
            var renewed = File.GetLastWriteTimeUtc(path);
            var text = SafeRead(path);
            if (text is null || !File.Exists(path)) return (null, null);
            return (ClaimOwner.Parse(text), renewed);
        }
        catch (IOException)
        {
            return (null, null);
        }
    }

    private static string? SafeRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
