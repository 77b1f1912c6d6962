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
/// Falls back to running everything on the calling thread where the team cannot be reached (off Linux, libtorch without
/// libgomp) or has one thread.
/// </summary>
internal static unsafe class OpenMpTeam
{
    // libgomp's entry point for `#pragma omp parallel`: fn(data) on every thread of the calling thread's team, which
    // it joins before returning (num_threads 0 = the calling thread's default, flags 0 = no proc_bind).
    private static readonly delegate* unmanaged<delegate* unmanaged<nint, void>, nint, uint, uint, void> Parallel = Resolve();

    /// <summary>Whether work runs on libtorch's OpenMP team (else on the calling thread alone).</summary>
    public static bool Available => Parallel != null;

    /// <summary>
    /// Calls <paramref name="body"/>(start, end) over [0, <paramref name="count"/>) split into one contiguous range per
    /// thread of the team (<c>torch.get_num_threads()</c> threads, the caller among them), fewer where a range would hold
    /// less than <paramref name="minimumPerRange"/>; returns when every range is done. One long range per thread rather
    /// than many small blocks (the polarization's contraction, 8000 digits at two threads: blocks of 32 images taken in
    /// turn cost ≈ 0.5 ms more per pass); the threads take the ranges in turn, so one that arrives late takes none
    /// rather than holding the others up. An exception in any range stops the ranges not yet taken and is rethrown here.
    /// </summary>
    public static void For(int count, int minimumPerRange, Action<int, int> body)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minimumPerRange);
        if (count == 0) return;
        int ranges = Parallel == null ? 1 : Math.Min(torch.get_num_threads(), Math.Max(1, count / minimumPerRange));
        if (ranges <= 1)
        {
            body(0, count);
            return;
        }
        var job = new Job(count, ranges, body);
        var handle = GCHandle.Alloc(job);
        try
        {
            Parallel(&RunRanges, GCHandle.ToIntPtr(handle), (uint)ranges, 0);
        }
        finally
        {
            handle.Free();
        }
        if (job.Failure is { } failure) ExceptionDispatchInfo.Throw(failure);
    }

    private sealed class Job(int count, int ranges, Action<int, int> body)
    {
        public readonly int Count = count, Ranges = ranges;
        public readonly Action<int, int> Body = body;
        public int Next;
        public Exception? Failure;

        public int Start(int range) => (int)((long)Count * range / Ranges);
    }

    // Runs on every thread of the team; an exception must not cross back into libgomp.
    [UnmanagedCallersOnly]
    private static void RunRanges(nint data)
    {
        var job = (Job)GCHandle.FromIntPtr(data).Target!;
        try
        {
            for (int range = Interlocked.Increment(ref job.Next) - 1; range < job.Ranges; range = Interlocked.Increment(ref job.Next) - 1)
                job.Body(job.Start(range), job.Start(range + 1));
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref job.Failure, e, null);
            Volatile.Write(ref job.Next, job.Ranges);
        }
    }

    // The team is libgomp's per calling thread; libtorch_cpu.so names its libgomp (a renamed copy in the wheels and
    // NuGet packages), and a symbol looked up through its handle comes from that copy, not from any other OpenMP
    // runtime in the process. RTLD_NOLOAD: the libtorch already loaded or none, never a second copy from the search path.
    private static delegate* unmanaged<delegate* unmanaged<nint, void>, nint, uint, uint, void> Resolve()
    {
        if (!OperatingSystem.IsLinux()) return null;
        _ = torch.get_num_threads(); // loads libtorch if nothing has yet
        nint libtorch;
        try { libtorch = NativeMethods.dlopen("libtorch_cpu.so", NativeMethods.RtldLazy | NativeMethods.RtldNoload); }
        catch (EntryPointNotFoundException) { return null; } // a glibc older than 2.34 keeps dlopen in libdl
        return libtorch != 0 && NativeLibrary.TryGetExport(libtorch, "GOMP_parallel", out var entry)
            ? (delegate* unmanaged<delegate* unmanaged<nint, void>, nint, uint, uint, void>)entry
            : null;
    }

    private static class NativeMethods
    {
        public const int RtldLazy = 0x1, RtldNoload = 0x4;

        [DllImport("libc", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        internal static extern nint dlopen(string file, int mode);
    }
}
