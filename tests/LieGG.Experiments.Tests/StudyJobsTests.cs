using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Text.Json;

namespace LieGG.Experiments.Tests;

/// <summary>
/// <c>study --jobs</c> runs the experiments program itself as its workers, so these tests start that program as a
/// process (the one built beside the tests), as a user's shell would.
/// </summary>
[Trait("Category", "EndToEnd")]
[RunsInOwnProcesses]
[TypicalDuration(55)]
public sealed class StudyJobsTests : IDisposable
{
    private readonly string output = Directory.CreateTempSubdirectory("liegg-jobs-").FullName;

    public void Dispose() => Directory.Delete(output, recursive: true);

    /// <summary>Training loss and validation metric per epoch (the history's timings differ, of course).</summary>
    private static List<(double, double)> Losses(JsonElement result) => result.GetProperty("training").GetProperty("history").EnumerateArray()
        .Select(e => (e.GetProperty("trainLoss").GetDouble(), e.GetProperty("validationMetric").GetDouble())).ToList();

    private static JsonElement Result(string file) => JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("result");

    [Fact]
    public void Trials_run_in_workers_give_the_results_of_a_sequential_run()
    {
        string sequential = Path.Combine(output, "sequential"), parallel = Path.Combine(output, "parallel");
        var (sequentialExit, sequentialLog) = ExperimentsProgram.Run("study", "shallow-vs-deep", "--quick", "--threads", "1", "--out", sequential);
        Assert.True(sequentialExit == 0, sequentialLog);
        var (parallelExit, parallelLog) = ExperimentsProgram.Run("study", "shallow-vs-deep", "--quick", "--jobs", "2", "--threads", "1", "--out", parallel);
        Assert.True(parallelExit == 0, parallelLog);
        Assert.Contains("6 trial(s) to run in 2 worker process(es)", parallelLog);
        Assert.Contains("[trial-0005]", parallelLog);

        var trials = Directory.GetDirectories(Path.Combine(sequential, "shallow-vs-deep", "trials")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(6, trials.Count);
        foreach (var trial in trials)
        {
            var a = Result(Path.Combine(sequential, "shallow-vs-deep", "trials", trial!, "result.json"));
            var b = Result(Path.Combine(parallel, "shallow-vs-deep", "trials", trial!, "result.json"));
            Assert.Equal(a.GetProperty("testMetric").GetDouble(), b.GetProperty("testMetric").GetDouble());
            Assert.Equal(a.GetProperty("symmetry").GetProperty("spectrum").GetRawText(), b.GetProperty("symmetry").GetProperty("spectrum").GetRawText());
            Assert.Equal(Losses(a), Losses(b));
            // Both ran at one thread, and say so: results depend on the thread count through round-off.
            Assert.Equal(1, a.GetProperty("threads").GetInt32());
            Assert.Equal(1, b.GetProperty("threads").GetInt32());
        }
        Assert.True(File.Exists(Path.Combine(parallel, "shallow-vs-deep", "study.md")));
        // Two worker processes ran the six trials between them: each took its next trial when it finished one.
        Assert.Equal(2, trials.Select(t => ClaimedBy(Path.Combine(parallel, "shallow-vs-deep", "trials", t!))).Distinct().Count());
    }

    /// <summary>The process that claimed the trial, from its log ("[pid 1234 on host] claimed …").</summary>
    private static int? ClaimedBy(string trialFolder)
    {
        var log = Path.Combine(trialFolder, "trial.log");
        if (!File.Exists(log)) return null;
        var claim = File.ReadLines(log).Select(l => Regex.Match(l, @"\[pid (\d+) on [^\]]+\] claimed ")).FirstOrDefault(m => m.Success);
        return claim is null ? null : int.Parse(claim.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_worker_that_dies_takes_only_its_trial_with_it_and_a_new_worker_takes_the_rest()
    {
        // Trial 0 holds the first worker for 20 s and trial 1 the second until it is killed, so the trials after them
        // can only go to a worker started in the dead one's place.
        var start = ExperimentsProgram.StartInfo("study", "shallow-vs-deep", "--quick", "--jobs", "2", "--threads", "1", "--out", output);
        start.Environment["LIEGG_DELAY_TRIAL"] = "trial-0000:20,trial-0001:120";
        using var study = Process.Start(start)!;
        var drain = Task.WhenAll(study.StandardOutput.ReadToEndAsync(), study.StandardError.ReadToEndAsync());
        string trials = Path.Combine(output, "shallow-vs-deep", "trials");
        var clock = Stopwatch.StartNew();
        int? victim = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && (victim = ClaimedBy(Path.Combine(trials, "trial-0001"))) is null) await Task.Delay(100);
        Assert.True(victim is not null, "the second worker claimed trial 1");
        using (var kill = Process.Start("kill", ["-KILL", victim.Value.ToString(CultureInfo.InvariantCulture)])!) await kill.WaitForExitAsync();
        Assert.True(study.WaitForExit(180_000), "the study ended");
        string log = string.Join("\n", await drain);

        Assert.True(study.ExitCode == 1, log);
        Assert.Matches(@"trial-0001 \([^)]*\) failed \(exit 137\)", log); // SIGKILL
        foreach (int index in new[] { 0, 2, 3, 4, 5 })
            Assert.True(File.Exists(Path.Combine(trials, $"trial-{index:D4}", "result.json")), $"trial {index} finished");
        Assert.False(File.Exists(Path.Combine(trials, "trial-0001", "result.json")));
        var owners = new[] { 0, 2, 3, 4, 5 }.Select(i => ClaimedBy(Path.Combine(trials, $"trial-{i:D4}"))).ToList();
        Assert.DoesNotContain(victim, owners);
        Assert.All(owners.Skip(1), owner => Assert.NotEqual(owners[0], owner));
        Assert.Contains("**Incomplete:** 5 of 6 trials finished", File.ReadAllText(Path.Combine(output, "shallow-vs-deep", "study.md")));

        var (statusExit, status) = ExperimentsProgram.Run("study-status", "shallow-vs-deep", "--out", output);
        Assert.True(statusExit == 0, status);
        Assert.Contains("5 finished, 1 failed of 6 trials", status);
        var (againExit, again) = ExperimentsProgram.Run("study", "shallow-vs-deep", "--quick", "--jobs", "2", "--threads", "1", "--out", output);
        Assert.True(againExit == 0, again);
        Assert.Contains("shallow-vs-deep: 1 trials run, 5 already finished.", again);
    }

    /// <summary>
    /// Whether this process ignores SIGINT. A process started in the background by a non-interactive shell (<c>cmd &amp;</c>)
    /// ignores it, and so does everything it starts, the study included: a background job is not the terminal's to stop.
    /// </summary>
    private static bool IgnoresSigint()
    {
        const int sigint = 2; // SigIgn is a hexadecimal mask with bit (signal − 1) set for each ignored signal
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & (1UL << (sigint - 1))) != 0;
    }

    [SkippableTheory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task A_signal_stops_every_worker_and_leaves_no_partial_trial(string signal)
    {
        Skip.If(signal == "INT" && IgnoresSigint(), "the test runner ignores SIGINT (started in the background), so the study it starts ignores Ctrl-C too");
        using var process = Process.Start(ExperimentsProgram.StartInfo("study", "o5-train-size", "--jobs", "2", "--out", output))!;
        var standardError = process.StandardError.ReadToEndAsync();
        var seen = new List<string>();
        // Wait until both workers are training, then interrupt as a terminal's Ctrl-C (or a scheduler's SIGTERM) does.
        while (process.StandardOutput.ReadLine() is { } line)
        {
            seen.Add(line);
            if (seen.Any(l => l.StartsWith("[trial-0000]", StringComparison.Ordinal) && l.Contains("epoch 2/"))
                && seen.Any(l => l.StartsWith("[trial-0001]", StringComparison.Ordinal) && l.Contains("epoch 2/")))
                break;
        }
        using (var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
        var rest = await process.StandardOutput.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "the study stopped");
        var errors = await standardError;

        Assert.True(process.ExitCode == 130, string.Join("\n", seen) + rest + errors);
        Assert.Contains("interrupted", rest + errors);
        var trials = Path.Combine(output, "o5-train-size", "trials");
        if (Directory.Exists(trials))
            foreach (var folder in Directory.GetDirectories(trials))
                Assert.True(File.Exists(Path.Combine(folder, "result.json")), $"{folder} is a complete trial or gone");
        Assert.False(File.Exists(Path.Combine(output, "o5-train-size", "study.md")), "an interrupted study is not merged");
        Assert.DoesNotContain(Directory.GetDirectories("/proc").Select(d => Path.Combine(d, "cmdline")), WorkerOfThisTest);
    }

    private bool WorkerOfThisTest(string cmdline)
    {
        try
        {
            return File.ReadAllText(cmdline).Contains(output, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
