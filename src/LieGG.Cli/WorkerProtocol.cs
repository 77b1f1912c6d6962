using System.Globalization;

namespace LieGG.Cli;

/// <summary>
/// The lines a <c>study --jobs</c> process and its workers (<c>study NAME --worker</c>) exchange. The study writes a
/// trial's grid index to a worker's standard input to hand it that trial, and <see cref="Exit"/> when it has no more;
/// after each trial the worker writes <see cref="Finished"/> as the last line of both its standard output and its
/// standard error, so the study knows that every line before it on either stream belongs to that trial.
/// </summary>
internal static class WorkerProtocol
{
    public const string Exit = "exit";

    // The record separator keeps the marker apart from anything a trial prints.
    private const string FinishedPrefix = "\u001eliegg-worker finished trial ";

    /// <summary>"Trial <paramref name="index"/> ended with this exit code" (that of <c>study NAME --trial K</c>).</summary>
    public static string Finished(int index, int exitCode)
        => FormattableString.Invariant($"{FinishedPrefix}{index} exit {exitCode}");

    public static bool TryReadFinished(string line, out int index, out int exitCode)
    {
        index = exitCode = 0;
        if (!line.StartsWith(FinishedPrefix, StringComparison.Ordinal)) return false;
        var parts = line[FinishedPrefix.Length..].Split(" exit ");
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out index)
            && int.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exitCode);
    }

    /// <summary>A command from the study: a trial index, or null for <see cref="Exit"/>; a line that is neither is an error.</summary>
    public static int? ParseCommand(string line)
    {
        if (line == Exit) return null;
        return int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            ? index
            : throw new FormatException($"'{line}' is neither a trial index nor '{Exit}'.");
    }
}
