using System.Collections.Concurrent;
using System.Diagnostics;

namespace LieGG.Cli;

/// <summary>
/// A study worker ends when the study that started it ends, however that happens. The study holds the write end of the
/// worker's standard input and writes only commands to it (<see cref="WorkerProtocol"/>); when the study exits — even
/// killed with SIGKILL, when it cannot stop its workers itself — the pipe closes and the worker, reading it, sees
/// end-of-file and kills itself, in the middle of a trial if it is in one. Its unfinished trial folder has no
/// result.json, so the next run of the study trains that trial again; no orphan keeps training it beside the new worker.
/// </summary>
internal static class ParentWatch
{
    /// <summary>Set in a worker's environment by the study that starts it.</summary>
    public const string Variable = "LIEGG_EXIT_WITH_PARENT";

    private static BlockingCollection<string>? commands;

    public static void StartIfWorker()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1" || commands is not null) return;
        var received = new BlockingCollection<string>();
        commands = received;
        var watcher = new Thread(() =>
        {
            try
            {
                using var input = new StreamReader(Console.OpenStandardInput());
                while (input.ReadLine() is { } line) received.Add(line);
            }
            catch (IOException)
            {
                // A broken pipe is the same news as end-of-file.
            }
            Process.GetCurrentProcess().Kill();
        })
        { IsBackground = true, Name = "parent watch" };
        watcher.Start();
    }

    /// <summary>
    /// The next line the study wrote to this process; blocks until there is one. A watched worker never sees the end of
    /// its input (the watch kills it first); an unwatched one, started by hand, gets null there.
    /// </summary>
    public static string? ReadCommand() => commands is { } watched ? watched.Take() : Console.In.ReadLine();
}
