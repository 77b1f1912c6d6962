using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using TorchSharp;

namespace LieGG.Runtime.Tests;

/// <summary>
/// <see cref="OpenMpTeam"/> covers every index once, runs on libtorch's own OpenMP worker (a thread that existed before
/// the call, not a new one), and brings a range's exception back to the caller.
/// </summary>
public sealed partial class OpenMpTeamTests
{
    [LibraryImport("libc")]
    private static partial int gettid();

    private static void WithTorchThreads(int threads, Action action)
    {
        int before = torch.get_num_threads();
        torch.set_num_threads(threads);
        try { action(); }
        finally { torch.set_num_threads(before); }
    }

    [Theory]
    [InlineData(0, 4, 2, 0)]
    [InlineData(1, 4, 2, 1)]
    [InlineData(7, 32, 2, 1)]
    [InlineData(63, 32, 2, 1)]
    [InlineData(64, 32, 2, 2)]
    [InlineData(100, 7, 2, 2)]
    [InlineData(100, 7, 1, 1)]
    [InlineData(1001, 1, 2, 2)]
    public void Every_index_is_visited_once_in_one_contiguous_range_per_thread(int count, int minimumPerRange, int threads, int expectedRanges)
    {
        var visits = new int[count];
        var ranges = new ConcurrentBag<(int Start, int End)>();
        WithTorchThreads(threads, () => OpenMpTeam.For(count, minimumPerRange, (start, end) =>
        {
            ranges.Add((start, end));
            for (int i = start; i < end; i++) Interlocked.Increment(ref visits[i]);
        }));
        Assert.All(visits, v => Assert.Equal(1, v));
        Assert.Equal(expectedRanges, ranges.Count);
        Assert.All(ranges, r => Assert.True(r.End - r.Start >= Math.Min(minimumPerRange, count) && r.End - r.Start <= (count + expectedRanges - 1) / Math.Max(1, expectedRanges), $"range [{r.Start}, {r.End})"));
    }

    [Fact]
    public void Ranges_run_on_libtorch_s_own_worker_beside_the_caller()
    {
        Assert.True(OpenMpTeam.Available, "GOMP_parallel was not found through libtorch_cpu.so");
        var ran = new ConcurrentDictionary<int, int>();
        int caller = gettid();
        HashSet<int> existing = [];
        var poolThreads = new ConcurrentBag<int>();
        WithTorchThreads(2, () =>
        {
            // An elementwise operation over 4M elements is one of libtorch's parallel regions: its team is started here.
            using (var large = torch.ones(1 << 22)) using (var doubled = large * 2) Assert.Equal(2.0 * (1 << 22), doubled.sum().item<float>());
            existing = Directory.GetDirectories("/proc/self/task").Select(d => int.Parse(Path.GetFileName(d))).ToHashSet();
            // Each range waits for the other to start: only two threads at once can finish before the timeout.
            using var bothStarted = new CountdownEvent(2);
            OpenMpTeam.For(2, 1, (start, _) =>
            {
                ran[start] = gettid();
                // xunit's own thread may be a pool thread; the caller's is not in question.
                if (ran[start] != caller && Thread.CurrentThread.IsThreadPoolThread) poolThreads.Add(start);
                bothStarted.Signal();
                bothStarted.Wait(TimeSpan.FromSeconds(10));
            });
        });

        Assert.Equal(2, ran.Values.Distinct().Count());
        Assert.Empty(poolThreads);
        Assert.Contains(caller, ran.Values);
        int worker = ran.Values.Single(t => t != caller);
        Assert.True(existing.Contains(worker), $"a range ran on thread {worker}, which did not exist after libtorch's own parallel region ({string.Join(", ", existing)})");
    }

    [Fact]
    public void An_exception_in_a_range_reaches_the_caller()
    {
        var thrown = Assert.Throws<InvalidOperationException>(() => WithTorchThreads(2, () => OpenMpTeam.For(10, 1, (start, _) =>
        {
            if (start == 0) throw new InvalidOperationException("range 0 failed");
        })));
        Assert.Equal("range 0 failed", thrown.Message);
    }
}
