using System.Diagnostics;
using System.Security.Cryptography;
using LieGG.Runtime;
using LieGG.Runtime.Results;
using Xunit.Abstractions;

namespace LieGG.Experiments.Tests;

/// <summary>
/// <c>run</c>, <c>study --jobs 2</c> and <c>analyze</c> killed with SIGKILL at seeded moments — half anywhere in the
/// command's lifetime, half in its last fifth — and then exactly inside the write of each file that matters (the
/// process kills itself between writing the file's temporary and renaming it, <see cref="WriteFaults"/>). After every kill: no folder
/// that looks complete (result.json, study.json) is incomplete, and nothing complete before the kill changed. The next
/// identical command carries on (a study resumes where it stopped, and once it finishes its results equal an unkilled
/// run's); no study worker outlives a killed study. One class per command, so the three chains of kills run side by side.
/// </summary>
[Trait("Category", "EndToEnd")]
public abstract class KillTests(ITestOutputHelper log) : IDisposable
{
    private const int Points = 20;

    protected string Root { get; } = Directory.CreateTempSubdirectory("liegg-kill-").FullName;

    public void Dispose()
    {
        Directory.Delete(Root, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>What a trial computed (its timings aside): test metric, spectrum and training losses.</summary>
    protected static string Computed(string trialFolder)
    {
        var result = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(trialFolder, "result.json"))).RootElement.GetProperty("result");
        var losses = result.GetProperty("training").GetProperty("history").EnumerateArray().Select(e => e.GetProperty("trainLoss").GetRawText());
        return $"{result.GetProperty("testMetric").GetRawText()} {result.GetProperty("symmetry").GetProperty("spectrum").GetRawText()} {string.Join(",", losses)}";
    }

    /// <summary>A command run to its end: how long it took, and its output.</summary>
    protected static (TimeSpan, string) RunToEnd(params string[] arguments)
    {
        var clock = Stopwatch.StartNew();
        var (exitCode, log) = ExperimentsProgram.Run(arguments);
        Assert.True(exitCode == 0, log);
        return (clock.Elapsed, log);
    }

    /// <summary>
    /// Starts the command <see cref="Points"/> times in a row, each killed after a seeded delay unless it ends first, and
    /// checks after each that complete folders were neither damaged nor changed; then runs it once to its end.
    /// </summary>
    /// <param name="fresh">Whether the targeted kills start from an empty output folder: a study whose trials all finished
    /// during the seeded kills would have no model left to write.</param>
    protected void KillRepeatedly(string[] arguments, TimeSpan duration, int seed, Action<string> after, IReadOnlyList<string> writes, bool fresh = false)
    {
        var random = new Random(seed);
        string outputFolder = arguments[^1];
        int killed = 0, finished = 0, insideWrites = 0, temporaries = 0;
        for (int point = 0; point < Points; point++)
        {
            double fraction = point % 2 == 0 ? random.NextDouble() : 0.8 + 0.25 * random.NextDouble();
            var delay = duration * fraction;
            var before = CompleteFolders(outputFolder).ToDictionary(f => f, Hashes);
            using var process = Process.Start(ExperimentsProgram.StartInfo(arguments))!;
            var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
            if (process.WaitForExit(delay))
            {
                Assert.True(process.ExitCode == 0, $"point {point}: exit {process.ExitCode}\n{string.Join("\n", drain.Result)}");
                finished++;
            }
            else
            {
                process.Kill(); // SIGKILL, the process alone: its workers must notice by themselves
                process.WaitForExit();
                killed++;
                // A temporary left behind means the kill landed inside a file write (model, figure, CSV or JSON).
                if (Directory.Exists(outputFolder) && Directory.EnumerateFiles(outputFolder, "*.tmp", SearchOption.AllDirectories).Count() > temporaries)
                    insideWrites++;
            }
            temporaries = Directory.Exists(outputFolder) ? Directory.EnumerateFiles(outputFolder, "*.tmp", SearchOption.AllDirectories).Count() : 0;
            drain.Wait();
            foreach (var (folder, hashes) in before)
                Assert.True(Directory.Exists(folder) && Hashes(folder).SequenceEqual(hashes), $"point {point} ({delay.TotalMilliseconds:F0} ms): {folder} was complete before and changed");
            after(outputFolder);
        }
        // Then killed exactly inside each write that matters: the process kills itself between writing a file's temporary and renaming it.
        if (fresh && Directory.Exists(outputFolder)) Directory.Delete(outputFolder, recursive: true);
        foreach (var file in writes)
        {
            var before = CompleteFolders(outputFolder).ToDictionary(f => f, Hashes);
            var start = ExperimentsProgram.StartInfo(arguments);
            start.Environment[WriteFaults.Variable] = file;
            using var process = Process.Start(start)!;
            var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
            process.WaitForExit();
            drain.Wait();
            Assert.True(process.ExitCode != 0, $"killed while writing {file}: the command did not finish\n{string.Join("\n", drain.Result)}");
            Assert.Contains(Directory.EnumerateFiles(outputFolder, "*.tmp", SearchOption.AllDirectories), t => Path.GetFileName(t).Contains(file, StringComparison.Ordinal));
            foreach (var (folder, hashes) in before)
                Assert.True(Directory.Exists(folder) && Hashes(folder).SequenceEqual(hashes), $"killed while writing {file}: {folder} was complete before and changed");
            after(outputFolder);
        }
        var (exitCode, text) = ExperimentsProgram.Run(arguments);
        Assert.True(exitCode == 0, $"the next identical command after the kills finishes: {text}");
        after(outputFolder);
        log.WriteLine($"{string.Join(' ', arguments.Take(2))}: {Points} seeded kill points over {duration.TotalMilliseconds:F0} ms — {killed} killed mid-way ({insideWrites} inside a file write), {finished} finished before their point; " +
            $"then killed inside the write of each of {string.Join(", ", writes)}");
    }

    /// <summary>Every folder holding result.json holds everything a complete one does, and its result loads.</summary>
    protected static void CheckRunFolders(string parent, IReadOnlySet<string> expected)
    {
        if (!Directory.Exists(parent)) return;
        foreach (var folder in Directory.GetDirectories(parent))
        {
            if (!File.Exists(Path.Combine(folder, "result.json"))) continue;
            var missing = expected.Except(FileNames(folder)).ToList();
            Assert.True(missing.Count == 0, $"{folder} has result.json but lacks {string.Join(", ", missing)}");
            RunRecord.Load(Path.Combine(folder, "result.json"));
        }
    }

    private static IEnumerable<string> CompleteFolders(string output)
        => Directory.Exists(output)
            ? Directory.EnumerateFiles(output, "*.json", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) is "result.json" or "study.json").Select(f => Path.GetDirectoryName(f)!).ToList()
            : [];

    /// <summary>The folder's files (temporaries and the claim marker aside), by name.</summary>
    protected static HashSet<string> FileNames(string folder)
        => Directory.GetFiles(folder).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).ToHashSet()!;

    protected static List<string> Hashes(string folder)
        => Directory.GetFiles(folder).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal)
            .Select(f => $"{Path.GetFileName(f)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}").ToList();

    protected static Predicate<string> WorkerOf(string output) => cmdline =>
    {
        try
        {
            return File.ReadAllText(cmdline).Contains(output, StringComparison.Ordinal) && WaitedOut(cmdline);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    };

    /// <summary>
    /// A process that still exists after its watch has had time to notice the study is gone. A worker started just before
    /// the kill may still be starting its runtime while the suite runs other processes beside this test (5 s was once
    /// too short for that on two cores), so the time is generous.
    /// </summary>
    private static bool WaitedOut(string cmdline)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (!File.Exists(cmdline)) return false;
            Thread.Sleep(100);
        }
        return File.Exists(cmdline);
    }
}

[RunsInOwnProcesses]
[TypicalDuration(39)]
public sealed class RunKillTests(ITestOutputHelper log) : KillTests(log)
{
    [Fact]
    public void A_killed_run_never_leaves_a_folder_that_looks_complete_but_is_not()
    {
        var reference = Path.Combine(Root, "reference");
        var (duration, _) = RunToEnd("run", "o5-regression", "--quick", "--out", reference);
        var expected = FileNames(Directory.GetDirectories(Path.Combine(reference, "o5-regression")).Single());
        KillRepeatedly(["run", "o5-regression", "--quick", "--out", Path.Combine(Root, "killed")], duration, seed: 1,
            after: killed => CheckRunFolders(Path.Combine(killed, "o5-regression"), expected),
            writes: ["model.safetensors", "training.csv", "spectrum.svg", "report.md", "report.html", "result.json"]);
    }
}

[RunsInOwnProcesses]
[TypicalDuration(46)]
public sealed class AnalysisKillTests(ITestOutputHelper log) : KillTests(log)
{
    [Fact]
    public void A_killed_analysis_never_leaves_a_folder_that_looks_complete_but_is_not()
    {
        var trained = Path.Combine(Root, "trained");
        RunToEnd("run", "o5-regression", "--quick", "--out", trained);
        var runFolder = Directory.GetDirectories(Path.Combine(trained, "o5-regression")).Single();
        var reference = Path.Combine(Root, "reference");
        var (duration, _) = RunToEnd("analyze", runFolder, "--out", reference);
        var expected = FileNames(Directory.GetDirectories(Path.Combine(reference, "o5-regression")).Single());
        var before = Hashes(runFolder);
        KillRepeatedly(["analyze", runFolder, "--out", Path.Combine(Root, "killed")], duration, seed: 2,
            after: killed => CheckRunFolders(Path.Combine(killed, "o5-regression"), expected),
            writes: ["spectrum.csv", "report.md", "result.json"]);
        Assert.Equal(before, Hashes(runFolder));
    }
}

[RunsInOwnProcesses]
[TypicalDuration(122)]
public sealed class StudyKillTests(ITestOutputHelper log) : KillTests(log)
{
    [Fact]
    public void A_killed_parallel_study_resumes_to_the_results_of_an_unkilled_one()
    {
        var reference = Path.Combine(Root, "reference");
        var (duration, _) = RunToEnd("study", "o5-seeds", "--quick", "--jobs", "2", "--out", reference);
        var referenceStudy = Path.Combine(reference, "o5-seeds");
        var expectedTrial = FileNames(Directory.GetDirectories(Path.Combine(referenceStudy, "trials")).First());
        var killed = Path.Combine(Root, "killed");
        int finishedStudies = 0;
        KillRepeatedly(["study", "o5-seeds", "--quick", "--jobs", "2", "--out", killed], duration, seed: 3, after: _ =>
        {
            var study = Path.Combine(killed, "o5-seeds");
            Assert.DoesNotContain(Directory.GetDirectories("/proc").Select(d => Path.Combine(d, "cmdline")), WorkerOf(killed));
            var trials = Path.Combine(study, "trials");
            if (Directory.Exists(trials)) CheckRunFolders(trials, expectedTrial);
            if (!File.Exists(Path.Combine(study, "study.json"))) return;
            // The merge is whole and every trial computed what the unkilled study computed.
            foreach (var file in new[] { "study.md", "trials.csv" }) Assert.True(File.Exists(Path.Combine(study, file)), $"{study} has study.json but no {file}");
            StudyResult.Load(Path.Combine(study, "study.json"));
            foreach (var trial in Directory.GetDirectories(Path.Combine(referenceStudy, "trials")).Select(Path.GetFileName))
                Assert.Equal(Computed(Path.Combine(referenceStudy, "trials", trial!)), Computed(Path.Combine(trials, trial!)));
            finishedStudies++;
            Directory.Delete(killed, recursive: true);
        }, writes: ["model.safetensors", "result.json", "trials.csv", "study.md", "study.json"], fresh: true);
        Assert.True(finishedStudies > 0, "some command in the chain finished the study");
    }
}
