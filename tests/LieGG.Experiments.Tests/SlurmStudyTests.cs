using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LieGG.Experiments.Tests;

/// <summary>
/// Studies submitted to a real Slurm (one node on this machine, see <see cref="LocalSlurm"/>): an array of the pending
/// trials, overlapping submissions, a task cancelled or killed mid-trial, a trial that fails.
/// </summary>
[Collection("slurm")]
[Trait("Category", "Slurm")]
[RunsInOwnProcesses]
public sealed class SlurmStudyTests(LocalSlurm slurm) : IDisposable
{
    private readonly string output = Directory.CreateTempSubdirectory("liegg-slurm-study-").FullName;

    public void Dispose() => Directory.Delete(output, recursive: true);

    private static readonly TimeSpan ArrayTimeout = TimeSpan.FromMinutes(4);

    private string Trial(string study, int index) => Path.Combine(output, study, "trials", $"trial-{index:D4}");

    private bool Finished(string study, int index) => File.Exists(Path.Combine(Trial(study, index), "result.json"));

    private int Attempts(string study, int index)
    {
        var log = Path.Combine(Trial(study, index), "trial.log");
        return File.Exists(log) ? File.ReadLines(log).Count(l => l.Contains("] claimed ", StringComparison.Ordinal) || l.Contains("] took the trial over", StringComparison.Ordinal)) : 0;
    }

    private (int ExitCode, string Output) Study(IReadOnlyDictionary<string, string?>? extra, params string[] arguments)
    {
        var environment = new Dictionary<string, string?>(slurm.Variables);
        foreach (var (name, value) in extra ?? new Dictionary<string, string?>()) environment[name] = value;
        return ExperimentsProgram.Run(environment, arguments);
    }

    private static string JobOf(string log) => Regex.Match(log, @"as Slurm array job (\d+)").Groups[1].Value;

    private static JsonElement Result(string folder) => JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "result.json"))).RootElement.GetProperty("result");

    /// <summary>The holder of a trial's claim, once one is there.</summary>
    private JsonElement WaitForClaim(string study, int index)
    {
        var claim = Path.Combine(Trial(study, index), ".trial-claim");
        JsonElement owner = default;
        Assert.True(SpinWait.SpinUntil(() =>
        {
            try
            {
                owner = JsonDocument.Parse(File.ReadAllText(claim)).RootElement;
                return owner.TryGetProperty("slurmJob", out _);
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                Thread.Sleep(200);
                return false;
            }
        }, ArrayTimeout), $"trial {index} was claimed by an array task");
        return owner;
    }

    [SkippableFact]
    public void An_array_with_wait_gives_the_results_of_a_local_run_at_the_same_threads()
    {
        Skip.If(slurm.Unavailable is not null, slurm.Unavailable);
        var local = Path.Combine(output, "local");
        var (localExit, localLog) = ExperimentsProgram.Run("study", "o5-seeds", "--quick", "--threads", "1", "--out", local);
        Assert.True(localExit == 0, localLog);

        var clock = Stopwatch.StartNew();
        var (exitCode, log) = Study(null, "study", "o5-seeds", "--quick", "--submit", "slurm", "--cpus-per-task", "1", "--time", "10", "--wait", "--out", output);
        Assert.True(exitCode == 0, log);
        Assert.Contains("submitted 3 pending trial(s) as Slurm array job", log);
        Assert.Contains("o5-seeds: 3/3 finished, 0 running, 0 queued", log);
        Assert.Contains("o5-seeds: 3 of 3 trials in", log);

        var slurmFolder = Path.Combine(output, "o5-seeds", "slurm");
        var script = File.ReadAllText(Directory.GetFiles(slurmFolder, "*.sbatch").Single());
        Assert.Contains("#SBATCH --array=0-2", script);
        Assert.Contains("#SBATCH --cpus-per-task=1", script);
        Assert.Contains("#SBATCH --time=10", script);
        Assert.Equal(4, File.ReadAllLines(Directory.GetFiles(slurmFolder, "*.trials.tsv").Single()).Length);
        Assert.Equal(3, Directory.GetFiles(slurmFolder, "*.out").Length);
        for (int i = 0; i < 3; i++)
        {
            var mine = Result(Trial("o5-seeds", i));
            var theirs = Result(Path.Combine(local, "o5-seeds", "trials", $"trial-{i:D4}"));
            Assert.Equal(theirs.GetProperty("testMetric").GetDouble(), mine.GetProperty("testMetric").GetDouble());
            Assert.Equal(theirs.GetProperty("symmetry").GetProperty("spectrum").GetRawText(), mine.GetProperty("symmetry").GetProperty("spectrum").GetRawText());
            Assert.Equal(1, mine.GetProperty("threads").GetInt32());
        }
        Console.WriteLine($"slurm: an array of 3 quick trials with --wait took {clock.Elapsed.TotalSeconds:F1} s");
    }

    [SkippableFact]
    public void Two_overlapping_submissions_of_six_trials_train_each_trial_once_with_the_results_of_a_local_run()
    {
        Skip.If(slurm.Unavailable is not null, slurm.Unavailable);
        var (firstExit, first) = Study(null, "study", "shallow-vs-deep", "--quick", "--submit", "slurm", "--out", output);
        Assert.True(firstExit == 0, first);
        var (secondExit, second) = Study(null, "study", "shallow-vs-deep", "--quick", "--submit", "slurm", "--wait", "--out", output);
        Assert.True(secondExit == 0, second);
        Assert.True(slurm.WaitUntilGone(JobOf(first), ArrayTimeout), "the first array ended");

        Assert.All(Enumerable.Range(0, 6), i => Assert.True(Finished("shallow-vs-deep", i), $"trial {i} finished"));
        var local = Path.Combine(output, "local");
        var (localExit, localLog) = ExperimentsProgram.Run("study", "shallow-vs-deep", "--quick", "--threads", "1", "--out", local);
        Assert.True(localExit == 0, localLog);
        for (int i = 0; i < 6; i++)
        {
            var mine = Result(Trial("shallow-vs-deep", i));
            var theirs = Result(Path.Combine(local, "shallow-vs-deep", "trials", $"trial-{i:D4}"));
            Assert.Equal(theirs.GetProperty("testMetric").GetDouble(), mine.GetProperty("testMetric").GetDouble());
            Assert.Equal(theirs.GetProperty("symmetry").GetProperty("spectrum").GetRawText(), mine.GetProperty("symmetry").GetProperty("spectrum").GetRawText());
        }
        Assert.Equal(Enumerable.Repeat(1, 6), Enumerable.Range(0, 6).Select(i => Attempts("shallow-vs-deep", i)));
        // The second array's tasks found their trials finished or held, and said so in their logs.
        var taskLogs = Directory.GetFiles(Path.Combine(output, "shallow-vs-deep", "slurm"), $"{JobOf(second)}_*.out").Select(File.ReadAllText).ToList();
        Assert.All(taskLogs, l => Assert.Matches("finished before, skipped|held by another process|0 trials run|1 trials run", l));
        Console.WriteLine($"slurm: overlapping submissions: {Regex.Match(second, @"submitted (\d+) pending").Groups[1].Value} of 6 trials submitted again, 6 trainings in all");
    }

    [SkippableFact]
    public void A_task_cancelled_mid_trial_leaves_no_result_and_a_resubmission_runs_only_that_trial()
    {
        Skip.If(slurm.Unavailable is not null, slurm.Unavailable);
        var delayed = new Dictionary<string, string?> { ["LIEGG_DELAY_TRIAL"] = "trial-0001:300" };
        var (exitCode, log) = Study(delayed, "study", "o5-seeds", "--quick", "--submit", "slurm", "--out", output);
        Assert.True(exitCode == 0, log);
        var owner = WaitForClaim("o5-seeds", 1);
        var (cancelExit, cancelLog) = slurm.Run("scancel", owner.GetProperty("slurmJob").GetString()!);
        Assert.True(cancelExit == 0, cancelLog);
        Assert.True(slurm.WaitUntilGone(JobOf(log), ArrayTimeout), "the array ended");

        Assert.Equal([true, false, true], Enumerable.Range(0, 3).Select(i => Finished("o5-seeds", i)));
        Assert.False(File.Exists(Path.Combine(Trial("o5-seeds", 1), ".trial-claim")), "the cancelled task released its claim");
        Assert.Contains("interrupted; its unfinished files were removed", File.ReadAllText(Path.Combine(Trial("o5-seeds", 1), "trial.log")));

        var (againExit, again) = Study(null, "study", "o5-seeds", "--quick", "--submit", "slurm", "--wait", "--out", output);
        Assert.True(againExit == 0, again);
        Assert.Contains("submitted 1 pending trial(s)", again);
        Assert.Equal([1, 2, 1], Enumerable.Range(0, 3).Select(i => Attempts("o5-seeds", i)));
        Assert.All(Enumerable.Range(0, 3), i => Assert.True(Finished("o5-seeds", i)));
    }

    [SkippableFact]
    public void A_task_killed_outright_leaves_a_claim_that_the_next_submission_takes_over()
    {
        Skip.If(slurm.Unavailable is not null, slurm.Unavailable);
        var delayed = new Dictionary<string, string?> { ["LIEGG_DELAY_TRIAL"] = "trial-0002:300" };
        var (exitCode, log) = Study(delayed, "study", "o5-seeds", "--quick", "--submit", "slurm", "--out", output);
        Assert.True(exitCode == 0, log);
        var owner = WaitForClaim("o5-seeds", 2);
        using (var kill = Process.Start("kill", ["-KILL", owner.GetProperty("processId").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)])!) kill.WaitForExit();
        Assert.True(slurm.WaitUntilGone(JobOf(log), ArrayTimeout), "the array ended");
        Assert.True(File.Exists(Path.Combine(Trial("o5-seeds", 2), ".trial-claim")), "SIGKILL leaves the claim behind");
        Assert.False(Finished("o5-seeds", 2));

        var (statusExit, status) = Study(null, "study-status", "o5-seeds", "--out", output);
        Assert.True(statusExit == 0, status);
        Assert.Matches(@"trial-0002  abandoned .*has exited", status);

        // Seen from another node, where the holder's process cannot be looked up, Slurm itself says the job has ended.
        var claim = Path.Combine(Trial("o5-seeds", 2), ".trial-claim");
        File.WriteAllText(claim, File.ReadAllText(claim).Replace($"\"host\":\"{Environment.MachineName}\"", "\"host\":\"another-node\"", StringComparison.Ordinal));
        (statusExit, status) = Study(null, "study-status", "o5-seeds", "--out", output);
        Assert.True(statusExit == 0, status);
        Assert.Matches($@"trial-0002  abandoned .*Slurm job {owner.GetProperty("slurmJob").GetString()} is no longer queued or running", status);

        var (againExit, again) = Study(null, "study", "o5-seeds", "--quick", "--submit", "slurm", "--wait", "--out", output);
        Assert.True(againExit == 0, again);
        Assert.Contains("submitted 1 pending trial(s)", again);
        var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(Trial("o5-seeds", 2), "result.json"))).RootElement;
        Assert.Contains("is no longer queued or running", record.GetProperty("tookOver").GetString());
        Assert.Contains("- trial 2: its holder", File.ReadAllText(Path.Combine(output, "o5-seeds", "study.md")));
    }

    [SkippableFact]
    public void A_failing_trial_shows_in_study_status_with_its_exit_code_and_log_and_the_rest_merge()
    {
        Skip.If(slurm.Unavailable is not null, slurm.Unavailable);
        var failing = new Dictionary<string, string?> { ["LIEGG_FAIL_TRIAL"] = "trial-0001" };
        var (exitCode, log) = Study(failing, "study", "o5-seeds", "--quick", "--submit", "slurm", "--wait", "--out", output);

        Assert.True(exitCode == 1, log);
        Assert.Contains("trial-0001 (Experiment=o5-regression, seed=1) did not finish: failed", log);
        Assert.Contains("o5-seeds: 2 of 3 trials in", log);
        var (statusExit, status) = Study(null, "study-status", "o5-seeds", "--out", output);
        Assert.True(statusExit == 0, status);
        Assert.Matches(@"trial-0001  failed .*\(exit 1\).*failed on purpose", status);
        Assert.Contains("failed: InvalidOperationException: trial-0001 failed on purpose", status);
    }
}
