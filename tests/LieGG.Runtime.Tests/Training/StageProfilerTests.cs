using LieGG.Dsl;
using LieGG.Runtime.Experiments;
using LieGG.Runtime.Orchestration;
using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Training;

namespace LieGG.Runtime.Tests.Training;

/// <summary>Where a run's time goes: stages nest, sum their calls, and cost nothing when no profiler listens.</summary>
public sealed class StageProfilerTests
{
    [Fact]
    public void Stages_nest_under_the_open_stage_and_sum_their_calls()
    {
        var profiler = new StageProfiler();
        using (profiler.Activate())
        {
            using (StageProfiler.Measure("training"))
                for (int i = 0; i < 3; i++)
                    using (StageProfiler.Measure("batches"))
                        Thread.SpinWait(1000);
            using (StageProfiler.Measure("analysis")) { }
        }
        using (StageProfiler.Measure("after deactivation")) { }

        var stages = profiler.Stages;
        Assert.Equal(["training", "training / batches", "analysis"], stages.Select(s => s.Path));
        Assert.Equal([1, 3, 1], stages.Select(s => s.Calls));
        Assert.Equal([0, 1, 0], stages.Select(s => s.Depth));
        Assert.Equal("batches", stages[1].Name);
        Assert.InRange(stages[1].Seconds, 0, stages[0].Seconds);
    }

    [Fact]
    public void Without_an_active_profiler_measuring_records_nothing_anywhere()
    {
        var idle = new StageProfiler();
        using (StageProfiler.Measure("nobody listens")) { }
        Assert.Empty(idle.Stages);
    }

    [Fact]
    public void A_run_records_its_profile_stage_by_stage()
    {
        var spec = new ExperimentSpec
        {
            Name = "profiled",
            Dataset = new O5DatasetSpec(TrainCount: 300, ValidationCount: 20, TestCount: 20),
            Architecture = new MlpSpec(Hidden: 1, Width: 8),
            Training = new TrainingOptions { Epochs = 3, BatchSize = 100 },
            Prior = new GenericPrior(5, 2),
            Analysis = new AnalysisSpec(Bootstrap: 0),
        };
        var result = ExperimentRunner.Run(spec);
        var profile = result.Profile!.ToDictionary(s => s.Path);
        foreach (var path in new[] { "data", "training", "training / batches", "training / validation", "analysis", "analysis / test metrics", "analysis / polarization matrix", "analysis / SVD and bootstrap" })
            Assert.True(profile.ContainsKey(path), path);
        Assert.Equal(3 * 3, profile["training / batches"].Calls);
        Assert.Equal(3, profile["training / validation"].Calls);
        double topLevel = result.Profile!.Where(s => s.Depth == 0).Sum(s => s.Seconds);
        Assert.InRange(topLevel, 0, result.Timings.TotalSeconds);
        Assert.InRange(profile["training / batches"].Seconds + profile["training / validation"].Seconds, 0, profile["training"].Seconds);
    }
}
