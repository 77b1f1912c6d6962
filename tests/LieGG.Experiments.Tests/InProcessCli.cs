using Spectre.Console;

namespace LieGG.Experiments.Tests;

/// <summary>The experiments command line run in the test's process, writing plain text (no colour, no progress bar) into a <see cref="StringWriter"/>.</summary>
internal static class InProcessCli
{
    /// <param name="unwrapped">Never wrap lines, as a log file keeps them (standard error redirected is never wrapped either), so a message can be searched for whole.</param>
    public static int Run(StringWriter console, string[] args, bool unwrapped = false)
    {
        var terminal = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(console),
            Interactive = InteractionSupport.No,
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        if (unwrapped) terminal.Profile.Width = 100_000;
        return LieGGCommandLine.Run(args, ExperimentCatalog.All, ExperimentCatalog.Studies, terminal);
    }
}
