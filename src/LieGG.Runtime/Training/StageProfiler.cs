using System.Diagnostics;

namespace LieGG.Runtime.Training;

/// <summary>Wall time spent in one stage of a run, summed over its calls; <see cref="Path"/> nests stages with " / ".</summary>
public sealed record ProfileStage(string Path, double Seconds, int Calls)
{
    public int Depth => Path.Count(c => c == '/');

    public string Name => Path[(Path.LastIndexOf('/') + 1)..].Trim();
}

/// <summary>
/// Where a run's time goes: stages measured with <see cref="Measure"/> while the profiler is active on the current
/// execution context (<see cref="Activate"/>), nested by the stages open around them. Code that measures stages runs the
/// same without an active profiler (the measurement is then a no-op), so library callers pay nothing.
/// </summary>
public sealed class StageProfiler
{
    private static readonly AsyncLocal<StageProfiler?> active = new();
    private readonly Dictionary<string, (double Seconds, int Calls)> totals = new(StringComparer.Ordinal);
    private readonly List<string> order = [];
    private readonly Stack<string> open = new();

    /// <summary>Makes this profiler the one <see cref="Measure"/> records into until the returned scope is disposed.</summary>
    public IDisposable Activate()
    {
        var previous = active.Value;
        active.Value = this;
        return new Restore(() => active.Value = previous);
    }

    /// <summary>Times <paramref name="stage"/> until the returned scope is disposed, inside whatever stages are open.</summary>
    public static StageScope Measure(string stage) => active.Value is { } profiler ? profiler.Open(stage) : default;

    /// <summary>Every stage measured, in the order first opened (a parent before its children).</summary>
    public IReadOnlyList<ProfileStage> Stages => order.Select(path => new ProfileStage(path, totals[path].Seconds, totals[path].Calls)).ToList();

    private StageScope Open(string stage)
    {
        string path = open.Count == 0 ? stage : $"{open.Peek()} / {stage}";
        open.Push(path);
        if (!totals.ContainsKey(path))
        {
            totals[path] = (0, 0);
            order.Add(path);
        }
        return new StageScope(this, path, Stopwatch.GetTimestamp());
    }

    internal void Close(string path, long started)
    {
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var (total, calls) = totals[path];
        totals[path] = (total + seconds, calls + 1);
        if (open.Count > 0 && open.Peek() == path) open.Pop();
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}

/// <summary>One open stage of a <see cref="StageProfiler"/> (a no-op when none was active).</summary>
public readonly struct StageScope(StageProfiler? profiler, string path, long started) : IDisposable
{
    public void Dispose() => profiler?.Close(path, started);
}
