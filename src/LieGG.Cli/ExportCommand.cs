using System.CommandLine;
using LieGG.Runtime.Reports;
using LieGG.Runtime.Results;
using Spectre.Console;
using static LieGG.Cli.LieGGCommandLine;

namespace LieGG.Cli;

/// <summary><c>export &lt;result.json | run or study folder&gt;… [--out table.csv]</c>: many runs as one CSV table.</summary>
internal static class ExportCommand
{
    public static Command Create(IAnsiConsole console, IAnsiConsole errors)
    {
        var paths = new Argument<string[]>("results") { Description = "result.json files, run folders or study folders (searched for result.json).", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--out") { Description = "Write the CSV to this file instead of standard output." };
        var command = new Command("export", "One CSV row per run: every setting and metric as a column, for pandas or a spreadsheet.") { paths, output };
        command.SetAction(parse =>
        {
            var runs = new List<(string, RunRecord)>();
            try
            {
                foreach (var found in ResultTable.Find(parse.GetValue(paths)!)) runs.Add((found, RunRecord.Load(found)));
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                errors.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
                return UsageError;
            }
            if (runs.Count == 0)
            {
                errors.MarkupLine("[red]error:[/] no result.json under the given paths.");
                return UsageError;
            }
            var csv = ResultTable.Csv(runs);
            if (parse.GetValue(output) is { } file)
            {
                AtomicFile.WriteAllText(file, csv);
                console.Profile.Out.Writer.WriteLine($"{runs.Count} runs in {file}");
            }
            else
            {
                console.Profile.Out.Writer.Write(csv);
            }
            return Success;
        });
        return command;
    }
}
