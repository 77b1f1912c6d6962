using System.Globalization;
using System.Text;
using LieGG.Runtime.Results;
using TorchSharp;

namespace LieGG.Runtime.Reports;

/// <summary>
/// A finished run as TensorBoard event files (TorchSharp's <c>SummaryWriter</c>): per epoch the training loss, the
/// validation metric and the learning rate; ELLA's marginal likelihood per update, and its precisions and pathway shares
/// at the end; the test metric and LieGG's metrics; the spectrum (step = index i, ascending); the settings and a
/// trial's swept values as text. One folder per run (<c>experiment/run-id</c>) or trial (<c>study/trial-NNNN</c>), so
/// TensorBoard overlays the runs of a study.
/// </summary>
public static class TensorBoardLog
{
    /// <summary>Writes the run's events under <paramref name="logDirectory"/>, replacing an earlier export of the same run.</summary>
    /// <returns>The run's own log folder.</returns>
    public static string Write(RunRecord record, string logDirectory)
    {
        var result = record.Result;
        string folder = record.Trial is { } trial
            ? Path.Combine(logDirectory, trial.Study, trial.Key)
            : Path.Combine(logDirectory, result.Experiment, record.RunId);
        // Exporting again (a study merged twice) must not append a second copy of every curve.
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        var writer = torch.utils.tensorboard.SummaryWriter(folder, createRunName: false);
        long start = record.Started.ToUnixTimeSeconds();
        double elapsed = 0;
        foreach (var epoch in result.Training.History)
        {
            elapsed += epoch.Seconds;
            long wall = start + (long)elapsed;
            writer.add_scalar("train/loss", (float)epoch.TrainLoss, epoch.Epoch, wall);
            if (double.IsFinite(epoch.ValidationMetric)) writer.add_scalar($"validation/{result.Training.ValidationMetricName}", (float)epoch.ValidationMetric, epoch.Epoch, wall);
            if (double.IsFinite(epoch.LearningRate)) writer.add_scalar("train/learning_rate", (float)epoch.LearningRate, epoch.Epoch, wall);
        }
        int last = Math.Max(result.Training.History.Count, 1);
        long end = start + (long)Math.Max(elapsed, result.Timings.TotalSeconds);
        if (result.Laplace is { } laplace)
        {
            foreach (var step in laplace.History)
            {
                writer.add_scalar("laplace/neg_log_marglik_per_sample", (float)step.NegativeLogMarginalLikelihood, step.Epoch, end);
                writer.add_scalar("laplace/train_nll_per_sample", (float)step.NegativeLogLikelihood, step.Epoch, end);
            }
            foreach (var tensor in laplace.Tensors) writer.add_scalar($"laplace/precision/{tensor.Name}", (float)tensor.Precision, last, end);
            foreach (var layer in laplace.Layers)
            {
                writer.add_scalar($"laplace/fc_share/layer{layer.Layer + 1}", (float)layer.FcShare, last, end);
                writer.add_scalar($"laplace/conv_share/layer{layer.Layer + 1}", (float)layer.ConvShare, last, end);
                if (laplace.HasGroupConv) writer.add_scalar($"laplace/gconv_share/layer{layer.Layer + 1}", (float)layer.GroupConvShare, last, end);
            }
        }
        if (result.TestMetricKind != TestMetricKind.None) writer.add_scalar($"test/{result.TestMetricKind.Tag()}", (float)result.TestMetric, last, end);
        if (result.TestNegativeLogLikelihood is { } nll) writer.add_scalar("test/nll", (float)nll, last, end);
        var symmetry = result.Symmetry;
        writer.add_scalar("liegg/variance", (float)symmetry.Variance, last, end);
        writer.add_scalar("liegg/relative_variance", (float)symmetry.RelativeVariance, last, end);
        if (symmetry.MinBias is { } bias) writer.add_scalar("liegg/min_bias", (float)bias, last, end);
        if (double.IsFinite(symmetry.GapRatio)) writer.add_scalar("liegg/gap_ratio", (float)symmetry.GapRatio, last, end);
        for (int i = 0; i < symmetry.Spectrum.Length; i++) writer.add_scalar("liegg/spectrum", (float)symmetry.Spectrum[i], i + 1, end);
        writer.add_text("run/settings", SettingsTable(record), last, end);
        if (record.Trial is { } swept)
            writer.add_text("trial/swept", Table(swept.Parameters.Select(p => (p.Name, p.Value)).Append(("seed", swept.Seed.ToString(CultureInfo.InvariantCulture)))), last, end);
        return folder;
    }

    private static string SettingsTable(RunRecord record) => Table(
        new[] { ("experiment", record.Result.Experiment), ("run", record.RunId), ("prior", record.Spec.Prior.Description) }
            .Concat(RunSettings.Rows(record).Select(r => (r.Setting, r.Note.Length == 0 ? r.Value : $"{r.Value} ({r.Note})"))));

    // TensorBoard renders text summaries as Markdown.
    private static string Table(IEnumerable<(string Name, string Value)> rows)
    {
        var text = new StringBuilder("| | |\n|---|---|\n");
        foreach (var (name, value) in rows) text.Append("| ").Append(name).Append(" | ").Append(value.Replace("|", "\\|")).Append(" |\n");
        return text.ToString();
    }
}
