using System.Diagnostics;
using System.Text.Json;

namespace LieGG.Experiments.Tests;

/// <summary>
/// Study processes sharing one output folder, as overlapping resubmissions or array tasks do: each trial trains once,
/// a failing trial is recorded and does not stop the rest, and a signalled trial leaves nothing that looks finished.
/// </summary>
[Trait("Category", "EndToEnd")]
[RunsInOwnProcesses]
[TypicalDuration(14)]
public sealed class StudyClaimTests : IDisposable
{
    private readonly string output = Directory.CreateTempSubdirectory("liegg-claims-").FullName;

    public void Dispose() => Directory.Delete(output, recursive: true);

    private string Trial(string study, int index) => Path.Combine(output, study, "trials", $"trial-{index:D4}");

    /// <summary>How many attempts claimed (or took over) the trial: each is one training started.</summary>
    private int Attempts(string study, int index) => File.ReadLines(Path.Combine(Trial(study, index), "trial.log"))
        .Count(line => line.Contains("] claimed ", StringComparison.Ordinal) || line.Contains("] took the trial over", StringComparison.Ordinal));

    [Fact]
    public async Task Two_study_processes_on_one_folder_train_each_trial_once()
    {
        var first = Task.Run(() => ExperimentsProgram.Run("study", "o5-seeds", "--quick", "--threads", "1", "--out", output));
        var second = Task.Run(() => ExperimentsProgram.Run("study", "o5-seeds", "--quick", "--threads", "1", "--out", output));
        var outcomes = await Task.WhenAll(first, second);

        Assert.All(outcomes, o => Assert.True(o.ExitCode == 0, o.Output));
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(1, Attempts("o5-seeds", i)));
        Assert.All(Enumerable.Range(0, 3), i => Assert.True(File.Exists(Path.Combine(Trial("o5-seeds", i), "result.json"))));
        Assert.All(Enumerable.Range(0, 3), i => Assert.False(File.Exists(Path.Combine(Trial("o5-seeds", i), ".trial-claim")), "claims are released"));
        Assert.Equal(3, outcomes.Sum(o => int.Parse(System.Text.RegularExpressions.Regex.Match(o.Output, @"o5-seeds: (\d+) trials run").Groups[1].Value)));
    }

    [Fact]
    public void A_failing_trial_is_recorded_the_rest_merge_and_study_status_shows_why()
    {
        var (exitCode, log) = ExperimentsProgram.Run(new Dictionary<string, string?> { ["LIEGG_FAIL_TRIAL"] = "trial-0001" },
            "study", "o5-seeds", "--quick", "--threads", "1", "--out", output);

        Assert.True(exitCode == 1, log);
        Assert.Contains("trial-0001 (Experiment=o5-regression, seed=1) failed: trial-0001 failed on purpose", log);
        Assert.Contains("o5-seeds: 2 of 3 trials in", log);
        var report = File.ReadAllText(Path.Combine(output, "o5-seeds", "study.md"));
        Assert.Contains("**Incomplete:** 2 of 3 trials finished", report);
        Assert.Contains("- trial 1 (Experiment=o5-regression, seed=1): failed: failed on", report);

        var (statusExit, status) = ExperimentsProgram.Run("study-status", "o5-seeds", "--out", output);
        Assert.True(statusExit == 0, status);
        Assert.Contains("2 finished, 1 failed of 3 trials", status);
        Assert.Matches(@"trial-0001  failed .*failed on purpose", status);
        Assert.Contains("| ", status);
        Assert.Contains("failed: InvalidOperationException: trial-0001 failed on purpose", status);

        var (againExit, again) = ExperimentsProgram.Run("study", "o5-seeds", "--quick", "--threads", "1", "--out", output);
        Assert.True(againExit == 0, again);
        Assert.Contains("o5-seeds: 1 trials run, 2 already finished.", again);
        Assert.Equal([1, 2, 1], Enumerable.Range(0, 3).Select(i => Attempts("o5-seeds", i)));
        Assert.False(File.Exists(Path.Combine(Trial("o5-seeds", 1), "failure.json")), "a trial that finished has no failure record");
    }

    [Fact]
    public void Auto_shards_and_trials_come_from_a_slurm_array_or_a_kubernetes_indexed_job()
    {
        // --array=1-2 as Slurm numbers it: task 2 is the second of two shards.
        var slurm = new Dictionary<string, string?> { ["SLURM_ARRAY_TASK_ID"] = "2", ["SLURM_ARRAY_TASK_MIN"] = "1", ["SLURM_ARRAY_TASK_COUNT"] = "2" };
        var (shardExit, shardLog) = ExperimentsProgram.Run(slurm, "study", "o5-seeds", "--quick", "--threads", "1", "--shard", "auto", "--out", output);
        Assert.True(shardExit == 0, shardLog);
        Assert.Contains("(shard 1/2)", shardLog);
        Assert.Equal([false, true, false], Enumerable.Range(0, 3).Select(i => File.Exists(Path.Combine(Trial("o5-seeds", i), "result.json"))));

        var pod = new Dictionary<string, string?> { ["JOB_COMPLETION_INDEX"] = "2" };
        var (trialExit, trialLog) = ExperimentsProgram.Run(pod, "study", "o5-seeds", "--quick", "--threads", "1", "--trial", "auto", "--out", output);
        Assert.True(trialExit == 0, trialLog);
        Assert.Equal([false, true, true], Enumerable.Range(0, 3).Select(i => File.Exists(Path.Combine(Trial("o5-seeds", i), "result.json"))));

        var (noArrayExit, noArray) = ExperimentsProgram.Run(new Dictionary<string, string?> { ["SLURM_ARRAY_TASK_ID"] = null, ["JOB_COMPLETION_INDEX"] = null },
            "study", "o5-seeds", "--quick", "--shard", "auto", "--out", output);
        Assert.Equal(2, noArrayExit);
        Assert.Contains("--shard auto: 'auto' reads the task's index from a job array, but neither SLURM_ARRAY_TASK_ID", noArray);
    }

    [Fact]
    public async Task A_terminated_trial_removes_its_unfinished_files_and_releases_its_claim()
    {
        var start = ExperimentsProgram.StartInfo("study", "o5-seeds", "--quick", "--threads", "1", "--trial", "1", "--out", output);
        start.Environment["LIEGG_DELAY_TRIAL"] = "trial-0001:300";
        using var process = Process.Start(start)!;
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        var log = Path.Combine(Trial("o5-seeds", 1), "trial.log");
        Assert.True(SpinWait.SpinUntil(() => File.Exists(log) && File.ReadAllText(log).Contains("claimed", StringComparison.Ordinal), TimeSpan.FromSeconds(60)), "the trial was claimed");

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        Assert.True(process.WaitForExit(60_000), "the trial stopped");
        string everything = await standardOutput + await standardError;

        Assert.True(process.ExitCode == 130, everything);
        Assert.Contains("interrupted", everything);
        Assert.Equal(["trial.log"], Directory.GetFileSystemEntries(Trial("o5-seeds", 1)).Select(Path.GetFileName));
        Assert.Contains("interrupted; its unfinished files were removed", File.ReadAllText(log));

        var (statusExit, status) = ExperimentsProgram.Run("study-status", "o5-seeds", "--out", output);
        Assert.True(statusExit == 0, status);
        Assert.Matches(@"trial-0001  pending .*stopped unfinished", status);
    }

    [Fact]
    public void Submit_options_are_checked_together_before_anything_is_written()
    {
        var (exitCode, log) = ExperimentsProgram.Run("study", "o5-seeds", "--quick", "--submit", "pbs", "--time", "soon", "--out", output);
        Assert.Equal(2, exitCode);
        Assert.Contains("--submit 'pbs' is not a scheduler this knows: use --submit slurm", log);

        (exitCode, log) = ExperimentsProgram.Run("study", "o5-seeds", "--submit", "slurm", "--time", "soon", "--mem", "lots", "--max-parallel", "0", "--jobs", "2", "--out", output);
        Assert.Equal(2, exitCode);
        Assert.Contains("--time 'soon' is not a Slurm time limit", log);
        Assert.Contains("--mem 'lots' is not a Slurm memory size", log);
        Assert.Contains("--max-parallel must be at least 1", log);
        Assert.Contains("it cannot be combined with --jobs or --trial", log);

        (exitCode, log) = ExperimentsProgram.Run("study", "o5-seeds", "--partition", "gpu", "--wait", "--out", output);
        Assert.Equal(2, exitCode);
        Assert.Contains("--partition, --wait go with --submit slurm", log);
        Assert.False(Directory.Exists(Path.Combine(output, "o5-seeds")), "nothing was written");
    }
}
