using System.CommandLine;
using System.Diagnostics;
using LieGG.Runtime.Models;

namespace LieGG.Cli;

/// <summary>
/// Loads a TorchScript file in a child process before this one does. Loading compiles the file's code inside libtorch,
/// and a compile error there (a damaged or hand-edited archive whose entries still match their CRCs) escapes
/// TorchSharp's native error handling and aborts the whole process; in a child, that abort becomes an error that names
/// the file, and the user's command ends cleanly.
/// </summary>
internal static class TorchScriptProbe
{
    /// <summary>The hidden command a probe runs: loads each file in turn, one line per file on standard output.</summary>
    public const string CommandName = "probe-torchscript";

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    /// <summary>Null when <paramref name="path"/> loads as a TorchScript module; else what went wrong, naming the file.</summary>
    public static string? Problem(string path) => Problems([path])[0];

    /// <summary>For each file, null when it loads; else the problem. One child process loads them in turn and another continues after an abort.</summary>
    /// <param name="program">The program to start as the probe: this one by default.</param>
    public static IReadOnlyList<string?> Problems(IReadOnlyList<string> paths, (string FileName, IReadOnlyList<string> Prefix)? program = null)
    {
        var problems = new string?[paths.Count];
        int next = 0;
        while (next < paths.Count)
        {
            var (fileName, prefix) = program ?? StudyWorkers.CurrentProgram();
            var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in prefix) start.ArgumentList.Add(argument);
            start.ArgumentList.Add(CommandName);
            foreach (var path in paths.Skip(next)) start.ArgumentList.Add(Path.GetFullPath(path));
            using var process = Process.Start(start) ?? throw new IOException("The TorchScript probe could not be started.");
            var standardError = process.StandardError.ReadToEndAsync();
            int current = next;
            while (process.StandardOutput.ReadLine() is { } line)
            {
                // "loading", then "ok" or "refused <message>", per file in order.
                if (line == "loading") continue;
                problems[current] = line == "ok" ? null : line.StartsWith("refused ", StringComparison.Ordinal) ? line["refused ".Length..] : line;
                current++;
            }
            if (!process.WaitForExit(Limit) && current < paths.Count)
            {
                process.Kill(entireProcessTree: true);
                problems[current] = $"{paths[current]}: loading it as a TorchScript module did not finish within {Limit.TotalMinutes:F0} minutes.";
                current++;
            }
            else if (current < paths.Count)
            {
                // libtorch prints "terminate called after throwing …", then "what():" and the compiler's own message.
                var lines = standardError.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                int what = Array.FindIndex(lines, l => l.StartsWith("what():", StringComparison.Ordinal));
                var detail = (what >= 0 ? new[] { lines[what]["what():".Length..].Trim() }.Concat(lines.Skip(what + 1)).FirstOrDefault(l => l.Length > 0) : null)
                    ?? lines.FirstOrDefault() ?? $"exit code {process.ExitCode}";
                problems[current] = $"{paths[current]} is not a TorchScript module this program can load: libtorch stopped while loading it ({detail}). " +
                    "Its code does not compile or the archive is damaged; save the model again with torch.jit.save(torch.jit.script(model), path).";
                current++;
            }
            next = current;
        }
        return problems;
    }

    /// <summary>The hidden command itself (not listed in --help).</summary>
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Arity = ArgumentArity.OneOrMore };
        var command = new Command(CommandName, "Loads TorchScript files, one line per file (used by analyze to load files in isolation).") { files };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            foreach (var file in parse.GetValue(files)!)
            {
                Console.Out.WriteLine("loading");
                Console.Out.Flush();
                try
                {
                    using var model = TorchScriptModel.Load(file);
                    Console.Out.WriteLine("ok");
                }
                catch (Exception e) when (e is InvalidDataException or IOException)
                {
                    Console.Out.WriteLine("refused " + e.Message.ReplaceLineEndings(" "));
                }
                Console.Out.Flush();
            }
            return LieGGCommandLine.Success;
        });
        return command;
    }
}
