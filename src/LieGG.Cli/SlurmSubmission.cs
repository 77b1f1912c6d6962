using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using LieGG.Runtime.Orchestration;
using LieGG.Runtime.Results;
using LieGG.Runtime.Studies;
using Spectre.Console;
using static LieGG.Cli.LieGGCommandLine;

namespace LieGG.Cli;

/// <summary>
/// <c>study NAME --submit slurm</c>: the study's pending trials as one Slurm job array, one task per trial, each task
/// <c>study NAME --trial K</c> with the run's options. The job script and the task → trial map are written into
/// <c>&lt;study&gt;/slurm/</c> first, so they can be read, kept and submitted again by hand (<c>sbatch FILE</c>); the
/// trials' claims make an overlapping submission harmless. <c>--wait</c> follows the array and merges at the end.
/// </summary>
internal sealed partial class SlurmSubmission
{
    public string? Partition { get; private init; }
    public string? Time { get; private init; }
    public int CpusPerTask { get; private init; } = 1;
    public string? Memory { get; private init; }
    public int? MaxParallel { get; private init; }
    public IReadOnlyList<string> SbatchArguments { get; private init; } = [];
    public bool Wait { get; private init; }

    /// <summary>How often <c>--wait</c> asks Slurm about the array.</summary>
    public static TimeSpan PollInterval { get; } = TimeSpan.FromSeconds(2);

    public sealed class OptionSet
    {
        public Option<string?> Submit { get; } = new("--submit") { Description = "Hand the pending trials to a scheduler as one job array instead of running them here: slurm." };
        public Option<string?> Partition { get; } = new("--partition") { Description = "With --submit slurm: the partition (sbatch --partition)." };
        public Option<string?> Time { get; } = new("--time") { Description = "With --submit slurm: each task's time limit (sbatch --time, e.g. 30, 2:00:00, 1-00:00:00)." };
        public Option<int?> CpusPerTask { get; } = new("--cpus-per-task") { Description = "With --submit slurm: CPUs per task, also its TorchSharp threads (default 1)." };
        public Option<string?> Memory { get; } = new("--mem") { Description = "With --submit slurm: memory per task (sbatch --mem, e.g. 4G)." };
        public Option<int?> MaxParallel { get; } = new("--max-parallel") { Description = "With --submit slurm: at most K tasks at once (--array=…%K)." };
        public Option<string[]> SbatchArguments { get; } = new("--sbatch-arg") { Description = "With --submit slurm: one more #SBATCH line, e.g. --sbatch-arg=--qos=short (repeatable).", AllowMultipleArgumentsPerToken = false };
        public Option<bool> Wait { get; } = new("--wait") { Description = "With --submit slurm: follow the array with a progress line, then merge." };

        public IEnumerable<Option> All => [Submit, Partition, Time, CpusPerTask, Memory, MaxParallel, SbatchArguments, Wait];

        /// <summary>The submission asked for, or null for none; every problem with the options goes into <paramref name="problems"/>.</summary>
        public SlurmSubmission? Read(ParseResult parse, List<string> problems)
        {
            var scheduler = parse.GetValue(Submit);
            var given = All.Skip(1).Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
            if (scheduler is null)
            {
                if (given.Count > 0) problems.Add($"{string.Join(", ", given)} {(given.Count == 1 ? "goes" : "go")} with --submit slurm; add it, or drop {(given.Count == 1 ? "it" : "them")}.");
                return null;
            }
            if (scheduler != "slurm")
            {
                problems.Add($"--submit '{scheduler}' is not a scheduler this knows: use --submit slurm (for a Kubernetes Indexed Job, run 'study NAME --shard auto/N' in its pods).");
                return null;
            }
            if (parse.GetValue(Time) is { } time && !TimeLimit().IsMatch(time))
                problems.Add($"--time '{time}' is not a Slurm time limit (minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS).");
            if (parse.GetValue(Memory) is { } memory && !MemorySize().IsMatch(memory))
                problems.Add($"--mem '{memory}' is not a Slurm memory size (a whole number with an optional K, M, G or T, e.g. 4G).");
            if (parse.GetValue(CpusPerTask) is < 1) problems.Add("--cpus-per-task must be at least 1.");
            if (parse.GetValue(MaxParallel) is < 1) problems.Add("--max-parallel must be at least 1.");
            if (parse.GetValue(SbatchArguments)?.FirstOrDefault(a => !a.StartsWith('-') || a.Contains('\n')) is { } bad)
                problems.Add($"--sbatch-arg '{bad}' is not one sbatch option (it starts with - and is one line, e.g. --sbatch-arg=--qos=short).");
            return new SlurmSubmission
            {
                Partition = parse.GetValue(Partition), Time = parse.GetValue(Time), CpusPerTask = parse.GetValue(CpusPerTask) ?? 1,
                Memory = parse.GetValue(Memory), MaxParallel = parse.GetValue(MaxParallel), SbatchArguments = parse.GetValue(SbatchArguments) ?? [],
                Wait = parse.GetValue(Wait),
            };
        }
    }

    public static OptionSet Options() => new();

    [GeneratedRegex(@"^(\d+-\d+(:\d+){0,2}|\d+(:\d+){0,2})$")]
    private static partial Regex TimeLimit();

    [GeneratedRegex(@"^\d+[KMGT]?$")]
    private static partial Regex MemorySize();

    public delegate int Merger(StudyDescriptor study, string output, IAnsiConsole console, IAnsiConsole errors);

    public int Submit(StudyDescriptor study, StudyRunOptions options, IReadOnlyList<string> sharedArguments, IAnsiConsole console, IAnsiConsole errors, Merger merge)
    {
        var writer = console.Profile.Out.Writer;
        if (StudyCommands.PendingOrExplain(study, options, errors) is not { } pending) return UsageError;
        if (pending.Count == 0)
        {
            writer.WriteLine($"{study.Name}: no pending trials (finished, or running elsewhere); nothing to submit.");
            return Wait ? merge(study, options.Output, console, errors) : Success;
        }

        var folder = Path.Combine(Path.GetFullPath(StudyRunner.StudyFolder(options.Output, study.Name)), "slurm");
        Directory.CreateDirectory(folder);
        var stem = UniqueStem(folder);
        var mapFile = Path.Combine(folder, stem + ".trials.tsv");
        var scriptFile = Path.Combine(folder, stem + ".sbatch");
        AtomicFile.WriteAllText(mapFile, "# task\ttrial\tkey\tlabel\n" + string.Concat(pending.Select((t, task) =>
            string.Create(CultureInfo.InvariantCulture, $"{task}\t{t.Info.Index}\t{t.Info.Key}\t{t.Info.Label}\n"))));
        AtomicFile.WriteAllText(scriptFile, Script(study.Name, pending.Count, folder, mapFile, sharedArguments));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(scriptFile, File.GetUnixFileMode(scriptFile) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute);

        var (exitCode, answer) = SlurmQueue.Run("sbatch", "--parsable", scriptFile);
        if (exitCode != 0)
        {
            errors.MarkupLine($"[red]error:[/] sbatch did not take the array ({Markup.Escape(answer.Trim())}). The job script is {Markup.Escape(scriptFile)}: submit it where Slurm runs with 'sbatch {Markup.Escape(scriptFile)}'.");
            return RunFailed;
        }
        var job = answer.Trim().Split(';')[0];
        File.AppendAllText(Path.Combine(folder, "submissions.tsv"), string.Create(CultureInfo.InvariantCulture,
            $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ}\t{job}\t{Path.GetFileName(scriptFile)}\t{pending.Count}\n"));
        writer.WriteLine($"{study.Name}: submitted {pending.Count} pending trial(s) as Slurm array job {job} (script {scriptFile}; task logs {Path.Combine(folder, job)}_*.out).");
        if (!Wait) return Success;
        return Follow(study, options, pending, job, writer, errors, merge, console);
    }

    /// <summary>Follows the array until Slurm lists none of its tasks, one progress line per change, then merges.</summary>
    private static int Follow(StudyDescriptor study, StudyRunOptions options, IReadOnlyList<StudyTrial> submitted, string job, TextWriter writer, IAnsiConsole errors, Merger merge, IAnsiConsole console)
    {
        string last = "";
        int unanswered = 0;
        while (true)
        {
            var (exitCode, answer) = SlurmQueue.Run("squeue", "-h", "-r", "-j", job, "-o", "%T");
            bool gone;
            int running = 0, queued = 0;
            if (exitCode == 0)
            {
                var states = answer.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                running = states.Count(s => s is "RUNNING" or "COMPLETING" or "CONFIGURING");
                queued = states.Count(s => s is "PENDING" or "REQUEUED" or "SUSPENDED");
                gone = running + queued == 0;
                unanswered = 0;
            }
            else if (answer.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase))
            {
                gone = true;
            }
            else
            {
                if (++unanswered > 30)
                {
                    errors.MarkupLine($"[red]error:[/] squeue stopped answering about job {Markup.Escape(job)} ({Markup.Escape(answer.Trim())}); the array may still run: 'study-status {Markup.Escape(study.Name)}' shows its trials.");
                    return RunFailed;
                }
                gone = false;
            }
            int finished = submitted.Count(t => StudyRunner.TryLoadFinished(StudyRunner.TrialFolder(options.Output, t.Info)) is not null);
            var line = $"{study.Name}: {finished}/{submitted.Count} finished, {running} running, {queued} queued (Slurm job {job})";
            if (line != last) writer.WriteLine(line);
            last = line;
            if (gone) break;
            Thread.Sleep(PollInterval);
        }
        var unfinished = TrialState.Read(submitted, options.Output, logLines: 0).Where(s => s.Stage != TrialStage.Finished).ToList();
        foreach (var state in unfinished)
            errors.MarkupLine($"[red]{Markup.Escape(state.Trial.Key)} ({Markup.Escape(state.Trial.Label)}) did not finish:[/] {Markup.Escape(state.Stage.ToString().ToLowerInvariant())}: {Markup.Escape(state.Detail)}");
        int merged = merge(study, options.Output, console, errors);
        return unfinished.Count > 0 ? RunFailed : merged;
    }

    private static string UniqueStem(string folder)
    {
        var stem = $"submit-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}";
        for (int n = 2; File.Exists(Path.Combine(folder, stem + ".sbatch")); n++) stem = $"submit-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}-{n}";
        return stem;
    }

    private string Script(string study, int tasks, string folder, string mapFile, IReadOnlyList<string> sharedArguments)
    {
        var (program, prefix) = StudyWorkers.CurrentProgram();
        var script = new StringBuilder();
        script.Append("#!/bin/bash\n");
        script.Append($"# LieGG study '{study}': {tasks} pending trial(s) as one Slurm job array, one task per trial.\n");
        script.Append($"# Written by 'study {study} --submit slurm' on {ClaimOwner.HostName} at {DateTimeOffset.UtcNow:u}. Submit it again by hand with\n");
        script.Append("#   sbatch THIS_FILE\n");
        script.Append("# Task i runs the trial on line i of the map beside it; trials that have finished are skipped and trials another\n");
        script.Append("# process holds are left to it, so submitting twice trains nothing twice.\n");
        script.Append($"#SBATCH --job-name=liegg-{study}\n");
        script.Append(string.Create(CultureInfo.InvariantCulture, $"#SBATCH --array=0-{tasks - 1}{(MaxParallel is { } k ? $"%{k}" : "")}\n"));
        script.Append(string.Create(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={CpusPerTask}\n"));
        script.Append($"#SBATCH --output={Path.Combine(folder, "%A_%a.out")}\n");
        if (Partition is { } partition) script.Append($"#SBATCH --partition={partition}\n");
        if (Time is { } time) script.Append($"#SBATCH --time={time}\n");
        if (Memory is { } memory) script.Append($"#SBATCH --mem={memory}\n");
        foreach (var argument in SbatchArguments) script.Append($"#SBATCH {argument}\n");
        script.Append("set -eu\n");
        script.Append($"map={Quote(mapFile)}\n");
        script.Append("trial=$(awk -F '\\t' -v task=\"$SLURM_ARRAY_TASK_ID\" '$1 == task { print $2 }' \"$map\")\n");
        script.Append("if [ -z \"$trial\" ]; then echo \"array task $SLURM_ARRAY_TASK_ID is not in $map\" >&2; exit 2; fi\n");
        script.Append($"cd {Quote(Environment.CurrentDirectory)}\n");
        script.Append("exec ").Append(string.Join(' ', new[] { program }.Concat(prefix).Concat(["study", study]).Select(Quote)))
            .Append(" --trial \"$trial\" ").Append(string.Join(' ', sharedArguments.Select(Quote))).Append('\n');
        return script.ToString();
    }

    /// <summary>A word for bash, single-quoted unless it needs no quotes.</summary>
    internal static string Quote(string word) => PlainWord().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"^[A-Za-z0-9_./:=@%+-]+$")]
    private static partial Regex PlainWord();
}
