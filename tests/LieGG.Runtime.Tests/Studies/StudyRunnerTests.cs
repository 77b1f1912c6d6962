using LieGG.Dsl;
using LieGG.Runtime.Experiments;
using LieGG.Runtime.Orchestration;
using LieGG.Runtime.Reports;
using LieGG.Runtime.Results;
using LieGG.Runtime.Studies;
using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Training;

namespace LieGG.Runtime.Tests.Studies;

public sealed class StudyRunnerTests : IDisposable
{
    private readonly string output = Directory.CreateTempSubdirectory("liegg-study-").FullName;

    public void Dispose() => Directory.Delete(output, recursive: true);

    /// <summary>What a generated study does: the grid (train size × replicate seed) applied to a base spec, in a fixed order.</summary>
    private static List<StudyTrial> Grid()
    {
        var baseSpec = new ExperimentSpec
        {
            Name = "o5-tiny",
            Dataset = new O5DatasetSpec(TrainCount: 100, ValidationCount: 40, TestCount: 40),
            Architecture = new MlpSpec(1, 8),
            Training = new TrainingOptions { Epochs = 2, BatchSize = 50 },
            Prior = new GenericPrior(5, 2),
            GroundTruth = new BuiltInGroundTruth(Group.SO),
            Analysis = new AnalysisSpec(Bootstrap: 0),
        };
        var trials = new List<StudyTrial>();
        foreach (var trainCount in new[] { 100, 200 })
        foreach (var seed in new[] { 0, 1 })
        {
            var info = new TrialInfo("tiny-study", trials.Count, [new TrialParameter("TrainCount", trainCount.ToString(), trainCount)], seed);
            trials.Add(new StudyTrial(info, baseSpec with { Dataset = new O5DatasetSpec(trainCount, 40, 40) }));
        }
        return trials;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public void Shards_cover_every_trial_exactly_once(int count)
    {
        var covered = Enumerable.Range(0, 50).Select(trial => Enumerable.Range(0, count).Count(i => new Shard(i, count).Includes(trial)));
        Assert.All(covered, c => Assert.Equal(1, c));
    }

    [Theory]
    [InlineData("2/2")]
    [InlineData("-1/3")]
    [InlineData("1")]
    [InlineData("a/b")]
    public void Bad_shards_are_explained(string text)
    {
        var error = Assert.Throws<FormatException>(() => Shard.Parse(text));
        Assert.Contains("0 ≤ i < n", error.Message);
    }

    [Fact]
    public void Finished_trials_are_skipped_when_the_study_runs_again()
    {
        var options = new StudyRunOptions { Output = output };
        var first = StudyRunner.Run(Grid(), options);
        var second = StudyRunner.Run(Grid(), options);

        Assert.Equal((4, 4, 0), (first.Selected, first.Ran, first.Skipped));
        Assert.Equal((4, 0, 4), (second.Selected, second.Ran, second.Skipped));
    }

    [Fact]
    public void Progress_counts_only_the_trials_left_to_train()
    {
        StudyRunner.Run(Grid(), new StudyRunOptions { Output = output, Shard = new Shard(0, 2) });
        var reports = new List<StudyProgress>();
        StudyRunner.Run(Grid(), new StudyRunOptions { Output = output }, new SynchronousProgress<StudyProgress>(reports.Add));

        var perTrial = reports.GroupBy(r => r.Trial).Select(g => (g.Key, g.First().Skipped, g.Select(r => r.LaterTrialsToRun).Distinct().Single()));
        Assert.Equal([(1, true, 2), (2, false, 1), (3, true, 1), (4, false, 0)], perTrial);
    }

    [Fact]
    public void One_trial_runs_alone_and_pending_lists_the_unfinished_rest()
    {
        var summary = StudyRunner.Run(Grid(), new StudyRunOptions { Output = output, Trial = 2 });

        Assert.Equal((1, 1, 0), (summary.Selected, summary.Ran, summary.Skipped));
        Assert.Equal([2], StudyRunner.LoadTrials(StudyRunner.StudyFolder(output, "tiny-study")).Select(r => r.Trial!.Index));
        Assert.Equal([0, 1, 3], StudyRunner.Pending(Grid(), new StudyRunOptions { Output = output }).Select(t => t.Info.Index));
        Assert.Equal([1, 3], StudyRunner.Pending(Grid(), new StudyRunOptions { Output = output, Shard = new Shard(1, 2) }).Select(t => t.Info.Index));
        Assert.Throws<ArgumentOutOfRangeException>(() => StudyRunner.Pending(Grid(), new StudyRunOptions { Output = output, Trial = 4 }));
    }

    [Fact]
    public void A_trials_saved_network_comes_back_and_analyses_to_the_same_spectrum()
    {
        StudyRunner.Run(Grid(), new StudyRunOptions { Output = output, Trial = 1 });
        var trial = Grid()[1];
        var folder = StudyRunner.TrialFolder(output, trial.Info);
        var record = RunRecord.Load(Path.Combine(folder, "result.json"));

        using var network = TrainedNetwork.Load(folder, trial.Spec);
        var again = ExperimentRunner.Analyze(trial.Spec, network, new ExperimentRunOptions { Seed = trial.Info.Seed });

        Assert.Equal(TrainedNetwork.FileName, record.Result.ModelFile);
        Assert.Equal(record.Result.Symmetry.Spectrum, again.Symmetry.Spectrum);
        Assert.Equal(record.Result.TestMetric, again.TestMetric);
    }

    [Fact]
    public void Trials_are_filtered_by_a_numeric_setting_of_their_structured_settings()
    {
        StudyRunner.Run(Grid(), new StudyRunOptions { Output = output });
        var records = StudyRunner.LoadTrials(StudyRunner.StudyFolder(output, "tiny-study"));

        var larger = records.Where(r => r.Spec.Dataset is O5DatasetSpec { TrainCount: 200 }).ToList();

        Assert.Equal(RunRecord.CurrentSchema, records[0].Schema);
        Assert.Equal([2, 3], larger.Select(r => r.Trial!.Index));
        Assert.All(larger, r => Assert.Equal(200, r.Result.Data.Train));
        Assert.IsType<MlpSpec>(records[0].Spec.Architecture);
        Assert.Equal(new BuiltInGroundTruth(Group.SO), records[0].Spec.GroundTruth);
        Assert.Equal(records[0].Spec, RunRecord.FromJson(records[0].ToJson()).Spec);
        Assert.Contains("\"kind\": \"MlpSpec\"", records[0].ToJson());
    }

    [Fact]
    public void A_quick_result_is_never_taken_for_a_full_size_trial()
    {
        StudyRunner.Run(Grid(), new StudyRunOptions { Output = output, Run = new ExperimentRunOptions { Quick = true } });

        var error = Assert.Throws<StaleTrialException>(() => StudyRunner.Run(Grid(), new StudyRunOptions { Output = output }));

        Assert.Contains("4 finished trial(s) of study 'tiny-study'", error.Message);
        Assert.Contains(StudyRunner.TrialFolder(output, Grid()[0].Info), error.Message);
        Assert.Contains("it is a --quick result, this run is full size", error.Message);
        Assert.Contains("another --out folder", error.Message);
        Assert.All(StudyRunner.LoadTrials(StudyRunner.StudyFolder(output, "tiny-study")), record => Assert.True(record.Result.Quick));
    }

    [Fact]
    public void A_changed_declaration_stops_the_study_before_anything_is_trained()
    {
        StudyRunner.Run(Grid(), new StudyRunOptions { Output = output });
        var before = StudyRunner.LoadTrials(StudyRunner.StudyFolder(output, "tiny-study")).Select(r => r.RunId).ToList();
        var wider = Grid().Select(t => t with { Spec = t.Spec with { Architecture = new MlpSpec(1, 16) } }).ToList();
        var shard = new Shard(1, 2);

        var error = Assert.Throws<StaleTrialException>(() => StudyRunner.Run(wider, new StudyRunOptions { Output = output, Shard = shard }));
        var longer = Assert.Throws<StaleTrialException>(() => StudyRunner.Run(Grid(), new StudyRunOptions { Output = output, Run = new ExperimentRunOptions { Epochs = 3 } }));

        Assert.Contains("2 finished trial(s)", error.Message);
        Assert.Contains("its architecture.Width was 8, the declaration now says 16", error.Message);
        Assert.Contains("it trained for 2 epochs, this run trains for 3", longer.Message);
        Assert.Equal(before, StudyRunner.LoadTrials(StudyRunner.StudyFolder(output, "tiny-study")).Select(r => r.RunId));
    }

    [Fact]
    public void Merging_shards_equals_an_unsharded_run()
    {
        var whole = Path.Combine(output, "whole");
        var sharded = Path.Combine(output, "sharded");
        StudyRunner.Run(Grid(), new StudyRunOptions { Output = whole });
        var shard0 = StudyRunner.Run(Grid(), new StudyRunOptions { Output = sharded, Shard = new Shard(0, 2) });
        var shard1 = StudyRunner.Run(Grid(), new StudyRunOptions { Output = sharded, Shard = new Shard(1, 2) });
        Assert.Equal((2, 2), (shard0.Ran, shard1.Ran));

        var a = StudyRunner.LoadTrials(StudyRunner.StudyFolder(whole, "tiny-study")).Select(TrialRow.From).ToList();
        var b = StudyRunner.LoadTrials(StudyRunner.StudyFolder(sharded, "tiny-study")).Select(TrialRow.From).ToList();
        Assert.Equal(a.Select(r => (r.Trial.Label, r.TestMetric, r.Variance, r.MinBias, r.Parameters)), b.Select(r => (r.Trial.Label, r.TestMetric, r.Variance, r.MinBias, r.Parameters)));
        Assert.Equal(["TrainCount=100, seed=0", "TrainCount=100, seed=1", "TrainCount=200, seed=0", "TrainCount=200, seed=1"], a.Select(r => r.Trial.Label));
    }

    [Fact]
    public void An_interrupted_trial_never_looks_complete_and_runs_again()
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<StudyProgress>(p => { if (p.Info.Index == 1 && p.Run?.Epoch is { Epoch: 1 }) cancellation.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => StudyRunner.Run(Grid(), new StudyRunOptions { Output = output }, progress, cancellation.Token));

        var interrupted = StudyRunner.TrialFolder(output, Grid()[1].Info);
        Assert.False(File.Exists(Path.Combine(interrupted, "result.json")));
        Assert.Single(StudyRunner.LoadTrials(StudyRunner.StudyFolder(output, "tiny-study")));

        var resumed = StudyRunner.Run(Grid(), new StudyRunOptions { Output = output });
        Assert.Equal((1, 3), (resumed.Skipped, resumed.Ran));
    }

    [Fact]
    public void Merging_refuses_a_mix_of_quick_and_full_size_trials()
    {
        StudyRunner.Run(Grid(), new StudyRunOptions { Output = output, Shard = new Shard(0, 2), Run = new ExperimentRunOptions { Quick = true } });
        StudyRunner.Run(Grid(), new StudyRunOptions { Output = output, Shard = new Shard(1, 2) });

        var error = Assert.Throws<InvalidDataException>(() =>
            StudyResult.FromRecords("tiny-study", 4, StudyRunner.LoadTrials(StudyRunner.StudyFolder(output, "tiny-study")), []));

        Assert.Contains("mixes --quick and full-size trials (2 quick: trial-0000, trial-0002)", error.Message);
    }

    [Fact]
    public void Study_result_tabulates_correlates_and_round_trips()
    {
        StudyRunner.Run(Grid().Take(3).ToList(), new StudyRunOptions { Output = output });
        var folder = StudyRunner.StudyFolder(output, "tiny-study");
        var study = StudyResult.FromRecords("tiny-study", 4, StudyRunner.LoadTrials(folder), [(Metric.Variance, Metric.TestMetric)]);

        Assert.False(study.IsComplete);
        Assert.Equal(3, study.Rows.Count);
        var correlation = Assert.Single(study.Correlations);
        var expected = Correlation.Pearson(study.Rows.Select(r => r.Variance).ToList(), study.Rows.Select(r => r.TestMetric).ToList());
        Assert.Equal(expected, correlation.Pearson);

        StudyWriter.Write(study, folder);
        var loaded = StudyResult.Load(Path.Combine(folder, "study.json"));
        Assert.Equal(study.ToJson(), loaded.ToJson());
        var markdown = File.ReadAllText(Path.Combine(folder, "study.md"));
        Assert.Contains("**Incomplete:** 3 of 4 trials", markdown);
        Assert.Contains("| TrainCount |", File.ReadAllText(Path.Combine(folder, "study.md")).Replace("| trial | TrainCount |", "| TrainCount |"));
        Assert.Equal(4, File.ReadAllLines(Path.Combine(folder, "trials.csv")).Length);
    }

    /// <summary>A network that passes the one-sample check before training and throws on the first training batch, as a trial with a bug in its model would.</summary>
    private sealed record FailingInTraining : ArchitectureSpec
    {
        public override TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> Create(ModelContext context) => new Network(context.InputSize, context.OutputSize);

        private sealed class Network : TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>
        {
            private readonly TorchSharp.Modules.Linear linear;

            public Network(int inputs, int outputs) : base("failing")
            {
                linear = TorchSharp.torch.nn.Linear(inputs, outputs);
                RegisterComponents();
            }

            public override TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor input) => input.shape[0] > 1
                ? throw new InvalidOperationException("planted: training this network fails")
                : linear.forward(input.flatten(1));
        }
    }

    [Fact]
    public void A_failing_trial_is_recorded_with_its_log_and_the_others_run_and_merge()
    {
        var trials = Grid().Select(t => t.Info.Index == 1 ? t with { Spec = t.Spec with { Architecture = new FailingInTraining() } } : t).ToList();

        var summary = StudyRunner.Run(trials, new StudyRunOptions { Output = output });

        Assert.Equal(3, summary.Ran);
        Assert.Equal([1], summary.Failed.Select(f => f.Trial.Index));
        var states = TrialState.Read(trials, output);
        Assert.Equal([TrialStage.Finished, TrialStage.Failed, TrialStage.Finished, TrialStage.Finished], states.Select(s => s.Stage));
        Assert.Contains("planted: training this network fails", states[1].Detail);
        Assert.Contains(states[1].LogTail, line => line.Contains("failed: InvalidOperationException: planted", StringComparison.Ordinal));
        Assert.False(File.Exists(TrialClaim.PathIn(StudyRunner.TrialFolder(output, trials[1].Info))), "a failed trial's claim is released");

        var study = StudyResult.FromRecords("tiny-study", 4, StudyRunner.LoadTrials(StudyRunner.StudyFolder(output, "tiny-study")), [])
            with { Missing = [new MissingTrial(1, trials[1].Info.Label, "failed: " + states[1].Detail)] };
        Assert.Contains("- trial 1 (TrainCount=100, seed=1): failed: failed on", StudyReport.Markdown(study, ReportFormat.Full));

        // Fixed, the study runs only what is missing, and the failure record goes with the new attempt's result.
        var again = StudyRunner.Run(Grid(), new StudyRunOptions { Output = output });
        Assert.Equal((1, 3), (again.Ran, again.Skipped));
        Assert.All(TrialState.Read(Grid(), output), s => Assert.Equal(TrialStage.Finished, s.Stage));
    }

    [Fact]
    public void A_study_leaves_a_held_trial_to_its_holder_waits_for_it_and_takes_over_abandoned_ones_from_scratch()
    {
        // Held by a live process (this one) that stops renewing: left alone while its 2-second lease runs, then taken over.
        var held = StudyRunner.TrialFolder(output, Grid()[1].Info);
        Directory.CreateDirectory(held);
        File.WriteAllText(TrialClaim.PathIn(held), (ClaimOwner.Current(TimeSpan.FromSeconds(2))).ToJson());

        var abandoned = StudyRunner.TrialFolder(output, Grid()[2].Info);
        Directory.CreateDirectory(abandoned);
        using (var exited = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("true") { UseShellExecute = false })!)
        {
            exited.WaitForExit();
            File.WriteAllText(TrialClaim.PathIn(abandoned), new ClaimOwner("gone", ClaimOwner.HostName, exited.Id, "1", null, DateTimeOffset.UtcNow, 600).ToJson());
        }
        File.WriteAllText(Path.Combine(abandoned, TrainedNetwork.FileName), "half a file from the attempt that died");
        var order = new List<int>();

        var summary = StudyRunner.Run(Grid(), new StudyRunOptions { Output = output },
            new SynchronousProgress<StudyProgress>(p => { if (p.Run?.Stage == RunStage.Done) order.Add(p.Info.Index); }));

        Assert.Equal(4, summary.Ran);
        Assert.Equal([0, 2, 3, 1], order);
        Assert.Equal([1], summary.HeldElsewhere.Select(h => h.Trial.Index));
        Assert.Contains($"pid {Environment.ProcessId}", summary.HeldElsewhere[0].HeldBy);
        Assert.Equal([2, 1], summary.TookOver.Select(t => t.Trial.Index));
        Assert.Contains("has not renewed it", summary.TookOver[1].Reason);
        var record = RunRecord.Load(Path.Combine(abandoned, "result.json"));
        Assert.Contains("has exited", record.TookOver);
        Assert.NotEqual("half a file from the attempt that died", File.ReadAllText(Path.Combine(abandoned, TrainedNetwork.FileName)));
        Assert.All(TrialState.Read(Grid(), output), s => Assert.Equal(TrialStage.Finished, s.Stage));

        var study = StudyResult.FromRecords("tiny-study", 4, StudyRunner.LoadTrials(StudyRunner.StudyFolder(output, "tiny-study")), []);
        Assert.Equal([1, 2], study.TakenOver.Select(t => t.Index));
        Assert.Contains("- trial 2: its holder, pid", StudyReport.Markdown(study, ReportFormat.Full));
    }

    [Fact]
    public void A_single_trial_held_by_another_process_is_left_to_it_without_waiting()
    {
        var held = StudyRunner.TrialFolder(output, Grid()[1].Info);
        Directory.CreateDirectory(held);
        File.WriteAllText(TrialClaim.PathIn(held), ClaimOwner.Current(TimeSpan.FromMinutes(10)).ToJson());

        var summary = StudyRunner.Run(Grid(), new StudyRunOptions { Output = output, Trial = 1 });

        Assert.Equal((1, 0), (summary.Selected, summary.Ran));
        Assert.Equal([1], summary.HeldElsewhere.Select(h => h.Trial.Index));
        Assert.Equal(TrialStage.Running, TrialState.Read(Grid(), output)[1].Stage);
        Assert.Equal([0, 2, 3], StudyRunner.Pending(Grid(), new StudyRunOptions { Output = output }).Select(t => t.Info.Index));
    }
}
