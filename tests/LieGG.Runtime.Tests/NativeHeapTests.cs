using System.Diagnostics;
using System.Globalization;

namespace LieGG.Runtime.Tests;

/// <summary>
/// A training step's pattern of native allocations — blocks of a few MB, each written in full, freed in reverse — repeated
/// on the main thread of a fresh process (a test thread's arena depends on what the test host did before: glibc never
/// trims a thread arena's top, and deletes a whole spare heap when it empties). With glibc's default thresholds about
/// 83 % of the pages of every step are faulted in afresh (the freed blocks went back to the kernel); with
/// <see cref="NativeHeap"/>'s none are, until <see cref="NativeHeap.ReleaseFreeMemory"/> hands them back.
/// </summary>
public sealed class NativeHeapTests
{
    private const string Python = "/usr/bin/python3";

    // Prints the page faults of one step after warm-up steps, and of one step after malloc_trim(0), as "kept released".
    private const string Probe = """
        import ctypes, resource, sys
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc.restype = ctypes.c_void_p
        libc.free.argtypes = [ctypes.c_void_p]
        M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
        if len(sys.argv) > 1:
            assert libc.mallopt(M_MMAP_THRESHOLD, int(sys.argv[1])) == 1 and libc.mallopt(M_TRIM_THRESHOLD, int(sys.argv[2])) == 1
        sizes = [int(mb * 1024 * 1024) for mb in (6.9, 6.9, 13.8, 3.4, 6.9, 1.7, 0.5)]
        def step():
            blocks = []
            for size in sizes:
                block = libc.malloc(size)
                ctypes.memset(block, 1, size)
                blocks.append(block)
            for block in reversed(blocks):
                libc.free(block)
        def faults(action):
            before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            action()
            return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
        for _ in range(3):
            step()
        kept = faults(step)
        libc.malloc_trim(0)
        print(kept, faults(step), sum(sizes) // resource.getpagesize())
        """;

    [SkippableFact]
    public void The_thresholds_keep_a_training_steps_blocks_and_the_release_hands_them_back()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && File.Exists(Python), $"needs glibc's malloc on Linux and {Python} to run a fresh process");
        var (defaultKept, _, pages) = RunProbe();
        var (kept, released, _) = RunProbe(NativeHeap.MmapThresholdBytes.ToString(CultureInfo.InvariantCulture), NativeHeap.TrimThresholdBytes.ToString(CultureInfo.InvariantCulture));
        Assert.True(defaultKept > pages / 2, $"glibc's defaults faulted only {defaultKept} of {pages} pages per step: the probe does not show what the thresholds are for");
        Assert.True(kept < pages / 100, $"{kept} page faults per step of {pages} pages with NativeHeap's thresholds: freed blocks went back to the kernel");
        Assert.True(released > pages / 2, $"{released} page faults for {pages} pages after malloc_trim: the free memory was kept");
    }

    [Fact]
    public void The_thresholds_are_set_in_this_process_unless_it_tunes_malloc_itself()
    {
        NativeHeap.KeepFreedMemory();
        // glibc accepts both values (mallopt returned 1 for each) wherever this suite runs: Linux with glibc.
        Assert.Equal(OperatingSystem.IsLinux() && !NativeHeap.UserTuned(), NativeHeap.Applied);
    }

    private static (long Kept, long Released, long Pages) RunProbe(params string[] thresholds)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-c", Probe }.Concat(thresholds)) start.ArgumentList.Add(argument);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MALLOC_", StringComparison.Ordinal) || k == "GLIBC_TUNABLES").ToList())
            start.Environment.Remove(name);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"the probe failed: {errors.Result}");
        var counts = output.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToArray();
        return (counts[0], counts[1], counts[2]);
    }
}
