using System.CommandLine;
using System.Globalization;
using LieGG.Runtime.Experiments;

namespace LieGG.Cli;

/// <summary>
/// The options <c>run</c>, <c>study</c> and <c>analyze</c> share — <c>--out</c>, <c>--threads</c>, <c>--data-dir</c>,
/// <c>--quick</c>, <c>--set</c> — declared once, with one check that reports every problem of them at once.
/// </summary>
internal sealed class CommonOptions
{
    public Option<string> Output { get; } = new("--out") { Description = "Folder for the results.", DefaultValueFactory = _ => "results" };

    public Option<int?> Threads { get; } = new("--threads") { Description = "CPU threads for TorchSharp." };

    public Option<string?> DataDirectory { get; }

    public Option<bool> Quick { get; }

    public Option<string[]> Set { get; } = new("--set")
    {
        Description = "Replace a declared value, e.g. --set RotatedMnist.TrainCount=8000 --set Train.LearningRate=3e-4 (repeatable; names as in the declaration; 'list NAME' shows them with their values and ranges).",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public CommonOptions(string dataDirectoryDescription = "MNIST IDX files to use instead of the embedded digits.", string? quickDescription = null)
    {
        DataDirectory = new Option<string?>("--data-dir") { Description = dataDirectoryDescription };
        Quick = new Option<bool>("--quick") { Description = quickDescription ?? $"Smoke-size run (seconds), not a result: {QuickRun.Description}." };
    }

    public IEnumerable<Option> All => [Output, Threads, DataDirectory, Quick, Set];

    /// <summary>Every problem with the shared options, and the overrides they give (shorthands first: <c>--epochs</c>, <c>--seed</c>, <c>--convention</c> are <c>--set Train.Epochs</c>, <c>Train.Seed</c>, <c>SpatialPrior.Convention</c>).</summary>
    public List<string> Problems(ParseResult parse, out IReadOnlyList<SpecOverride> overrides, params SpecOverride?[] shorthands)
    {
        var problems = new List<string>();
        if (parse.GetValue(Threads) is <= 0 and var threads) problems.Add($"--threads must be at least 1, not {threads}.");
        if (LieGGCommandLine.DataDirectoryProblem(parse.GetValue(DataDirectory)) is { } directory) problems.Add(directory);
        if (File.Exists(parse.GetValue(Output)!)) problems.Add($"--out '{parse.GetValue(Output)}' is a file; name a directory (it is created if missing).");
        var parsed = new List<SpecOverride>();
        foreach (var shorthand in shorthands)
            if (shorthand is not null) parsed.Add(shorthand);
        foreach (var text in parse.GetValue(Set) ?? [])
        {
            if (SpecOverride.TryParse(text, out var problem) is { } entry)
            {
                if (parsed.FirstOrDefault(p => string.Equals(p.Target, entry.Target, StringComparison.OrdinalIgnoreCase)) is { } earlier)
                    problems.Add($"--set {entry}: {entry.Target} is given twice (also as {Shorthand(earlier)}); keep one.");
                else parsed.Add(entry);
            }
            else problems.Add(problem!);
        }
        overrides = parsed;
        return problems;

        string Shorthand(SpecOverride earlier) => earlier.Target switch
        {
            "Train.Epochs" => $"--epochs {earlier.Value}",
            "Train.Seed" => $"--seed {earlier.Value}",
            "SpatialPrior.Convention" => $"--convention {earlier.Value.ToLowerInvariant()}",
            _ => $"--set {earlier}",
        };
    }

    /// <summary>The override a shorthand option stands for; null when the option is not given.</summary>
    public static SpecOverride? ShorthandFor(string target, object? value)
    {
        if (value is null) return null;
        int dot = target.IndexOf('.');
        return new SpecOverride(target[..dot], target[(dot + 1)..], value switch
        {
            LieGG.Dsl.SpatialConvention convention => convention.ToString(),
            IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString()!,
        });
    }

    /// <summary>The overrides as arguments for a worker process or array task, which must run the trials the same way.</summary>
    public static IEnumerable<string> Arguments(IReadOnlyList<SpecOverride> overrides) => overrides.SelectMany(o => new[] { "--set", o.ToString() });
}
