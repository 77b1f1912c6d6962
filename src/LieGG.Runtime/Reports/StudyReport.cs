using System.Globalization;
using System.Text;
using LieGG.Runtime.Results;
using LieGG.Runtime.Training.Laplace;

namespace LieGG.Runtime.Reports;

/// <summary>A study's table as Markdown (study.md) and CSV (trials.csv).</summary>
public static class StudyReport
{
    public static string Markdown(StudyResult study, ReportFormat format, IReadOnlyList<string>? images = null)
    {
        var md = new StringBuilder($"# Study {study.Study}\n\n");
        md.Append(study.IsComplete ? $"{study.Rows.Count} trials.\n\n" : $"**Incomplete:** {study.Rows.Count} of {study.ExpectedTrials} trials finished (run the study again for the missing ones, then merge again).\n\n");
        if (study.Missing.Count > 0)
        {
            md.Append("Missing trials:\n\n");
            foreach (var missing in study.Missing) md.Append("- trial ").Append(missing.Index).Append(" (").Append(missing.Label).Append("): ").Append(missing.State).Append('\n');
            md.Append('\n');
        }
        if (study.TakenOver.Count > 0)
        {
            md.Append("Taken over from an earlier attempt that stopped unfinished:\n\n");
            foreach (var taken in study.TakenOver) md.Append("- trial ").Append(taken.Index).Append(": ").Append(taken.Reason).Append('\n');
            md.Append('\n');
        }
        if (study.Quick)
            md.Append("**Quick run:** every trial was smoke-size (").Append(Experiments.QuickRun.Description).Append("); not a result.\n\n");
        var parameters = study.Rows.FirstOrDefault()?.Trial.Parameters.Select(p => p.Name).ToList() ?? [];
        string metric = study.Rows.FirstOrDefault()?.TestMetricName ?? "test";
        bool pairs = study.Rows.Any(r => r.PairVariance is not null);
        md.Append("| trial | ").Append(string.Concat(parameters.Select(p => p + " | "))).Append("seed | ").Append(metric).Append(" | variance | min bias | relative variance | gap | parameters |")
          .Append(pairs ? " pair variance | min pair bias | pair gap |" : "").Append(format.IncludeMachineFacts ? " seconds |" : "").Append('\n');
        md.Append("|---|").Append(string.Concat(parameters.Select(_ => "---|"))).Append("---|---|---|---|---|---|---|").Append(pairs ? "---|---|---|" : "").Append(format.IncludeMachineFacts ? "---|" : "").Append('\n');
        foreach (var row in study.Rows)
        {
            md.Append("| ").Append(row.Trial.Index).Append(" | ").Append(string.Concat(row.Trial.Parameters.Select(p => p.Value + " | "))).Append(row.Trial.Seed).Append(" | ")
              .Append(format.Number(row.TestMetric)).Append(" | ").Append(format.Number(row.Variance)).Append(" | ").Append(format.Number(row.MinBias)).Append(" | ")
              .Append(format.Number(row.RelativeVariance)).Append(" | ").Append(format.Number(row.GapRatio)).Append(" | ").Append(row.Parameters.ToString(CultureInfo.InvariantCulture)).Append(" |");
            if (pairs) md.Append(' ').Append(format.Number(row.PairVariance)).Append(" | ").Append(format.Number(row.PairMinBias)).Append(" | ").Append(format.Number(row.PairGapRatio)).Append(" |");
            if (format.IncludeMachineFacts) md.Append(' ').Append(format.Number(row.WallSeconds)).Append(" |");
            md.Append('\n');
        }
        var groups = study.Rows.GroupBy(r => string.Join(", ", r.Trial.Parameters.Select(p => $"{p.Name}={p.Value}"))).ToList();
        if (groups.Any(g => g.Count() > 1))
        {
            bool accuracy = metric == "accuracy";
            bool ella = study.Rows.Any(r => r.FcShare is not null);
            bool groupConv = study.Rows.Any(r => r.GroupConvShare is not null);
            bool nll = study.Rows.Any(r => r.TestNll is not null);
            md.Append("\n## Summary over seeds\n\n| ").Append(string.Join(" | ", parameters)).Append(" | n | ").Append(metric).Append(accuracy ? " | test error % |" : " |").Append(nll ? " test NLL |" : "")
              .Append(" variance | min bias | relative variance |").Append(ella ? " FC share (mean over layers) |" + (groupConv ? " CONV share | G-CONV share |" : "") + " −log ML / N |" : "")
              .Append(pairs ? " pair variance | min pair bias | pair gap |" : "")
              .Append("\n|").Append(string.Concat(parameters.Select(_ => "---|"))).Append("---|---|").Append(accuracy ? "---|" : "").Append(nll ? "---|" : "").Append("---|---|---|").Append(ella ? (groupConv ? "---|---|---|---|" : "---|---|") : "")
              .Append(pairs ? "---|---|---|" : "").Append('\n');
            string MeanStd(IEnumerable<double> values, double scale = 1)
            {
                var list = values.Where(double.IsFinite).Select(v => v * scale).ToList();
                if (list.Count == 0) return "–";
                var (mean, std) = ReplicateStatistics.MeanAndStd(list);
                return $"{format.Number(mean)} ± {format.Number(std)}";
            }
            foreach (var group in groups)
            {
                var rows = group.ToList();
                md.Append("| ").Append(string.Join(" | ", rows[0].Trial.Parameters.Select(p => p.Value))).Append(" | ").Append(rows.Count).Append(" | ").Append(MeanStd(rows.Select(r => r.TestMetric)));
                if (accuracy) md.Append(" | ").Append(MeanStd(rows.Select(r => 1 - r.TestMetric), 100));
                if (nll) md.Append(" | ").Append(MeanStd(rows.Select(r => r.TestNll ?? double.NaN)));
                md.Append(" | ").Append(MeanStd(rows.Select(r => r.Variance))).Append(" | ").Append(MeanStd(rows.Select(r => r.MinBias ?? double.NaN)))
                  .Append(" | ").Append(MeanStd(rows.Select(r => r.RelativeVariance))).Append(" |");
                if (ella)
                {
                    md.Append(' ').Append(MeanStd(rows.Select(r => r.FcShare ?? double.NaN))).Append(" |");
                    if (groupConv) md.Append(' ').Append(MeanStd(rows.Select(r => r.ConvShare ?? double.NaN))).Append(" | ").Append(MeanStd(rows.Select(r => r.GroupConvShare ?? double.NaN))).Append(" |");
                    md.Append(' ').Append(MeanStd(rows.Select(r => r.NegativeLogMarginalLikelihood ?? double.NaN))).Append(" |");
                }
                if (pairs)
                    md.Append(' ').Append(MeanStd(rows.Select(r => r.PairVariance ?? double.NaN))).Append(" | ").Append(MeanStd(rows.Select(r => r.PairMinBias ?? double.NaN)))
                      .Append(" | ").Append(MeanStd(rows.Select(r => r.PairGapRatio ?? double.NaN))).Append(" |");
                md.Append('\n');
            }
            md.Append("\nMean ± sample standard deviation over the seeds.\n");
            if (parameters.SequenceEqual(["Experiment"]) && groups.Count > 1)
                md.Append(MarkdownReport.AcrossNetworksNote).Append('\n');
        }
        if (study.Reference is { Length: > 0 } reference) md.Append("\n**Published:** ").Append(reference).Append('\n');
        if (study.Correlations.Count > 0)
        {
            md.Append("\n## Correlations\n\n| x | y | Pearson r | p | Spearman ρ | p | n |\n|---|---|---|---|---|---|---|\n");
            foreach (var c in study.Correlations)
                md.Append("| ").Append(c.X).Append(" | ").Append(c.Y).Append(" | ").Append(format.Number(c.Pearson.Coefficient)).Append(" | ").Append(format.Number(c.Pearson.PValue))
                  .Append(" | ").Append(format.Number(c.Spearman.Coefficient)).Append(" | ").Append(format.Number(c.Spearman.PValue)).Append(" | ").Append(c.Pearson.N).Append(" |\n");
        }
        if (study.Rows.Any(r => r.LayerEquivariance is not null)) Equivariance(md, study, format);
        if (images is { Count: > 0 })
        {
            md.Append("\n## Figures\n\nEach also as SVG (vector, same name) for papers.\n\n");
            foreach (var image in images) md.Append("![").Append(Path.GetFileNameWithoutExtension(image)).Append("](").Append(image).Append(")\n\n");
        }
        return md.ToString();
    }

    /// <summary>
    /// Each network's layers (mean over its seeds): own relative rot90 and stride-shift errors, beside the layer's pathway
    /// shares for ELLA networks, and across every (trial, block) the correlation of the shares with the errors — does a
    /// layer ELLA judged convolutional measure as equivariant?
    /// </summary>
    private static void Equivariance(StringBuilder md, StudyResult study, ReportFormat format)
    {
        bool shares = study.Rows.Any(r => r.LayerShares is not null);
        var rows = study.Rows.Where(r => r.LayerEquivariance is not null).ToList();
        var groups = rows.GroupBy(r => string.Join(", ", r.Trial.Parameters.Select(p => p.Value))).ToList();
        md.Append("\n## Equivariance by layer\n\nEach layer's own relative error (0 = equivariant) for a quarter turn and for cyclic shifts by the network's total stride")
          .Append(shares ? ", beside the layer's pathway shares of its effective parameters" : "").Append("; mean over ").Append(groups.Max(g => g.Count()) > 1 ? "the seeds" : "the one seed")
          .Append(".\n\n| ").Append(string.Join(", ", rows[0].Trial.Parameters.Select(p => p.Name))).Append(" | layer |")
          .Append(shares ? " FC % | CONV % | G-CONV % |" : "").Append(" rot90 own | shift own |\n|---|---|").Append(shares ? "---|---|---|" : "").Append("---|---|\n");
        // With pathway shares only the blocks have them; the pooling and head layers are left out there.
        bool Listed(LayerEquivarianceSummary layer) => !shares || layer.Layer.StartsWith("block ", StringComparison.Ordinal);
        LayerShare? ShareOf(TrialRow row, LayerEquivarianceSummary layer)
            => layer.Layer.StartsWith("block ", StringComparison.Ordinal) && int.TryParse(layer.Layer.AsSpan("block ".Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out int block)
                ? row.LayerShares?.FirstOrDefault(s => s.Layer == block - 1) : null;
        string Mean(IEnumerable<double?> values, double scale = 1)
        {
            var known = values.Where(v => v is not null).Select(v => v!.Value * scale).ToList();
            return known.Count == 0 ? "–" : format.Number(known.Average());
        }
        foreach (var group in groups)
        {
            var trials = group.ToList();
            foreach (var layer in trials[0].LayerEquivariance!.Where(Listed))
            {
                var matching = trials.Select(t => (Row: t, Layer: t.LayerEquivariance!.FirstOrDefault(l => l.Layer == layer.Layer))).Where(t => t.Layer is not null).ToList();
                md.Append("| ").Append(group.Key).Append(" | ").Append(layer.Layer).Append(" |");
                if (shares)
                {
                    var layerShares = matching.Select(t => ShareOf(t.Row, t.Layer!)).ToList();
                    md.Append(' ').Append(Mean(layerShares.Select(s => s?.FcShare), 100)).Append(" | ").Append(Mean(layerShares.Select(s => s?.ConvShare), 100))
                      .Append(" | ").Append(Mean(layerShares.Select(s => s?.GroupConvShare), 100)).Append(" |");
                }
                md.Append(' ').Append(Mean(matching.Select(t => t.Layer!.Rotation))).Append(" | ").Append(Mean(matching.Select(t => t.Layer!.Shift))).Append(" |\n");
            }
        }
        var pairs = new List<(double Fc, double Conv, double GroupConv, double Rotation, double Shift)>();
        foreach (var row in rows)
            foreach (var layer in row.LayerEquivariance!)
                if (ShareOf(row, layer) is { } share && layer.Rotation is { } rotation && layer.Shift is { } shift)
                    pairs.Add((share.FcShare, share.ConvShare, share.GroupConvShare, rotation, shift));
        if (pairs.Count < 3) return;
        md.Append("\nAcross ").Append(pairs.Count).Append(" (trial, block) pairs; errors as log₁₀ (they span orders of magnitude; Spearman is unchanged by it):\n\n")
          .Append("| share | error | Pearson r | p | Spearman ρ | p |\n|---|---|---|---|---|---|\n");
        static double Log(double v) => Math.Log10(Math.Max(v, 1e-30));
        foreach (var (name, x, errorName, y) in new (string, Func<(double Fc, double Conv, double GroupConv, double Rotation, double Shift), double>, string, Func<(double Fc, double Conv, double GroupConv, double Rotation, double Shift), double>)[]
        {
            ("FC", p => p.Fc, "shift own", p => Log(p.Shift)),
            ("FC", p => p.Fc, "rot90 own", p => Log(p.Rotation)),
            ("G-CONV", p => p.GroupConv, "rot90 own", p => Log(p.Rotation)),
        })
        {
            var xs = pairs.Select(x).ToList();
            var ys = pairs.Select(y).ToList();
            if (xs.Distinct().Count() < 2 || ys.Distinct().Count() < 2) continue;
            var pearson = Correlation.Pearson(xs, ys);
            var spearman = Correlation.Spearman(xs, ys);
            md.Append("| ").Append(name).Append(" | ").Append(errorName).Append(" | ").Append(format.Number(pearson.Coefficient)).Append(" | ").Append(format.Number(pearson.PValue))
              .Append(" | ").Append(format.Number(spearman.Coefficient)).Append(" | ").Append(format.Number(spearman.PValue)).Append(" |\n");
        }
    }

    public static string Csv(StudyResult study)
    {
        var parameters = study.Rows.FirstOrDefault()?.Trial.Parameters.Select(p => p.Name).ToList() ?? [];
        var csv = new StringBuilder("trial,").Append(string.Concat(parameters.Select(p => p + ","))).Append("seed,test_metric,variance,min_bias,relative_variance,gap_ratio,parameters,wall_seconds,fc_share,neg_log_marglik,conv_share,group_conv_share,test_nll,pair_variance,pair_min_bias,pair_gap_ratio\n");
        static string N(double? v) => v is { } x ? x.ToString("R", CultureInfo.InvariantCulture) : "";
        foreach (var row in study.Rows)
            csv.Append(row.Trial.Index).Append(',').Append(string.Concat(row.Trial.Parameters.Select(p => p.Value + ","))).Append(row.Trial.Seed).Append(',')
               .Append(N(row.TestMetric)).Append(',').Append(N(row.Variance)).Append(',').Append(N(row.MinBias)).Append(',').Append(N(row.RelativeVariance)).Append(',')
               .Append(N(row.GapRatio)).Append(',').Append(row.Parameters.ToString(CultureInfo.InvariantCulture)).Append(',').Append(N(row.WallSeconds)).Append(',')
               .Append(N(row.FcShare)).Append(',').Append(N(row.NegativeLogMarginalLikelihood)).Append(',').Append(N(row.ConvShare)).Append(',').Append(N(row.GroupConvShare)).Append(',').Append(N(row.TestNll)).Append(',')
               .Append(N(row.PairVariance)).Append(',').Append(N(row.PairMinBias)).Append(',').Append(N(row.PairGapRatio)).Append('\n');
        return csv.ToString();
    }
}
