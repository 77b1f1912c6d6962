using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace LieGG.Runtime;

/// <summary>
/// Runs managed work on libtorch's own OpenMP team: the threads that execute its parallel operators, started by the
/// libgomp that libtorch links. After each parallel region libgomp keeps its workers spinning on their cores for a
/// while, waiting for the next region; a .NET thread started beside them competes with that spin (at two threads on
/// two cores, splitting the polarization's spatial contraction over two .NET threads made the pass slower, not
/// faster). Handing the work to the same team as one more parallel region wakes the spinning worker instead.
/// Falls back to running everything on the calling thread where the team cannot be reached (libtorch without libgomp)
/// or has one thread.
/// </summary>
internal static unsafe class OpenMpTeam
{
    // libgomp's entry point for `#pragma omp parallel`: fn(data) on every thread of the calling thread's team, which
    // it joins before returning (num_threads 0 = the calling thread's default, flags 0 = no proc_bind).
    private static readonly delegate* unmanaged<delegate* unmanaged<nint, void>, nint, uint, uint, void> Parallel = Resolve();

    /// <summary>Whether work runs on libtorch's OpenMP team (else on the calling thread alone).</summary>
    public static bool Available => Parallel != null;

    /// <summary>
    /// Calls <paramref name="body"/>(start, end) over [0, <paramref name="count"/>) in chunks of
    /// <paramref name="grain"/>, which the team's threads take in turn (so a thread slowed by anything else takes
    /// fewer); returns when every chunk is done. The team has <c>torch.get_num_threads()</c> threads, the caller
    /// among them. An exception in any chunk stops the chunks not yet taken and is rethrown here.
    /// </summary>
    public static void For(int count, int grain, Action<int, int> body)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(grain);
        int threads = Parallel == null || count <= grain ? 1 : torch.get_num_threads();
        if (threads <= 1)
        {
            for (int start = 0; start < count; start += grain) body(start, Math.Min(start + grain, count));
            return;
        }
        var job = new Job(count, grain, body);
        var handle = GCHandle.Alloc(job);
        try
        {
            Parallel(&RunChunks, GCHandle.ToIntPtr(handle), (uint)Math.Min(threads, (count + grain - 1) / grain), 0);
        }
        finally
        {
            handle.Free();
        }
        if (job.Failure is { } failure) ExceptionDispatchInfo.Throw(failure);
    }

    private sealed class Job(int count, int grain, Action<int, int> body)
    {
        public readonly int Count = count, Grain = grain;
        public readonly Action<int, int> Body = body;
        public int Next;
        public Exception? Failure;
    }

    // Runs on every thread of the team; an exception must not cross back into libgomp.
    [UnmanagedCallersOnly]
    private static void RunChunks(nint data)
    {
        var job = (Job)GCHandle.FromIntPtr(data).Target!;
        try
        {
            for (int start = Interlocked.Add(ref job.Next, job.Grain) - job.Grain; start < job.Count; start = Interlocked.Add(ref job.Next, job.Grain) - job.Grain)
                job.Body(start, Math.Min(start + job.Grain, job.Count));
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref job.Failure, e, null);
            Volatile.Write(ref job.Next, job.Count);
        }
    }

    // The team is libgomp's per calling thread; libtorch_cpu.so names its libgomp (a renamed copy in the wheels and
    // NuGet packages), and a symbol looked up through its handle comes from that copy, not from any other OpenMP
    // runtime in the process.
    private static delegate* unmanaged<delegate* unmanaged<nint, void>, nint, uint, uint, void> Resolve()
    {
        _ = torch.get_num_threads(); // loads libtorch if nothing has yet
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libtorch_cpu.so", out var libtorch)) return null;
        return NativeLibrary.TryGetExport(libtorch, "GOMP_parallel", out var entry)
            ? (delegate* unmanaged<delegate* unmanaged<nint, void>, nint, uint, uint, void>)entry
            : null;
    }
}
