using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using LieGG.Runtime.Experiments;
using LieGG.Runtime.Orchestration;
using LieGG.Runtime.Reports;
using LieGG.Runtime.Results;
using LieGG.Runtime.Studies;
using LieGG.Runtime.Symmetry;
using Spectre.Console;

namespace LieGG.Cli;

/// <summary>
/// The experiments command line: <c>list</c>, <c>run &lt;name|glob&gt;</c>, <c>report &lt;result.json&gt;…</c>.
/// Exit codes: 0 success, 1 a run failed, 2 usage error.
/// </summary>
public static class LieGGCommandLine
{
    /// <summary>Exit codes; <see cref="Interrupted"/> is the shell's 128 + SIGINT.</summary>
    public const int Success = 0, RunFailed = 1, UsageError = 2, Interrupted = 130;

    public static int Run(string[] args, IReadOnlyList<ExperimentDescriptor> experiments, IAnsiConsole? console = null)
        => Run(args, experiments, [], console);

    /// <summary>
    /// <see cref="Run(string[], IReadOnlyList{ExperimentDescriptor}, IReadOnlyList{StudyDescriptor}, IAnsiConsole?, IAnsiConsole?)"/>
    /// as a program's whole life (its <c>Program.cs</c>): once the command has returned — every file written and closed,
    /// every worker ended, the output flushed — the process ends there with the command's exit code. On Linux that skips
    /// libtorch's static destructors, which deregister its thousands of operators one by one at exit: ≈ 0.09 s of CPU in
    /// every process, a tenth of a quick run and of each of the hundreds of processes a study's workers and retries
    /// start. Elsewhere it returns the exit code for <c>Main</c> to return.
    /// </summary>
    public static int RunAndExit(string[] args, IReadOnlyList<ExperimentDescriptor> experiments, IReadOnlyList<StudyDescriptor> studies)
    {
        int exitCode = Run(args, experiments, studies);
        Console.Out.Flush();
        Console.Error.Flush();
        if (OperatingSystem.IsLinux()) EndProcess(exitCode);
        return exitCode;
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void EndProcess(int status);

    /// <summary>
    /// Standard error. Redirected (a log file, CI, a test reading it), each message stays on one line: wrapped at a console
    /// width, a message broke wherever its file paths happened to put the 80th column, so what could be searched for in it
    /// depended on where the repository was cloned.
    /// </summary>
    internal static IAnsiConsole StandardError()
    {
        var errors = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (Console.IsErrorRedirected) errors.Profile.Width = UnwrappedWidth;
        return errors;
    }

    /// <summary>A console width no message reaches.</summary>
    internal const int UnwrappedWidth = 100_000;

    /// <param name="console">Where results and progress go; standard output by default.</param>
    /// <param name="errors">Where errors and warnings go: standard error by default, <paramref name="console"/> when only that is given.</param>
    public static int Run(string[] args, IReadOnlyList<ExperimentDescriptor> experiments, IReadOnlyList<StudyDescriptor> studies, IAnsiConsole? console = null, IAnsiConsole? errors = null)
    {
        ParentWatch.StartIfWorker();
        errors ??= console ?? StandardError();
        console ??= AnsiConsole.Console;
        var root = new RootCommand("LieGG: train the declared experiments and recover the symmetries they learned.")
        {
            ListCommand(experiments, studies, console, errors),
            RunCommand(experiments, console, errors),
            ReportCommand(console, errors),
            AnalyzeCommand.Create(experiments, console, errors),
            ExportCommand.Create(console, errors),
            StudyCommands.Run(studies, console, errors),
            StudyCommands.Merge(studies, console, errors),
            StudyCommands.Status(studies, console, errors),
            TorchScriptProbe.Create(),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) errors.MarkupLine($"[red]error:[/] {Markup.Escape(Readable(error.Message))}");
            errors.WriteLine("Run with --help for usage.");
            return UsageError;
        }
        // Help and System.CommandLine's own messages go where ours go (a test's console, or the terminal).
        return parsed.Invoke(new InvocationConfiguration { Output = console.Profile.Out.Writer, Error = errors.Profile.Out.Writer });
    }

    /// <summary>Parse errors with .NET type names ("System.Nullable`1[System.Int32]") said in words.</summary>
    internal static string Readable(string message) => System.Text.RegularExpressions.Regex.Replace(message,
        @"as expected type '(System\.Nullable`1\[)?System\.(?<type>\w+)\]?'",
        match => match.Groups["type"].Value switch
        {
            "Int32" or "Int64" => "as an integer",
            "Double" or "Single" => "as a number",
            "Boolean" => "as true or false",
            var other => $"as {other}",
        });

    private static Command ListCommand(IReadOnlyList<ExperimentDescriptor> experiments, IReadOnlyList<StudyDescriptor> studies, IAnsiConsole console, IAnsiConsole errors)
    {
        var name = new Argument<string?>("name") { Description = "An experiment or study: list the values --set can replace, with their values and allowed ranges.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("list", "List the declared experiments and studies, or one's settable values.") { name };
        command.SetAction(parse =>
        {
            if (parse.GetValue(name) is { } one) return ListSettable(one, experiments, studies, console, errors);
            // Names are what users copy onto the command line: never wrapped.
            var table = new Table().AddColumn(new TableColumn("experiment").NoWrap()).AddColumns("description", "prior", "epochs");
            foreach (var e in experiments)
                table.AddRow(Markup.Escape(e.Name), Markup.Escape(e.Description ?? e.TypeName), Markup.Escape(e.Spec.Prior.Description),
                    e.Spec.Training.Epochs.ToString(CultureInfo.InvariantCulture));
            console.Write(table);
            if (studies.Count > 0)
            {
                var studyTable = new Table().AddColumn(new TableColumn("study").NoWrap()).AddColumns("description", "trials");
                foreach (var s in studies)
                    studyTable.AddRow(Markup.Escape(s.Name), Markup.Escape(s.Description ?? s.TypeName), s.Trials.Count.ToString(CultureInfo.InvariantCulture));
                console.Write(studyTable);
            }
            return Success;
        });
        return command;
    }

    /// <summary><c>list NAME</c>: one row per value <c>--set</c> can replace (a study's swept values are marked: they vary by trial).</summary>
    private static int ListSettable(string name, IReadOnlyList<ExperimentDescriptor> experiments, IReadOnlyList<StudyDescriptor> studies, IAnsiConsole console, IAnsiConsole errors)
    {
        var experiment = experiments.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
        var study = experiment is null ? studies.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)) : null;
        if (experiment is null && study is null)
        {
            var suggestions = NameMatcher.Suggest(name, experiments.Select(e => e.Name).Concat(studies.Select(s => s.Name)));
            errors.MarkupLine($"[red]error:[/] no experiment or study '{Markup.Escape(name)}'." +
                (suggestions.Count > 0 ? $" Did you mean {string.Join(", ", suggestions.Select(s => $"'{Markup.Escape(s)}'"))}?" : " Run 'list' to see them."));
            return UsageError;
        }
        var spec = experiment?.Spec ?? study!.Trials[0].Spec;
        IReadOnlySet<string> swept = study is null ? new HashSet<string>() : SpecOverrides.Varying(study.Trials.Select(t => t.Spec).ToList());
        var writer = console.Profile.Out.Writer;
        // Plain Markdown, never wrapped: the names are what users paste after --set.
        writer.WriteLine($"| --set {experiment?.Name ?? study!.Name} | value | allowed |");
        writer.WriteLine("|---|---|---|");
        foreach (var property in SpecOverrides.Settable(spec))
            writer.WriteLine($"| {property.Target} | {(swept.Contains(property.Target) ? "swept by the study" : property.Shown)} | {property.Range ?? ""} |");
        return Success;
    }

    private static Command RunCommand(IReadOnlyList<ExperimentDescriptor> experiments, IAnsiConsole console, IAnsiConsole errors)
    {
        var name = new Argument<string>("name") { Description = "Experiment name or glob (e.g. rotmnist-*)." };
        var common = new CommonOptions();
        var (output, quick, dataDirectory, threads) = (common.Output, common.Quick, common.DataDirectory, common.Threads);
        var epochs = new Option<int?>("--epochs") { Description = "Replace the declared number of epochs (--set Train.Epochs=N)." };
        var seed = new Option<int?>("--seed") { Description = "Replace the declared seed (--set Train.Seed=N)." };
        var device = new Option<string>("--device") { Description = "cpu or cuda.", DefaultValueFactory = _ => "cpu" };
        var (prerotated, poolSplits, convention) = DataAndAnalysisOptions();
        var tensorBoard = TensorBoardOption("the run");
        var checkLaplace = new Option<bool>("--check-laplace") { Description = $"ELLA networks: also measure KFAC against the exact GGN at the final weights and priors (networks up to {LieGG.Runtime.Training.Laplace.LaplaceCheck.MaxParameters} prior parameters)." };
        var command = new Command("run", "Train an experiment, analyse it and write its report.") { name, epochs, prerotated, poolSplits, convention, seed, device, tensorBoard, checkLaplace };
        foreach (var option in common.All) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var pattern = parse.GetValue(name)!;
            var selected = NameMatcher.Select(pattern, experiments.Select(e => e.Name));
            if (selected.Count == 0)
            {
                var suggestions = NameMatcher.Suggest(pattern, experiments.Select(e => e.Name));
                errors.MarkupLine($"[red]error:[/] no experiment matches '{Markup.Escape(pattern)}'." +
                    (suggestions.Count > 0 ? $" Did you mean {string.Join(", ", suggestions.Select(s => $"'{Markup.Escape(s)}'"))}?" : " Run 'list' to see them."));
                return UsageError;
            }
            var problems = Validate(parse.GetValue(epochs), parse.GetValue(device)!);
            problems.AddRange(common.Problems(parse, out var overrides,
                CommonOptions.ShorthandFor("Train.Epochs", parse.GetValue(epochs) is > 0 and var valid ? valid : null), CommonOptions.ShorthandFor("Train.Seed", parse.GetValue(seed))));
            problems.AddRange(DataOptionProblems(parse.GetValue(dataDirectory), parse.GetValue(prerotated), parse.GetValue(poolSplits)));
            problems.AddRange(OverrideProblems(experiments.Where(e => selected.Contains(e.Name)).Select(e => e.Spec), overrides));
            if (problems.Count > 0)
            {
                // Every problem at once, as BenchmarkDotNet's validators do: one fix-and-retry round, not one per mistake.
                foreach (var problem in problems) errors.MarkupLine($"[red]error:[/] {Markup.Escape(problem)}");
                return UsageError;
            }
            if (parse.GetValue(threads) is { } count && count > Environment.ProcessorCount)
                errors.MarkupLine($"[yellow]warning:[/] --threads {count} is more than this machine's {Environment.ProcessorCount} cores; oversubscribed threads make training slower, not faster.");
            var options = new ExperimentRunOptions
            {
                Overrides = overrides,
                Quick = parse.GetValue(quick),
                DataDirectory = parse.GetValue(dataDirectory),
                Prerotated = parse.GetValue(prerotated),
                PoolSplits = parse.GetValue(poolSplits),
                Convention = ParseConvention(parse.GetValue(convention)),
                Threads = parse.GetValue(threads),
                Device = parse.GetValue(device)!,
                CheckLaplace = parse.GetValue(checkLaplace),
            };
            int status = Success;
            if (options.DataDirectory is { } unused)
                foreach (var experiment in experiments.Where(e => selected.Contains(e.Name) && !e.Spec.Dataset.ReadsDataDirectory()))
                    errors.MarkupLine(UnusedDataDirectoryWarning(experiment.Name, unused));
            var finished = new List<RunRecord>();
            foreach (var experiment in experiments.Where(e => selected.Contains(e.Name)))
                status = Math.Max(status, RunOne(experiment, options, parse.GetValue(output)!, console, errors, finished, parse.GetValue(tensorBoard)));
            // Several runs: one joined table of all of them at the end.
            if (finished.Count > 1) console.Profile.Out.Writer.WriteLine(MarkdownReport.Compare(finished, ReportFormat.Full));
            return status;
        });
        return command;
    }

    /// <summary>What is wrong with the overrides for each of <paramref name="specs"/>, found before anything runs.</summary>
    internal static IEnumerable<string> OverrideProblems(IEnumerable<ExperimentSpec> specs, IReadOnlyList<SpecOverride> overrides)
    {
        if (overrides.Count == 0) yield break;
        foreach (var spec in specs)
        {
            string? problem = null;
            try
            {
                SpecOverrides.Apply(spec, overrides);
            }
            catch (ExperimentSetupException e)
            {
                problem = $"{spec.Name}: {e.Message}";
            }
            if (problem is not null) yield return problem;
        }
    }

    private static List<string> Validate(int? epochs, string device)
    {
        var problems = new List<string>();
        if (epochs is <= 0) problems.Add($"--epochs must be at least 1, not {epochs}.");
        if (device != "cpu" && !device.StartsWith("cuda", StringComparison.Ordinal)) problems.Add($"--device must be cpu or cuda (cuda:N), not '{device}'.");
        else if (device.StartsWith("cuda", StringComparison.Ordinal) && !TorchSharp.torch.cuda.is_available())
            problems.Add($"--device {device}: no CUDA device is available to this build (the repository restores TorchSharp-cpu); see 'Running on a GPU' in the README to switch to TorchSharp-cuda-linux, or use --device cpu.");
        return problems;
    }

    /// <summary><c>--tensorboard DIR</c>: TensorBoard event files of <paramref name="what"/>, one folder per run or trial.</summary>
    internal static Option<string?> TensorBoardOption(string what)
        => new("--tensorboard") { Description = $"Also write TensorBoard event files of {what} under this folder (one folder per run or trial; view with tensorboard --logdir DIR)." };

    /// <summary>--prerotated, --pool-splits and --convention, shared by run and study.</summary>
    internal static (Option<bool> Prerotated, Option<bool> PoolSplits, Option<string?> Convention) DataAndAnalysisOptions()
    {
        var prerotated = new Option<bool>("--prerotated") { Description = "The --data-dir IDX files hold rotated digits: use them as they are (rotated-MNIST experiments)." };
        var poolSplits = new Option<bool>("--pool-splits") { Description = "Pool the --data-dir train/val/test files and split them by the seed (default: keep the files' split)." };
        var convention = new Option<string?>("--convention") { Description = "Spatial prior coordinates: reference (the LieGG authors' units) or centered; default: as declared." };
        convention.AcceptOnlyFromAmong("reference", "centered");
        return (prerotated, poolSplits, convention);
    }

    internal static LieGG.Dsl.SpatialConvention? ParseConvention(string? text) => text switch
    {
        null => null,
        "reference" => LieGG.Dsl.SpatialConvention.Reference,
        _ => LieGG.Dsl.SpatialConvention.Centered,
    };

    /// <summary>--prerotated and --pool-splits describe the files of a --data-dir, so they need one.</summary>
    internal static IEnumerable<string> DataOptionProblems(string? dataDirectory, bool prerotated, bool poolSplits)
    {
        if (dataDirectory is not null) yield break;
        if (prerotated) yield return "--prerotated says the --data-dir files are rotated digits, but no --data-dir is given (the embedded digits are not rotated).";
        if (poolSplits) yield return "--pool-splits pools the --data-dir files, but no --data-dir is given (the embedded 10k are pooled already).";
    }

    /// <summary>Why --data-dir cannot be used (missing, or a file); null when it can or is not given.</summary>
    internal static string? DataDirectoryProblem(string? dataDirectory)
        => dataDirectory is null || Directory.Exists(dataDirectory) ? null
            : $"--data-dir '{dataDirectory}' {(File.Exists(dataDirectory) ? "is a file; name the directory that holds the IDX files" : "does not exist")}.";

    /// <summary>The warning for a --data-dir that an experiment or study generating its own data ignores.</summary>
    internal static string UnusedDataDirectoryWarning(string name, string dataDirectory)
        => $"[yellow]warning:[/] {Markup.Escape(name)} generates its data; --data-dir '{Markup.Escape(dataDirectory)}' is not used (nor recorded) for it.";

    private static int RunOne(ExperimentDescriptor experiment, ExperimentRunOptions options, string output, IAnsiConsole console, IAnsiConsole errors, List<RunRecord> finished, string? tensorBoard)
    {
        var started = DateTimeOffset.UtcNow;
        RunFolder claimed;
        ExperimentSpec spec;
        try
        {
            spec = options.ApplyTo(experiment.Spec);
        }
        catch (ExperimentSetupException e)
        {
            errors.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return UsageError;
        }
        try
        {
            // Claimed before any work: a bad --out fails now, and no other run can take this folder.
            claimed = RunFolder.Claim(output, experiment.Name, RunRecord.RunIdFor(started, options.Seed ?? spec.Training.Seed, options.Quick));
        }
        catch (IOException e)
        {
            errors.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return UsageError;
        }
        try
        {
            var result = ProgressDisplay.Run(console, experiment.Name, options.EpochsFor(spec.Training.Epochs), progress => ExperimentRunner.Run(spec, options with { WeightsFile = Path.Combine(claimed.Path, TrainedNetwork.FileName) }, progress));
            var record = RunRecord.Create(spec, result, started) with { RunId = claimed.RunId };
            var folder = ReportWriter.WriteInto(record, claimed.Path);
            Summarize(console, record, folder);
            if (tensorBoard is not null) console.Profile.Out.Writer.WriteLine($"TensorBoard events: {TensorBoardLog.Write(record, tensorBoard)} (tensorboard --logdir {tensorBoard})");
            finished.Add(record);
            return ExactEquivarianceHolds(result, folder, errors) ? Success : RunFailed;
        }
        catch (ExperimentSetupException e)
        {
            claimed.Release();
            errors.MarkupLine($"[red]error:[/] {Markup.Escape(experiment.Name)}: {Markup.Escape(e.Message)}");
            return UsageError;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            claimed.Release();
            errors.MarkupLine($"[red]{Markup.Escape(experiment.Name)} failed:[/] {Markup.Escape(e.Message)}");
            return RunFailed;
        }
    }

    /// <summary>False, with an error naming every broken layer, when a declared exact element does not hold; the results are written already.</summary>
    internal static bool ExactEquivarianceHolds(ExperimentResult result, string folder, IAnsiConsole errors)
    {
        if (result.Equivariance?.Violations() is not { Count: > 0 } violations) return true;
        errors.MarkupLine($"[red]error:[/] declared exact equivariance does not hold (results kept in {Markup.Escape(folder)}):");
        // One plain line per broken layer, never wrapped, so the layer's name can be read and searched for.
        foreach (var violation in violations) errors.Profile.Out.Writer.WriteLine($"  {violation}");
        return false;
    }

    private static void Summarize(IAnsiConsole console, RunRecord record, string folder)
    {
        var result = record.Result;
        var format = ReportFormat.Full;
        var table = new Table().AddColumns("", result.Experiment);
        if (result.TestMetricKind != TestMetricKind.None) table.AddRow(result.TestMetricKind.Label(), format.Number(result.TestMetric));
        table.AddRow("symmetry variance", result.Symmetry.Degenerate ? "[red]degenerate[/]: the output does not depend on the input" : format.Number(result.Symmetry.Variance));
        table.AddRow("relative variance", format.Number(result.Symmetry.RelativeVariance));
        if (result.Symmetry.MinBias is { } bias) table.AddRow($"min bias ({Markup.Escape(result.Symmetry.Algebra ?? "")})", format.Number(bias));
        table.AddRow($"gap λ{result.Symmetry.SubspaceDimension + 1}/λ{result.Symmetry.SubspaceDimension}", format.Number(result.Symmetry.GapRatio));
        if (result.Joint is { } joint)
        {
            table.AddRow("pair variance (A, B)", joint.Degenerate ? "[red]degenerate[/]: the joint system has rank 0" : format.Number(joint.Variance));
            if (joint.MinBias is { } pairBias) table.AddRow($"min pair bias ({Markup.Escape(joint.Algebra ?? "")})", format.Number(pairBias));
            table.AddRow($"pair gap λ{joint.SubspaceDimension + 1}/λ{joint.SubspaceDimension}", format.Number(joint.GapRatio));
        }
        console.Write(table);
        console.Profile.Out.Writer.WriteLine($"report: {Path.Combine(folder, RunFiles.ReportMarkdown)}");
    }

    private static Command ReportCommand(IAnsiConsole console, IAnsiConsole errors)
    {
        var files = new Argument<string[]>("results") { Description = "result.json files; two or more give a side-by-side comparison.", Arity = ArgumentArity.OneOrMore };
        var snapshot = new Option<bool>("--snapshot") { Description = "Print the snapshot form (rounded, no timings or machine facts)." };
        var compareOutput = new Option<string?>("--out") { Description = "With several runs: write compare.md, compare.html and compare.csv into this folder instead of printing." };
        var html = new Option<bool>("--html") { Description = "Print the path of the HTML page (report.html, or compare.html in --out, default the current folder) instead of the Markdown." };
        var command = new Command("report", "Re-render reports (report.md and report.html) from result.json files, or compare several runs (one row each).") { files, snapshot, compareOutput, html };
        command.SetAction(parse =>
        {
            var records = new List<RunRecord>();
            foreach (var file in parse.GetValue(files)!)
            {
                try
                {
                    records.Add(RunRecord.Load(file));
                }
                catch (Exception e) when (e is IOException or InvalidDataException)
                {
                    errors.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
                    return UsageError;
                }
            }
            var format = parse.GetValue(snapshot) ? ReportFormat.Snapshot : ReportFormat.Full;
            if (records.Count == 1)
            {
                var path = parse.GetValue(files)![0];
                var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
                var rendered = ReportWriter.Write(records[0], Path.GetDirectoryName(Path.GetDirectoryName(folder))!);
                // Markdown goes to the raw writer: the console would wrap its table rows at the terminal's width.
                console.Profile.Out.Writer.WriteLine(parse.GetValue(html) ? $"report: {Path.Combine(rendered, HtmlReport.RunPage)}"
                    : format == ReportFormat.Snapshot ? MarkdownReport.Render(records[0], format) : $"report: {Path.Combine(rendered, RunFiles.ReportMarkdown)}");
                return Success;
            }
            var comparison = MarkdownReport.Compare(records, format);
            if ((parse.GetValue(compareOutput) ?? (parse.GetValue(html) ? "." : null)) is { } target)
            {
                var paths = parse.GetValue(files)!;
                Directory.CreateDirectory(target);
                AtomicFile.WriteAllText(Path.Combine(target, "compare.md"), comparison);
                AtomicFile.WriteAllText(Path.Combine(target, HtmlReport.ComparisonPage), HtmlReport.Comparison(records, format));
                AtomicFile.WriteAllText(Path.Combine(target, "compare.csv"), ResultTable.Csv(paths.Select((p, i) => (Path.GetFullPath(p), records[i])).ToList()));
                console.Profile.Out.Writer.WriteLine($"comparison of {records.Count} runs: {Path.Combine(target, "compare.md")}, {Path.Combine(target, HtmlReport.ComparisonPage)}, {Path.Combine(target, "compare.csv")}");
                return Success;
            }
            console.Profile.Out.Writer.WriteLine(comparison);
            return Success;
        });
        return command;
    }
}
