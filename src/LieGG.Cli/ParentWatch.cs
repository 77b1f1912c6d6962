using System.Diagnostics;

namespace LieGG.Cli;

/// <summary>
/// A study worker ends when the study that started it ends, however that happens. The study holds the write end of the
/// worker's standard input and never writes to it; when the study exits — even killed with SIGKILL, when it cannot stop
/// its workers itself — the pipe closes and the worker, reading it, sees end-of-file and kills itself. Its unfinished
/// trial folder has no result.json, so the next run of the study trains that trial again; no orphan keeps training it
/// beside the new worker.
/// </summary>
internal static class ParentWatch
{
    /// <summary>Set in a worker's environment by the study that starts it.</summary>
    public const string Variable = "LIEGG_EXIT_WITH_PARENT";

    public static void StartIfWorker()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1") return;
        var watcher = new Thread(() =>
        {
            try
            {
                using var input = Console.OpenStandardInput();
                var buffer = new byte[64];
                while (input.Read(buffer) > 0)
                {
                    // The study writes nothing; anything read is ignored.
                }
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
}
