using LieGG.Dsl;
using LieGG.Runtime.Experiments;
using LieGG.Runtime.Orchestration;
using LieGG.Runtime.Results;

namespace LieGG.Experiments.Tests;

/// <summary>
/// The ELLA studies through the CLI with two worker processes each (a separate program: workers cannot be started from
/// the test host), so they run beside the test-host tests.
/// </summary>
[Trait("Category", "Study")]
[RunsInOwnProcesses]
[TypicalDuration(112)]
public sealed class WorkerStudyCommandLineTests : IDisposable
{
    private readonly string output = Directory.CreateTempSubdirectory("liegg-worker-study-").FullName;

    public void Dispose() => Directory.Delete(output, recursive: true);

    [Fact]
    public void Quick_ella_table1_reports_accuracy_shares_and_marginal_likelihood_beside_the_paper()
    {
        // Wiring, not numbers: at wiring sizes 100 training digits train every network and fit every KFAC factor; the
        // overrides travel to the workers with the trials.
        var (exitCode, log) = ExperimentsProgram.Run(["study", "ella-table1", "--quick", "--jobs", "2", .. WiringSizes.OfEllaNetworks("QuadrantMnist"), "--out", output]);
        Assert.True(exitCode == 0, log);
        var folder = StudyRunner.StudyFolder(output, "ella-table1");
        var study = StudyResult.Load(Path.Combine(folder, "study.json"));
        Assert.Equal(20, study.Rows.Count);
        foreach (var row in study.Rows)
        {
            string experiment = row.Trial.Parameters[0].Value;
            Assert.NotNull(row.FcShare);
            Assert.True(double.IsFinite(row.NegativeLogMarginalLikelihood!.Value), experiment);
            if (experiment.EndsWith("-conv", StringComparison.Ordinal)) Assert.Equal(0, row.FcShare);
            if (experiment.EndsWith("-fc", StringComparison.Ordinal)) Assert.Equal(1, row.FcShare);
            if (experiment.EndsWith("-learned", StringComparison.Ordinal)) Assert.InRange(row.FcShare!.Value, 1e-6, 1 - 1e-6);
        }
        var markdown = File.ReadAllText(Path.Combine(folder, "study.md"));
        Assert.Contains("FC share (mean over layers)", markdown);
        Assert.Contains("**Published:** van der Ouderaa et al. (2023), Table 1", markdown);
        Assert.True(File.Exists(Path.Combine(folder, "pathway-shares.png")));
        var trial = Directory.GetDirectories(Path.Combine(folder, "trials")).Order(StringComparer.Ordinal).Last();
        foreach (var file in new[] { "shares.png", "marglik.png", "priors.csv", "shares.csv", "marglik.csv", "equivariance.csv", "equivariance.png" })
            Assert.True(File.Exists(Path.Combine(trial, file)), file);
        var trialSpec = RunRecord.Load(Path.Combine(trial, RunFiles.ResultJson)).Spec;
        Assert.Equal(100, trialSpec.Dataset.PlannedSizes(quick: false)!.Value.Train);
        Assert.Equal(2, Assert.IsType<RelaxedCnnSpec>(trialSpec.Architecture).Width);
        // Each block's errors beside its pathway shares: CONV networks keep shifts by the total stride, FC networks do not.
        Assert.Contains("## Equivariance by layer", markdown);
        Assert.Contains("| FC | shift own |", markdown);
        foreach (var row in study.Rows)
        {
            var blocks = row.LayerEquivariance!.Where(l => l.Layer.StartsWith("block", StringComparison.Ordinal)).ToList();
            if (row.Trial.Parameters[0].Value.EndsWith("-conv", StringComparison.Ordinal)) Assert.All(blocks, b => Assert.True(b.Shift < 1e-9, $"{b.Layer}: {b.Shift}"));
            if (row.Trial.Parameters[0].Value.EndsWith("-fc", StringComparison.Ordinal)) Assert.True(blocks[0].Shift > 1e-3);
        }
    }

    [Fact]
    public void Quick_ella_groups_reports_three_pathway_shares_and_lieggs_view_of_every_network()
    {
        // Wiring, not numbers (as for ella-table1): wiring sizes and 100 analysed samples per trial.
        var (exitCode, log) = ExperimentsProgram.Run(["study", "ella-groups", "--quick", "--jobs", "2", .. WiringSizes.OfEllaNetworks("CanvasMnist"), "--set", "Analysis.Samples=100", "--out", output]);
        Assert.True(exitCode == 0, log);
        var folder = StudyRunner.StudyFolder(output, "ella-groups");
        var study = StudyResult.Load(Path.Combine(folder, "study.json"));
        Assert.Equal(12, study.Rows.Count);
        foreach (var row in study.Rows)
        {
            string experiment = row.Trial.Parameters[0].Value;
            Assert.Equal(1.0, row.FcShare!.Value + row.ConvShare!.Value + row.GroupConvShare!.Value, 9);
            Assert.True(row.GroupConvShare > 0, experiment);
            Assert.True(double.IsFinite(row.Variance) && row.MinBias is > 0, experiment);
            Assert.True(row.TestNll is > 0 && double.IsFinite(row.TestNll.Value), experiment);
        }
        var markdown = File.ReadAllText(Path.Combine(folder, "study.md"));
        Assert.Contains("| CONV share | G-CONV share |", markdown);
        Assert.Contains(" | test error % | test NLL |", markdown);
        Assert.Contains("**Published:** van der Ouderaa et al. (2023), Table 3", markdown);
        Assert.Contains("| G-CONV | rot90 own |", markdown);
        // Nested evidence: each learned network beside its single pathways (a quick run trains no pairs).
        Assert.Contains("## Nested evidence", markdown);
        foreach (var row in study.Rows.Where(r => r.Trial.Parameters[0].Value.EndsWith("-learned", StringComparison.Ordinal)))
            Assert.Equal(["F-FC", "CONV", "G-CONV"], row.Nested!.Select(n => n.Name));
        // The declared networks are beyond the dense GGN check, and the report says so instead of leaving it out.
        Assert.Contains("## KFAC against the exact GGN", markdown);
        Assert.Contains($"The dense check runs up to {LieGG.Runtime.Training.Laplace.LaplaceCheck.MaxParameters} parameters", markdown);
        var csv = File.ReadAllLines(Path.Combine(folder, "trials.csv"));
        Assert.EndsWith(",conv_share,group_conv_share,test_nll,pair_variance,pair_min_bias,pair_gap_ratio", csv[0]);
        // LieGG beside the shares: the declared correlation is Pearson's r of the rows' own values.
        var correlation = study.Correlations.Single(c => c.X == Metric.GroupConvShare && c.Y == Metric.MinBias);
        var shares = study.Rows.Select(r => r.GroupConvShare!.Value).ToList();
        var bias = study.Rows.Select(r => r.MinBias!.Value).ToList();
        double meanShare = shares.Average(), meanBias = bias.Average();
        double covariance = shares.Zip(bias).Sum(p => (p.First - meanShare) * (p.Second - meanBias));
        double expected = covariance / Math.Sqrt(shares.Sum(v => (v - meanShare) * (v - meanShare)) * bias.Sum(v => (v - meanBias) * (v - meanBias)));
        Assert.Equal(expected, correlation.Pearson.Coefficient, 9);
        Assert.Equal(12, correlation.Pearson.N);
        foreach (var figure in new[] { "pathway-shares.png", "correlation-groupconvshare-minbias.png", "correlation-fcshare-relativevariance.png" })
            Assert.True(File.Exists(Path.Combine(folder, figure)), figure);
    }
}
