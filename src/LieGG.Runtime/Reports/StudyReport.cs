using System.Globalization;
using System.Text;
using LieGG.Runtime.Results;
using LieGG.Runtime.Training.Laplace;

namespace LieGG.Runtime.Reports;

/// <summary>A study's report as a <see cref="ReportDocument"/> (written as study.md and study.html) and its table as CSV (trials.csv).</summary>
public static class StudyReport
{
    public static string Markdown(StudyResult study, ReportFormat format, IReadOnlyList<string>? images = null)
        => MarkdownWriter.Write(Document(study, format, images), images);

    /// <param name="images">The study's figure files (PNG), listed under Figures.</param>
    public static ReportDocument Document(StudyResult study, ReportFormat format, IReadOnlyList<string>? images = null)
    {
        var doc = new ReportDocument().Heading(1, $"Study {study.Study}");
        doc.Paragraph(study.IsComplete ? $"{study.Rows.Count} trials." : $"**Incomplete:** {study.Rows.Count} of {study.ExpectedTrials} trials finished (run the study again for the missing ones, then merge again).");
        if (study.Missing.Count > 0)
        {
            doc.Paragraph("Missing trials:");
            doc.Bullets(study.Missing.Select(missing => $"trial {missing.Index} ({missing.Label}): {missing.State}"));
        }
        if (study.TakenOver.Count > 0)
        {
            doc.Paragraph("Taken over from an earlier attempt that stopped unfinished:");
            doc.Bullets(study.TakenOver.Select(taken => $"trial {taken.Index}: {taken.Reason}"));
        }
        if (study.Quick)
            doc.Paragraph($"**Quick run:** every trial was smoke-size ({Experiments.QuickRun.Description}); not a result.");
        var parameters = study.Rows.FirstOrDefault()?.Trial.Parameters.Select(p => p.Name).ToList() ?? [];
        string metric = study.Rows.FirstOrDefault()?.TestMetricKind.Tag() ?? "test";
        bool pairs = study.Rows.Any(r => r.PairVariance is not null);
        var header = new List<string> { "trial" };
        header.AddRange(parameters);
        header.AddRange(["seed", metric, "variance", "min bias", "relative variance", "gap", "parameters"]);
        if (pairs) header.AddRange(["pair variance", "min pair bias", "pair gap"]);
        if (format.IncludeMachineFacts) header.Add("seconds");
        var trials = new List<IReadOnlyList<string>>();
        foreach (var row in study.Rows)
        {
            var cells = new List<string> { row.Trial.Index.ToString(CultureInfo.InvariantCulture) };
            cells.AddRange(row.Trial.Parameters.Select(p => p.Value));
            cells.AddRange([row.Trial.Seed.ToString(CultureInfo.InvariantCulture), format.Number(row.TestMetric), format.Number(row.Variance), format.Number(row.MinBias),
                format.Number(row.RelativeVariance), format.Number(row.GapRatio), row.Parameters.ToString(CultureInfo.InvariantCulture)]);
            if (pairs) cells.AddRange([format.Number(row.PairVariance), format.Number(row.PairMinBias), format.Number(row.PairGapRatio)]);
            if (format.IncludeMachineFacts) cells.Add(format.Number(row.WallSeconds));
            trials.Add(cells);
        }
        // Each trial's folder holds its own page (written when the trial finished).
        doc.Table(header, trials, ReportTableKind.Trials, study.Rows.Select(r => (string?)$"trials/{r.Trial.Key}/{HtmlReport.RunPage}").ToList());
        var groups = study.Rows.GroupBy(r => string.Join(", ", r.Trial.Parameters.Select(p => $"{p.Name}={p.Value}"))).ToList();
        if (groups.Any(g => g.Count() > 1))
        {
            bool accuracy = metric == "accuracy";
            bool ella = study.Rows.Any(r => r.FcShare is not null);
            bool groupConv = study.Rows.Any(r => r.GroupConvShare is not null);
            bool nll = study.Rows.Any(r => r.TestNll is not null);
            var columns = new List<string>(parameters) { "n", metric };
            if (accuracy) columns.Add("test error %");
            if (nll) columns.Add("test NLL");
            columns.AddRange(["variance", "min bias", "relative variance"]);
            if (ella)
            {
                columns.Add("FC share (mean over layers)");
                if (groupConv) columns.AddRange(["CONV share", "G-CONV share"]);
                columns.Add("−log ML / N");
            }
            if (pairs) columns.AddRange(["pair variance", "min pair bias", "pair gap"]);
            string MeanStd(IEnumerable<double> values, double scale = 1)
            {
                var list = values.Where(double.IsFinite).Select(v => v * scale).ToList();
                if (list.Count == 0) return "–";
                var (mean, std) = ReplicateStatistics.MeanAndStd(list);
                return $"{format.Number(mean)} ± {format.Number(std)}";
            }
            var summary = new List<IReadOnlyList<string>>();
            foreach (var group in groups)
            {
                var rows = group.ToList();
                var cells = new List<string>(rows[0].Trial.Parameters.Select(p => p.Value)) { rows.Count.ToString(CultureInfo.InvariantCulture), MeanStd(rows.Select(r => r.TestMetric)) };
                if (accuracy) cells.Add(MeanStd(rows.Select(r => 1 - r.TestMetric), 100));
                if (nll) cells.Add(MeanStd(rows.Select(r => r.TestNll ?? double.NaN)));
                cells.AddRange([MeanStd(rows.Select(r => r.Variance)), MeanStd(rows.Select(r => r.MinBias ?? double.NaN)), MeanStd(rows.Select(r => r.RelativeVariance))]);
                if (ella)
                {
                    cells.Add(MeanStd(rows.Select(r => r.FcShare ?? double.NaN)));
                    if (groupConv) cells.AddRange([MeanStd(rows.Select(r => r.ConvShare ?? double.NaN)), MeanStd(rows.Select(r => r.GroupConvShare ?? double.NaN))]);
                    cells.Add(MeanStd(rows.Select(r => r.NegativeLogMarginalLikelihood ?? double.NaN)));
                }
                if (pairs)
                    cells.AddRange([MeanStd(rows.Select(r => r.PairVariance ?? double.NaN)), MeanStd(rows.Select(r => r.PairMinBias ?? double.NaN)), MeanStd(rows.Select(r => r.PairGapRatio ?? double.NaN))]);
                summary.Add(cells);
            }
            doc.Heading(2, "Summary over seeds");
            doc.Table(columns, summary);
            doc.Paragraph("Mean ± sample standard deviation over the seeds." +
                (parameters.SequenceEqual(["Experiment"]) && groups.Count > 1 ? "\n" + RunReport.AcrossNetworksNote : ""));
        }
        if (study.Reference is { Length: > 0 } reference) doc.Paragraph($"**Published:** {reference}");
        if (study.Correlations.Count > 0)
        {
            doc.Heading(2, "Correlations");
            doc.Table(["x", "y", "Pearson r", "95% CI", "p", "Spearman ρ", "95% CI", "p", "n"], study.Correlations.Select(c => (IReadOnlyList<string>)
                [c.X.ToString(), c.Y.ToString(), format.Number(c.Pearson.Coefficient), Interval(c.Pearson.Interval, format), format.Number(c.Pearson.PValue),
                 format.Number(c.Spearman.Coefficient), Interval(c.Spearman.Interval, format), format.Number(c.Spearman.PValue), c.Pearson.N.ToString(CultureInfo.InvariantCulture)]));
            doc.Paragraph($"Intervals: BCa bootstrap over the trials ({Correlation.Resamples} resamples); p from the t distribution with n − 2 degrees of freedom.");
        }
        if (study.Rows.Any(r => r.Nested is { Count: > 0 })) NestedEvidence(doc, study, format);
        if (study.Rows.Any(r => r.NegativeLogMarginalLikelihood is not null)) KfacAgainstExact(doc, study, format);
        if (study.Rows.Any(r => r.LayerEquivariance is not null)) Equivariance(doc, study, format);
        if (images is { Count: > 0 })
        {
            doc.Heading(2, "Figures");
            doc.Paragraph("Each also as SVG (vector, same name) for papers.");
            foreach (var image in images) doc.FigureFile(image, Path.GetFileNameWithoutExtension(image));
        }
        return doc;
    }

    /// <summary>The leading cells of a per-trial row: its index, its swept values and its seed.</summary>
    private static List<string> TrialCells(TrialRow row)
        => [row.Trial.Index.ToString(CultureInfo.InvariantCulture), .. row.Trial.Parameters.Select(p => p.Value), row.Trial.Seed.ToString(CultureInfo.InvariantCulture)];

    /// <summary>Per trial with a Laplace evidence: KFAC's log-determinant and −log ML / N against the exact GGN's where it was checked, and which were not and why.</summary>
    private static void KfacAgainstExact(ReportDocument doc, StudyResult study, ReportFormat format)
    {
        var laplace = study.Rows.Where(r => r.NegativeLogMarginalLikelihood is not null).ToList();
        var checkedRows = laplace.Where(r => r.KfacCheck is not null).ToList();
        doc.Heading(2, "KFAC against the exact GGN");
        if (checkedRows.Count > 0)
        {
            doc.Paragraph("At the final weights and priors: the log-determinant of the posterior precision with the exact generalised Gauss–Newton matrix (dense, float64), with its per-tensor blocks only, and with KFAC; and −log ML / N with the exact GGN and with KFAC (the reported one).");
            doc.Table(["trial", .. checkedRows[0].Trial.Parameters.Select(p => p.Name), "seed", "parameters", "logdet exact", "logdet blocks", "logdet KFAC", "−log ML / N exact", "−log ML / N KFAC", "KFAC's gap"],
                checkedRows.Select(r =>
                {
                    var check = r.KfacCheck!;
                    var cells = TrialCells(r);
                    cells.AddRange([check.Parameters.ToString(CultureInfo.InvariantCulture), format.Number(check.ExactLogDeterminant),
                        format.Number(check.BlockDiagonalLogDeterminant), format.Number(check.KfacLogDeterminant), format.Number(check.ExactObjective), format.Number(check.KfacObjective), format.Number(check.Gap)]);
                    return (IReadOnlyList<string>)cells;
                }));
        }
        var notChecked = laplace.Where(r => r.KfacCheck is null).ToList();
        if (notChecked.Count > 0)
        {
            var sizes = notChecked.Select(r => r.Parameters).Distinct().Order().Select(p => p.ToString(CultureInfo.InvariantCulture));
            bool tooLarge = notChecked.All(r => r.Parameters > Training.Laplace.LaplaceCheck.MaxParameters);
            doc.Paragraph($"Not checked: {notChecked.Count} of {laplace.Count} trials ({string.Join(", ", sizes)} parameters). " + (tooLarge
                ? $"The dense check runs up to {Training.Laplace.LaplaceCheck.MaxParameters} parameters; their KFAC evidence is as reported, unverified."
                : $"Declare [Laplace(ExactGgnCheck = true)] (or run --check-laplace) to check networks of up to {Training.Laplace.LaplaceCheck.MaxParameters} parameters."));
        }
    }

    /// <summary>Per learned trial: its marginal likelihood against the best of its strict sub-networks, trained the same way.</summary>
    private static void NestedEvidence(ReportDocument doc, StudyResult study, ReportFormat format)
    {
        var rows = study.Rows.Where(r => r.Nested is { Count: > 0 } && r.NegativeLogMarginalLikelihood is not null).ToList();
        doc.Heading(2, "Nested evidence");
        doc.Paragraph("Each learned relaxed network against the strict sub-networks it contains (each pathway alone, each pair of three), trained and evaluated the same way.");
        doc.Table(["trial", .. rows[0].Trial.Parameters.Select(p => p.Name), "seed", "−log ML / N learned", "best sub-network", "its −log ML / N", "its test metric", "learned has the best evidence"],
            rows.Select(r =>
            {
                var best = r.Nested!.MinBy(n => n.NegativeLogMarginalLikelihood)!;
                var cells = TrialCells(r);
                cells.AddRange([format.Number(r.NegativeLogMarginalLikelihood), best.Name, format.Number(best.NegativeLogMarginalLikelihood),
                    format.Number(best.TestAccuracy), r.NegativeLogMarginalLikelihood <= best.NegativeLogMarginalLikelihood ? "yes" : "**no**"]);
                return (IReadOnlyList<string>)cells;
            }));
    }

    /// <summary>
    /// Each network's layers (mean over its seeds): own relative rot90 and stride-shift errors, beside the layer's pathway
    /// shares for ELLA networks, and across every (trial, block) the correlation of the shares with the errors — does a
    /// layer ELLA judged convolutional measure as equivariant?
    /// </summary>
    private static void Equivariance(ReportDocument doc, StudyResult study, ReportFormat format)
    {
        bool shares = study.Rows.Any(r => r.LayerShares is not null);
        var rows = study.Rows.Where(r => r.LayerEquivariance is not null).ToList();
        var groups = rows.GroupBy(r => string.Join(", ", r.Trial.Parameters.Select(p => p.Value))).ToList();
        doc.Heading(2, "Equivariance by layer");
        doc.Paragraph("Each layer's own relative error (0 = equivariant) for a quarter turn and for cyclic shifts by the network's total stride" +
            (shares ? ", beside the layer's pathway shares of its effective parameters" : "") + "; mean over " + (groups.Max(g => g.Count()) > 1 ? "the seeds" : "the one seed") + ".");
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
        var table = new List<IReadOnlyList<string>>();
        foreach (var group in groups)
        {
            var trials = group.ToList();
            foreach (var layer in trials[0].LayerEquivariance!.Where(Listed))
            {
                var matching = trials.Select(t => (Row: t, Layer: t.LayerEquivariance!.FirstOrDefault(l => l.Layer == layer.Layer))).Where(t => t.Layer is not null).ToList();
                var cells = new List<string> { group.Key, layer.Layer };
                if (shares)
                {
                    var layerShares = matching.Select(t => ShareOf(t.Row, t.Layer!)).ToList();
                    cells.AddRange([Mean(layerShares.Select(s => s?.FcShare), 100), Mean(layerShares.Select(s => s?.ConvShare), 100), Mean(layerShares.Select(s => s?.GroupConvShare), 100)]);
                }
                cells.AddRange([Mean(matching.Select(t => t.Layer!.Rotation)), Mean(matching.Select(t => t.Layer!.Shift))]);
                table.Add(cells);
            }
        }
        var header = new List<string> { string.Join(", ", rows[0].Trial.Parameters.Select(p => p.Name)), "layer" };
        if (shares) header.AddRange(["FC %", "CONV %", "G-CONV %"]);
        header.AddRange(["rot90 own", "shift own"]);
        doc.Table(header, table);
        var pairs = new List<(double Fc, double Conv, double GroupConv, double Rotation, double Shift)>();
        foreach (var row in rows)
            foreach (var layer in row.LayerEquivariance!)
                if (ShareOf(row, layer) is { } share && layer.Rotation is { } rotation && layer.Shift is { } shift)
                    pairs.Add((share.FcShare, share.ConvShare, share.GroupConvShare, rotation, shift));
        if (pairs.Count < 3) return;
        doc.Paragraph($"Across {pairs.Count} (trial, block) pairs; errors as log₁₀ (they span orders of magnitude; Spearman is unchanged by it):");
        static double Log(double v) => Math.Log10(Math.Max(v, 1e-30));
        var correlations = new List<IReadOnlyList<string>>();
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
            correlations.Add([name, errorName, format.Number(pearson.Coefficient), Interval(pearson.Interval, format), format.Number(pearson.PValue),
                format.Number(spearman.Coefficient), Interval(spearman.Interval, format), format.Number(spearman.PValue)]);
        }
        doc.Table(["share", "error", "Pearson r", "95% CI", "p", "Spearman ρ", "95% CI", "p"], correlations);
    }

    private static string Interval(Symmetry.ConfidenceInterval? interval, ReportFormat format)
        => interval is null ? "–" : $"{format.Number(interval.Lower)} … {format.Number(interval.Upper)}";

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
