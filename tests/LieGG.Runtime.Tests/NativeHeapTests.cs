using System.Runtime.InteropServices;

namespace LieGG.Runtime.Tests;

/// <summary>
/// A training step's pattern of native allocations — blocks of a few MB, each written in full, freed in reverse — repeated
/// on one thread. With glibc's default thresholds about 83 % of the pages of every step are faulted in afresh (the freed
/// blocks went back to the kernel); with <see cref="NativeHeap"/>'s none are.
/// </summary>
public sealed partial class NativeHeapTests
{
    private const int RusageThread = 1;
    private const int MinorFaultsField = 8; // ru_minflt: after two timevals (four longs) and four longs

    [LibraryImport("libc")]
    private static partial int getrusage(int who, [Out] long[] usage);

    private static long MinorFaultsOfThisThread()
    {
        var usage = new long[18];
        Assert.Equal(0, getrusage(RusageThread, usage));
        return usage[MinorFaultsField];
    }

    // One training step's activations and their gradients, in MiB.
    private static readonly long[] StepSizes = [.. new[] { 6.9, 6.9, 13.8, 3.4, 6.9, 1.7, 0.5 }.Select(mb => (long)(mb * 1024 * 1024))];

    [SkippableFact]
    public void Freed_tensor_sized_blocks_are_reused_without_page_faults()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "glibc's malloc thresholds are Linux-only");
        NativeHeap.KeepFreedMemory();
        Skip.IfNot(NativeHeap.Applied, "this process's environment tunes malloc itself, or its C library is not glibc");
        long[] sizes = StepSizes;
        long pagesPerStep = sizes.Sum() / Environment.SystemPageSize;
        double faultsPerStep = 0;
        // A thread of its own: its faults are its own, whatever other tests allocate meanwhile.
        var thread = new Thread(() =>
        {
            Step(sizes);
            long before = MinorFaultsOfThisThread();
            const int steps = 20;
            for (int i = 0; i < steps; i++) Step(sizes);
            faultsPerStep = (MinorFaultsOfThisThread() - before) / (double)steps;
        });
        thread.Start();
        thread.Join();
        // A tenth, not zero: another test's allocations in the same arena may make a step extend the heap now and then.
        Assert.True(faultsPerStep < 0.1 * pagesPerStep, $"{faultsPerStep:F0} page faults per step of {pagesPerStep} pages: freed blocks went back to the kernel");
    }

    [SkippableFact]
    public void Released_free_memory_is_faulted_in_again()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "glibc's malloc_trim is Linux-only");
        NativeHeap.KeepFreedMemory();
        Skip.IfNot(NativeHeap.Applied, "this process's environment tunes malloc itself, or its C library is not glibc");
        long[] sizes = StepSizes;
        long pages = sizes.Sum() / Environment.SystemPageSize;
        long kept = 0, released = 0;
        var thread = new Thread(() =>
        {
            for (int i = 0; i < 3; i++) Step(sizes);
            long before = MinorFaultsOfThisThread();
            Step(sizes);
            kept = MinorFaultsOfThisThread() - before;
            NativeHeap.ReleaseFreeMemory();
            before = MinorFaultsOfThisThread();
            Step(sizes);
            released = MinorFaultsOfThisThread() - before;
        });
        thread.Start();
        thread.Join();
        Assert.True(kept < pages / 10, $"{kept} page faults for {pages} pages before releasing: the heap did not keep them");
        Assert.True(released > pages / 2, $"{released} page faults for {pages} pages after releasing the free memory: it was kept");
    }

    private static unsafe void Step(long[] sizes)
    {
        var blocks = sizes.Select(size => Marshal.AllocHGlobal((nint)size)).ToArray();
        for (int i = 0; i < blocks.Length; i++) new Span<byte>((void*)blocks[i], checked((int)sizes[i])).Fill(1);
        foreach (var block in blocks.Reverse()) Marshal.FreeHGlobal(block);
    }
}
