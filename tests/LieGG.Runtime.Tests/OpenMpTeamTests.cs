using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using TorchSharp;

namespace LieGG.Runtime.Tests;

/// <summary>
/// <see cref="OpenMpTeam"/> covers every index once, runs on libtorch's own OpenMP worker (a thread that existed before
/// the call, not a new one), and brings a chunk's exception back to the caller.
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
    [InlineData(0, 4, 2)]
    [InlineData(1, 4, 2)]
    [InlineData(7, 32, 2)]
    [InlineData(100, 7, 2)]
    [InlineData(100, 7, 1)]
    [InlineData(1000, 1, 2)]
    public void Every_index_is_visited_once(int count, int grain, int threads)
    {
        var visits = new int[count];
        WithTorchThreads(threads, () => OpenMpTeam.For(count, grain, (start, end) =>
        {
            Assert.True(end - start <= grain && end > start, $"chunk [{start}, {end}) with grain {grain}");
            for (int i = start; i < end; i++) Interlocked.Increment(ref visits[i]);
        }));
        Assert.All(visits, v => Assert.Equal(1, v));
    }

    [Fact]
    public void Chunks_run_on_libtorch_s_own_worker_beside_the_caller()
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
            // Each chunk waits for the other to start: only two threads at once can finish before the timeout.
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
        Assert.True(existing.Contains(worker), $"chunk ran on thread {worker}, which did not exist after libtorch's own parallel region ({string.Join(", ", existing)})");
    }

    [Fact]
    public void An_exception_in_a_chunk_reaches_the_caller_and_stops_the_remaining_chunks()
    {
        int chunksRun = 0;
        var thrown = Assert.Throws<InvalidOperationException>(() => WithTorchThreads(2, () => OpenMpTeam.For(10_000, 1, (start, _) =>
        {
            Interlocked.Increment(ref chunksRun);
            if (start == 0) throw new InvalidOperationException("chunk 0 failed");
            Thread.Sleep(1);
        })));
        Assert.Equal("chunk 0 failed", thrown.Message);
        Assert.True(chunksRun < 10_000, $"{chunksRun} chunks ran after the first failed");
    }
}
