using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LieGG.Runtime;

/// <summary>
/// Keeps the memory of freed tensors in the process's heap for the next ones. libtorch allocates every tensor with
/// malloc, and glibc's malloc returns a block above its mmap threshold to the kernel when it is freed, and the heap's
/// free top once it passes the trim threshold — so each training step's activations (one Z2CNN layer's output for a
/// batch of 128 is 6.9 MB) arrived as fresh pages the kernel had to fault in and zero: 497 000 page faults in seven
/// one-thread Z2CNN epochs and about an eighth of each epoch. With the mmap threshold at 32 MiB (the largest glibc
/// accepts) and the trim threshold at 1 GiB they are reused instead (59 000 faults; the epoch 0.83 → 0.72–0.76 s, the
/// P4CNN's about as much), at the same peak resident memory: freed memory stays with the process between steps rather
/// than going back to the system. Both thresholds are needed — setting either fixes the other at glibc's default (the
/// trim threshold alone maps every block over 128 KiB: 1.8 million faults). A module initializer sets them before the
/// library's first tensor; a process whose environment tunes malloc itself (any <c>MALLOC_*</c> variable or
/// <c>glibc.malloc</c> tunable) keeps its own tuning, and only glibc on Linux is touched.
/// </summary>
public static class NativeHeap
{
    /// <summary>Blocks up to this size come from the heap rather than their own mapping (glibc's upper bound on 64-bit).</summary>
    public const int MmapThresholdBytes = 32 * 1024 * 1024;

    /// <summary>Free memory at the heap's top kept before any is returned to the system.</summary>
    public const int TrimThresholdBytes = 1024 * 1024 * 1024;

    private const int TrimThresholdOption = -1, MmapThresholdOption = -3; // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD in malloc.h

#pragma warning disable CA2255 // Deliberate: the thresholds must be in place before libtorch's first allocations.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize() => KeepFreedMemory();

    /// <summary>Whether this process's malloc runs with the thresholds above (false: not glibc, or the user tuned it).</summary>
    public static bool Applied { get; private set; }

    /// <summary>Sets the thresholds unless the environment tunes malloc itself. Idempotent.</summary>
    public static void KeepFreedMemory()
    {
        if (Applied || !OperatingSystem.IsLinux() || UserTuned()) return;
        try
        {
            Applied = NativeMethods.mallopt(MmapThresholdOption, MmapThresholdBytes) == 1
                && NativeMethods.mallopt(TrimThresholdOption, TrimThresholdBytes) == 1;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // A C library without mallopt (musl's is a stub that ignores it) allocates as it always does.
        }
    }

    /// <summary>
    /// Returns the heap's free memory to the system now (glibc's <c>malloc_trim</c>), e.g. before measuring how much a
    /// stage needs: memory kept by the thresholds above would otherwise be reused without raising the resident size.
    /// </summary>
    public static void ReleaseFreeMemory()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            _ = NativeMethods.malloc_trim(0);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // Not glibc: nothing was kept beyond its allocator's own policy.
        }
    }

    /// <summary>
    /// Whether the environment tunes malloc: any of glibc's <c>MALLOC_*</c> variables (<c>MALLOC_ARENA_MAX</c>,
    /// <c>MALLOC_TOP_PAD_</c>, …) or a <c>glibc.malloc</c> tunable.
    /// </summary>
    internal static bool UserTuned()
        => Environment.GetEnvironmentVariables().Keys.Cast<string>().Any(name => name.StartsWith("MALLOC_", StringComparison.Ordinal))
            || (Environment.GetEnvironmentVariable("GLIBC_TUNABLES")?.Contains("glibc.malloc.", StringComparison.Ordinal) ?? false);

    private static class NativeMethods
    {
        [DllImport("libc")]
        internal static extern int mallopt(int option, int value);

        [DllImport("libc")]
        internal static extern int malloc_trim(nuint pad);
    }
}
