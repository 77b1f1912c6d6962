using System.Globalization;
using System.Text;
using LieGG.Runtime.Results;
using LieGG.Runtime.Symmetry;

namespace LieGG.Runtime.Reports;

/// <summary>
/// A run's report as a <see cref="ReportDocument"/>, and several runs side by side. Deterministic for a given record and
/// format; <see cref="ReportFormat.Snapshot"/> drops timings, dates and machine facts and rounds numbers.
/// </summary>
public static class RunReport
{
    /// <summary>Generators shown as matrices in the report (all are in result.json and generators.csv).</summary>
    public const int GeneratorsShown = 4;

    /// <summary>Pairs shown as matrices in the report (all are in result.json).</summary>
    public const int PairsShown = 4;

    /// <summary>Printed wherever different networks' LieGG metrics stand side by side.</summary>
    public const string AcrossNetworksNote =
        "Symmetry variance is in each network's own output scale (it grows with how sharply the normalised outputs respond to the input), " +
        "so between different networks compare relative variance and bias; variance compares replicates of one network.";

    public static ReportDocument Document(RunRecord record, ReportFormat? format = null)
    {
        format ??= ReportFormat.Full;
        var result = record.Result;
        var symmetry = result.Symmetry;
        var doc = new ReportDocument();
        doc.Heading(1, result.Experiment);
        if (result.AnalysisOf is { } analysed)
            doc.Paragraph($"**Analysis** of the trained network in `{(format.IncludeMachineFacts ? analysed : Path.GetFileName(analysed))}` (nothing was trained by this run).");
        var opening = new StringBuilder();
        if (format.IncludeMachineFacts)
            opening.Append("Run `").Append(record.RunId).Append("`, started ").Append(record.Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append(" UTC.");
        if (result.Quick) opening.Append(format.IncludeMachineFacts ? " " : "").Append("**Quick run** (smoke size, not a result: ").Append(Experiments.QuickRun.Description).Append(").");
        if (opening.Length > 0) doc.Paragraph(opening.ToString());
        if (record.TookOver is { } reason && format.IncludeMachineFacts)
            doc.Paragraph($"This trial was taken over from an earlier attempt that stopped unfinished: {reason}.");

        doc.Heading(2, "Summary");
        var summary = new List<(string, string)>();
        if (result.TestMetricKind != TestMetricKind.None)
            summary.Add((result.TestMetricKind.Label() + (result.TestMetricKind == TestMetricKind.Mse ? UnitsSuffix(result.Units) : ""), format.Number(result.TestMetric)));
        if (result.TestNegativeLogLikelihood is { } testNll)
            summary.Add(("test NLL (mean −log p of the label)", format.Number(testNll)));
        summary.Add(("symmetry variance λ_min", symmetry.Degenerate ? SymmetryResult.DegenerateVerdict : format.Number(symmetry.Variance) + Interval(symmetry.VarianceInterval, format)));
        if (symmetry.Bias is not null)
            summary.Add(($"min symmetry bias vs {symmetry.Algebra}", format.Number(symmetry.MinBias) + Interval(symmetry.MinBiasInterval, format)));
        summary.Add(("relative variance λ_min/λ_max", format.Number(symmetry.RelativeVariance)));
        summary.Add(($"spectral gap λ{symmetry.SubspaceDimension + 1}/λ{symmetry.SubspaceDimension}", format.Number(symmetry.GapRatio)));
        summary.Add(("numerical rank (tolerance on σ)", $"{symmetry.NumericalRank} of {symmetry.Spectrum.Length} ({format.Number(symmetry.RankTolerance)})"));
        summary.Add(($"closure residual of span{{H1..H{symmetry.SubspaceDimension}}}", format.Number(symmetry.ClosureResidual)));
        if (symmetry.PrincipalAngles is { } angles)
            summary.Add(($"principal angles to {symmetry.Algebra} (rad)", string.Join(", ", angles.Select(format.Number))));
        summary.Add(("parameters", result.Parameters.ToString(CultureInfo.InvariantCulture)));
        summary.Add(("data (train / validation / test)", $"{result.Data.Train} / {result.Data.Validation} / {result.Data.Test}"));
        summary.Add(("polarization rows", $"{symmetry.Rows.ToString(CultureInfo.InvariantCulture)} ({AnalysedInputs(result.AnalysedSplit)})"));
        doc.Properties(summary);

        doc.Heading(2, "Settings");
        doc.Paragraph($"The values this run used{(result.Overrides.Count > 0 ? $" (--set: {string.Join(", ", result.Overrides)})" : "")}; a note says where one is not simply the declaration's.");
        doc.Table(["setting", "value", "note"], RunSettings.Rows(record).Select(r => (IReadOnlyList<string>)[r.Setting, r.Value, r.Note]));
        var protocol = new List<(string, string)> { ("prior", record.Spec.Prior.Description) };
        if (result.Outputs is { } outputs)
        {
            protocol.Add(("trained", outputs.Trained));
            protocol.Add(("analysed", outputs.Analysed));
        }
        doc.Properties(protocol);

        if (result.Standardization is { } standardization)
        {
            doc.Heading(2, "Units");
            doc.Properties(
            [
                ("measured and analysed in", result.Units == Dsl.RegressionUnits.Standardized ? "standardised units: net(x / s) against (y − μ) / σ" : "the task's units: F = σ·net(x / s) + μ against y"),
                ("target mean μ", string.Join(", ", standardization.TargetMean.Select(format.Number))),
                ("target std σ (σ² scales MSE and variance between the units)", string.Join(", ", standardization.TargetStd.Select(format.Number))),
                ("input scales s", string.Join(", ", standardization.InputScale.Distinct().Select(format.Number))),
                ("statistics over", standardization.Source),
            ]);
        }

        if (result.DataSource is { } data)
        {
            doc.Heading(2, "Data");
            doc.Properties(
            [
                ("source", data.Source),
                ("files", string.Join("<br>", data.Files.Select(f => format.IncludeMachineFacts ? f : Path.GetFileName(f)))),
                ($"train ({data.Train.Count})", data.Train.Origin),
                ($"validation ({data.Validation.Count})", data.Validation.Origin),
                ($"test ({data.Test.Count})", data.Test.Origin),
                ("rotation", data.Rotation),
                ("blur", data.Blur),
                ("normalisation", data.Normalization),
            ]);
        }

        doc.Heading(2, "Spectrum");
        doc.Paragraph("Every figure is also saved as SVG (vector, same name) for papers.", onlyWithFigures: true);
        var positions = Enumerable.Range(1, symmetry.Spectrum.Length).Select(i => (double)i).ToList();
        doc.Chart(new ReportChart("spectrum", "Spectrum λ = σ²/N, ascending", "i", "λ", LogY: true,
            [new ReportSeries("λ", positions, symmetry.Spectrum)], ReplacesFigure: "spectrum.png"));
        doc.FigureFile("spectrum.png", "spectrum");
        doc.FigureFile("bias.png", "bias per generator");
        doc.Table(symmetry.Bias is null ? ["i", "λ = σ²/N", "σ"] : ["i", "λ = σ²/N", "σ", "bias"],
            Enumerable.Range(0, symmetry.Spectrum.Length).Select(i => (IReadOnlyList<string>)(symmetry.Bias is { } bias
                ? [(i + 1).ToString(CultureInfo.InvariantCulture), format.Number(symmetry.Spectrum[i]), format.Number(symmetry.SingularValues[i]), format.Number(bias[i])]
                : [(i + 1).ToString(CultureInfo.InvariantCulture), format.Number(symmetry.Spectrum[i]), format.Number(symmetry.SingularValues[i])])));

        doc.Heading(2, "Generators");
        doc.Paragraph("Right singular vectors of the polarization matrix, smallest variance first, unit Frobenius norm.");
        doc.FigureFile("generators.png", "generators");
        doc.FigureFile("flow.png", "an input moved along the smallest-variance generator");
        for (int i = 0; i < Math.Min(GeneratorsShown, symmetry.Generators.Length); i++)
        {
            doc.Paragraph($"H{i + 1} (λ = {format.Number(symmetry.Spectrum[i])}{(symmetry.Bias is { } bias ? $", bias {format.Number(bias[i])}" : "")})");
            var matrix = new StringBuilder();
            foreach (var row in symmetry.Generators[i]) matrix.Append(string.Join("  ", row.Select(v => format.Number(v).PadLeft(format.SignificantDigits + 6)))).Append('\n');
            doc.Code(matrix.ToString());
        }

        if (result.Layers is { Count: > 0 } layers)
        {
            doc.Heading(2, "Layers");
            doc.Table(["layer", "variance", "relative variance", "min bias", "gap"], layers.Select(layer => (IReadOnlyList<string>)
                [(layer.Layer + 1).ToString(CultureInfo.InvariantCulture), format.Number(layer.Symmetry.Variance), format.Number(layer.Symmetry.RelativeVariance),
                 format.Number(layer.Symmetry.MinBias), format.Number(layer.Symmetry.GapRatio)]));
        }

        if (result.Equivariance is { } equivariance) Equivariance(doc, equivariance, format);
        if (result.Joint is { } joint) Pairs(doc, joint, format);
        if (result.Laplace is { } laplace) Laplace(doc, laplace, format, result);

        doc.Heading(2, "Training");
        if (result.AnalysisOf is { } source)
        {
            doc.Paragraph($"Not trained here: this is an analysis of the network in `{(format.IncludeMachineFacts ? source : Path.GetFileName(source))}`.");
        }
        else
        {
            var history = result.Training.History;
            if (history.Count > 0)
            {
                var epochs = history.Select(e => (double)e.Epoch).ToList();
                doc.Chart(new ReportChart("training", "Training curves", "epoch", "", LogY: false,
                [
                    new ReportSeries("training loss", epochs, history.Select(e => e.TrainLoss).ToList()),
                    new ReportSeries($"validation {result.Training.ValidationMetricName}", epochs, history.Select(e => e.ValidationMetric).ToList()),
                ], ReplacesFigure: "training.png"));
            }
            doc.FigureFile("training.png", "training curves");
            var training = new StringBuilder($"Best epoch {result.Training.BestEpoch} of {result.Epochs} (validation {result.Training.ValidationMetricName} {format.Number(result.Training.BestValidationMetric)}).");
            training.Append(result.Training.StoppedEarly ? " Stopped early." : "").Append(" Per-epoch figures: `training.csv`.");
            if (result.ModelFile is { } model) training.Append(" Trained weights: `").Append(model).Append("` (safetensors).");
            doc.Paragraph(training.ToString());
        }

        if (format.IncludeMachineFacts)
        {
            doc.Heading(2, "Timings and versions");
            var facts = new List<(string, string)>
            {
                ("data / training / analysis / total (s)", $"{format.Number(result.Timings.DataSeconds)} / {format.Number(result.Timings.TrainingSeconds)} / {format.Number(result.Timings.AnalysisSeconds)} / {format.Number(result.Timings.TotalSeconds)}"),
            };
            if (result.Threads > 0) facts.Add(("CPU threads", result.Threads.ToString(CultureInfo.InvariantCulture)));
            facts.Add(("LieGG / TorchSharp / .NET", $"{record.Versions.LieGG} / {record.Versions.TorchSharp} / {record.Versions.Dotnet}"));
            facts.Add(("OS", record.Versions.Os));
            doc.Properties(facts);
            if (result.Profile is { Count: > 0 } profile) Profile(doc, profile, result.Timings.TotalSeconds, format);
        }
        return doc;
    }

    /// <summary>Where the run's time went: each stage's wall time, calls and share of the run, children indented under their stage, and what a stage spent outside its children.</summary>
    private static void Profile(ReportDocument doc, IReadOnlyList<Training.ProfileStage> profile, double totalSeconds, ReportFormat format)
    {
        doc.Paragraph("**Profile** (wall time; a stage includes the stages under it):");
        var rows = new List<IReadOnlyList<string>>();
        foreach (var stage in profile)
        {
            string indent = string.Concat(Enumerable.Repeat("· ", stage.Depth));
            var children = profile.Where(c => c.Depth == stage.Depth + 1 && c.Path.StartsWith(stage.Path + " / ", StringComparison.Ordinal)).ToList();
            string own = children.Count == 0 ? "" : format.Number(stage.Seconds - children.Sum(c => c.Seconds));
            rows.Add([indent + stage.Name, format.Number(stage.Seconds), stage.Calls.ToString(CultureInfo.InvariantCulture),
                totalSeconds > 0 ? (100 * stage.Seconds / totalSeconds).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "–", own]);
        }
        doc.Table(["stage", "seconds", "calls", "of the run", "outside the stages under it (s)"], rows);
    }

    /// <summary>
    /// Several runs side by side, one row each (as BenchmarkDotNet prints them): the run, the settings in which the runs
    /// differ (views of their recorded specs), then the metrics. Quick runs are marked.
    /// </summary>
    public static ReportDocument Comparison(IReadOnlyList<RunRecord> records, ReportFormat? format = null)
    {
        format ??= ReportFormat.Full;
        var settings = records.Select(SettingsOf).ToList();
        var differing = settings.SelectMany(s => s.Keys).Distinct()
            .Where(key => settings.Select(s => s.GetValueOrDefault(key, "")).Distinct().Count() > 1)
            .Order(StringComparer.Ordinal).ToList();
        var doc = new ReportDocument().Heading(1, "Comparison");
        doc.Paragraph(differing.Count == 0 ? "The runs share every setting." : $"Settings shown are those in which the runs differ ({differing.Count}).");
        string[] metrics = ["test metric", "variance", "relative variance", "min bias", "gap", "parameters", "epochs"];
        var rows = new List<IReadOnlyList<string>>();
        for (int i = 0; i < records.Count; i++)
        {
            var r = records[i].Result;
            var symmetry = r.Symmetry;
            var cells = new List<string> { $"{r.Experiment} (seed {r.Seed}){(r.Quick ? ", quick" : "")}" };
            cells.AddRange(differing.Select(key => settings[i].GetValueOrDefault(key, "–")));
            cells.Add($"{r.TestMetricKind.Tag()} {format.Number(r.TestMetric)}");
            cells.Add(symmetry.Degenerate ? "degenerate" : format.Number(symmetry.Variance));
            cells.Add(format.Number(symmetry.RelativeVariance));
            cells.Add(symmetry.MinBias is { } bias ? $"{format.Number(bias)} ({symmetry.Algebra})" : "–");
            cells.Add(format.Number(symmetry.GapRatio));
            cells.Add(r.Parameters.ToString(CultureInfo.InvariantCulture));
            cells.Add(r.Epochs.ToString(CultureInfo.InvariantCulture));
            rows.Add(cells);
        }
        doc.Table(["run", .. differing, .. metrics], rows, ReportTableKind.Trials);
        if (records.Any(r => r.Result.Quick)) doc.Paragraph("Quick runs are smoke-size: not results.");
        if (records.Select(r => r.Spec.Architecture).Distinct().Count() > 1) doc.Paragraph(AcrossNetworksNote);
        return doc;
    }

    /// <summary>A run's settings by export column (<see cref="SpecValues"/>: the values it used).</summary>
    private static Dictionary<string, string> SettingsOf(RunRecord record) => SpecValues.Of(record.Spec).ToDictionary(v => v.Column, v => v.Value);

    private static void Pairs(ReportDocument doc, Symmetry.Joint.JointSymmetryResult joint, ReportFormat format)
    {
        doc.Heading(2, "Pairs (A on the input, B on the output)");
        doc.Paragraph($"The joint system J_F(x)·(A·x) = B·F(x), one row per sample and output component; the output is {joint.Output}. " +
            (joint.Scaling == Symmetry.Joint.JointScaling.Balanced
                ? $"The A and B blocks are weighted by their columns' root mean square ({format.Number(joint.InputScale)} and {format.Number(joint.OutputScale)}), so λ is unit-free; each pair is mapped back and has ‖A‖² + ‖B‖² = 1."
                : "Unscaled: λ is the mean squared residual per row, in the output's units squared."));
        var properties = new List<(string, string)>
        {
            ("pair variance λ_min", joint.Degenerate ? "degenerate: the system has rank 0" : format.Number(joint.Variance) + Interval(joint.VarianceInterval, format)),
        };
        if (joint.Bias is not null)
            properties.Add(($"min pair bias vs {joint.Algebra}", format.Number(joint.MinBias) + Interval(joint.MinBiasInterval, format)));
        properties.Add(("relative variance λ_min/λ_max", format.Number(joint.RelativeVariance)));
        properties.Add(($"spectral gap λ{joint.SubspaceDimension + 1}/λ{joint.SubspaceDimension}", format.Number(joint.GapRatio)));
        properties.Add(("numerical rank (tolerance on σ)", $"{joint.NumericalRank} of {joint.Spectrum.Length} ({format.Number(joint.RankTolerance)})"));
        properties.Add(($"closure residual of the first {joint.SubspaceDimension} pairs", format.Number(joint.ClosureResidual)));
        if (joint.PrincipalAngles is { } angles)
            properties.Add(($"principal angles to {joint.Algebra} (rad)", string.Join(", ", angles.Select(format.Number))));
        properties.Add(("rows", joint.Rows.ToString(CultureInfo.InvariantCulture)));
        doc.Properties(properties);
        doc.FigureFile("pairs.png", "the smallest-variance pairs, A above B");
        int shown = Math.Min(joint.Spectrum.Length, Math.Max(joint.SubspaceDimension + 2, 6));
        var rows = new List<IReadOnlyList<string>>();
        for (int i = 0; i < shown; i++)
        {
            var cells = new List<string> { (i + 1).ToString(CultureInfo.InvariantCulture), format.Number(joint.Spectrum[i]) };
            if (joint.Bias is { } bias) cells.Add(format.Number(bias[i]));
            cells.Add(format.Number(Math.Sqrt(joint.Pairs[i].B.Sum(row => row.Sum(v => v * v)))));
            rows.Add(cells);
        }
        if (shown < joint.Spectrum.Length)
            rows.Add(joint.Bias is null ? ["…", $"{joint.Spectrum.Length - shown} more in result.json", ""] : ["…", $"{joint.Spectrum.Length - shown} more in result.json", "", ""]);
        doc.Table(joint.Bias is null ? ["i", "λ", "‖B‖"] : ["i", "λ", "bias", "‖B‖"], rows);
        for (int i = 0; i < Math.Min(PairsShown, joint.Pairs.Length); i++)
        {
            doc.Paragraph($"Pair {i + 1} (λ = {format.Number(joint.Spectrum[i])}{(joint.Bias is { } bias ? $", bias {format.Number(bias[i])}" : "")})");
            var matrices = new StringBuilder();
            var (a, b) = (joint.Pairs[i].A, joint.Pairs[i].B);
            int width = format.SignificantDigits + 6;
            for (int r = 0; r < Math.Max(a.Length, b.Length); r++)
            {
                matrices.Append(r == 0 ? "A: " : "   ").Append(r < a.Length ? string.Join("  ", a[r].Select(v => format.Number(v).PadLeft(width))) : "");
                if (b.Length > 0) matrices.Append(r == 0 ? "    B: " : "       ").Append(r < b.Length ? string.Join("  ", b[r].Select(v => format.Number(v).PadLeft(width))) : "");
                matrices.Append('\n');
            }
            doc.Code(matrices.ToString());
        }
    }

    private static void Equivariance(ReportDocument doc, Symmetry.Equivariance.EquivarianceResult equivariance, ReportFormat format)
    {
        doc.Heading(2, "Equivariance by layer");
        doc.Paragraph($"{equivariance.Samples} analysed inputs. *own* is a layer's own relative error — ‖f(ρx) − ρf(x)‖² / ‖f(x)‖² for an element, " +
            "‖J𝓛x − 𝓛f(x)‖² over ‖J𝓛x‖² + ‖𝓛f(x)‖² along a generator: 0 = equivariant; *share* is its part of the output's error " +
            $"(the shares sum to 1; pathways have none). A layer counts as exact at ≤ {format.Number(equivariance.Tolerance)} (round-off × depth).");
        foreach (var exact in equivariance.Exact)
        {
            var element = equivariance.Elements.First(e => e.Element == exact);
            double worst = element.Layers.Max(l => l.OwnRelative);
            var violations = element.Layers.Where(l => l.OwnRelative > equivariance.Tolerance).Select(l => l.Name).ToList();
            doc.Paragraph($"Declared exact: {exact} — measured at most {format.Number(worst)}" +
                (violations.Count == 0 ? $" ≤ {format.Number(equivariance.Tolerance)}: holds in every layer." : $": **broken by {string.Join(", ", violations)}**."));
        }
        // Shares of an error at round-off are round-off too: shown only where the network's error exceeds the tolerance.
        var probes = equivariance.Elements.Select(e => (Name: e.Element, e.EndToEndRelative, e.Layers, Shares: e.EndToEndRelative > equivariance.Tolerance))
            .Concat(equivariance.Generators.Select(g => (Name: g.Probe, g.EndToEndRelative, g.Layers, Shares: true))).ToList();
        if (probes.Count == 0) return;
        var rows = new List<IReadOnlyList<string>>();
        var network = new List<string> { "network", "" };
        foreach (var probe in probes) network.AddRange([format.Number(probe.EndToEndRelative), probe.Shares ? "1" : "–"]);
        rows.Add(network);
        var layers = probes[0].Layers;
        for (int l = 0; l < layers.Count; l++)
        {
            var row = new List<string> { layers[l].Name, layers[l].Space };
            foreach (var probe in probes)
                row.AddRange([format.Number(probe.Layers[l].OwnRelative), probe.Shares && probe.Layers[l].Share is { } share ? format.Number(share) : "–"]);
            rows.Add(row);
            for (int p = 0; p < layers[l].Parts.Count; p++)
            {
                var part = new List<string> { $"{layers[l].Name} · {layers[l].Parts[p].Name}", "" };
                foreach (var probe in probes) part.AddRange([format.Number(probe.Layers[l].Parts[p].OwnRelative), ""]);
                rows.Add(part);
            }
        }
        doc.Table(["layer", "space", .. probes.SelectMany(p => new[] { $"{p.Name} own", $"{p.Name} share" })], rows);
        var after = new StringBuilder();
        if (equivariance.Generators.Count > 0)
        {
            after.Append("Along a generator h, the analysed (summed, transformed) output's mean squared residual — LieGG's vec(h)ᵀ(EᵀE/N)vec(h) in centred coordinates for an invariant output, whose relative error is 1 whenever it is not 0: ")
                 .Append(string.Join(", ", equivariance.Generators.Select(g => $"{g.Probe} {format.Number(g.Analysed)}"))).Append(".\n");
        }
        after.Append("Per layer and probe: `equivariance.csv`.");
        var h1 = equivariance.Generators.FirstOrDefault(g => g.Probe == "LieGG H1");
        if (h1 is not null) after.Append(" LieGG H1 (affine, centred coordinates): (").Append(string.Join(", ", h1.Generator.Select(format.Number))).Append(").");
        doc.Paragraph(after.ToString());
        doc.FigureFile("equivariance.png", "each layer's own equivariance error");
        doc.FigureFile("equivariance-shares.png", "each layer's share of the output's equivariance error");
        if (equivariance.Response is { } response)
        {
            doc.Paragraph($"Test accuracy against the input's rotation and cyclic shift ({response.Samples} test inputs; `response.csv`):");
            doc.FigureFile("rotation-response.png", "accuracy and output change against rotation angle");
            doc.FigureFile("shift-response.png", "accuracy and output change against shift");
        }
    }

    private static void Laplace(ReportDocument doc, Training.Laplace.LaplaceResult laplace, ReportFormat format, ExperimentResult result)
    {
        doc.Heading(2, "Priors and pathways (ELLA)");
        doc.Paragraph((laplace.Learned
            ? $"Prior precisions learned per tensor by the KFAC Laplace marginal likelihood ({laplace.Fisher} Fisher). "
            : "MAP: prior precisions fixed; the marginal likelihood and γ are evaluated at the trained weights for comparison. ") +
            $"−log marginal likelihood per training sample at the end: {format.Number(laplace.Final)}.");
        doc.FigureFile("shares.png", "pathway shares per layer");
        bool group = laplace.HasGroupConv;
        var shares = new List<IReadOnlyList<string>>();
        foreach (var layer in laplace.Layers)
        {
            var row = new List<string> { (layer.Layer + 1).ToString(CultureInfo.InvariantCulture), format.Number(layer.FcShare), format.Number(layer.ConvShare) };
            if (group) row.Add(format.Number(layer.GroupConvShare));
            row.Add(format.Number(layer.EffectiveParameters));
            shares.Add(row);
        }
        shares.Add(group
            ? ["mean", format.Number(laplace.MeanFcShare), format.Number(laplace.MeanConvShare), format.Number(laplace.MeanGroupConvShare), ""]
            : ["mean", format.Number(laplace.MeanFcShare), format.Number(laplace.MeanConvShare), ""]);
        doc.Table(group ? ["layer", "FC share", "CONV share", "G-CONV share", "γ (effective parameters)"] : ["layer", "FC share", "CONV share", "γ (effective parameters)"], shares);
        doc.Paragraph("Each pathway over the whole network; γ / parameters is how much of it is in use, whatever its size (a layer's share weighs it against the layer's other pathways):");
        doc.Table(["pathway", "parameters", "γ", "γ / parameters"], laplace.PathwayUses().Select(use => (IReadOnlyList<string>)
            [use.Pathway.ToString(), use.Parameters.ToString(CultureInfo.InvariantCulture), format.Number(use.EffectiveParameters), format.Number(use.Fraction)]));
        if (laplace.History.Count > 0)
        {
            var epochs = laplace.History.Select(s => (double)s.Epoch).ToList();
            doc.Chart(new ReportChart("marglik", "Marginal likelihood over training", "epoch", "per training sample", LogY: false,
            [
                new ReportSeries("−log ML / N", epochs, laplace.History.Select(s => s.NegativeLogMarginalLikelihood).ToList()),
                new ReportSeries("training NLL / N", epochs, laplace.History.Select(s => s.NegativeLogLikelihood).ToList()),
            ], ReplacesFigure: "marglik.png"));
            doc.FigureFile("marglik.png", "marginal likelihood over training");
            doc.Table(format.IncludeMachineFacts ? ["epoch", "−log ML / N before", "after", "training NLL / N", "seconds"] : ["epoch", "−log ML / N before", "after", "training NLL / N"],
                laplace.History.Select(step => (IReadOnlyList<string>)(format.IncludeMachineFacts
                    ? [step.Epoch.ToString(CultureInfo.InvariantCulture), format.Number(step.Before), format.Number(step.NegativeLogMarginalLikelihood), format.Number(step.NegativeLogLikelihood), format.Number(step.Seconds)]
                    : [step.Epoch.ToString(CultureInfo.InvariantCulture), format.Number(step.Before), format.Number(step.NegativeLogMarginalLikelihood), format.Number(step.NegativeLogLikelihood)])));
        }
        doc.Table(["tensor", "parameters", "δ", "γ", "‖θ‖²"], laplace.Tensors.Select(t => (IReadOnlyList<string>)
            [t.Name, t.Parameters.ToString(CultureInfo.InvariantCulture), format.Number(t.Precision), format.Number(t.EffectiveParameters), format.Number(t.SquaredNorm)]));
        if (laplace.Nested is { Count: > 0 } nested)
        {
            doc.Paragraph("Nested evidence: the strict sub-networks this network contains, each trained and evaluated the same way (same data, seed, schedule and prior learning).");
            var rows = new List<IReadOnlyList<string>>();
            rows.Add(["learned (all pathways)", result.Parameters.ToString(CultureInfo.InvariantCulture), format.Number(laplace.Final), format.Number(result.TestMetric), format.Number(result.TestNegativeLogLikelihood)]);
            rows.AddRange(nested.Select(n => (IReadOnlyList<string>)[n.Name, n.Parameters.ToString(CultureInfo.InvariantCulture), format.Number(n.NegativeLogMarginalLikelihood),
                format.Number(n.TestAccuracy), format.Number(n.TestNegativeLogLikelihood)]));
            doc.Table(["network", "parameters", "−log ML / N", "test accuracy", "test NLL"], rows);
            doc.Paragraph(laplace.BetterNested is { } better
                ? $"**The learned network does not have the best evidence:** {better.Name} alone has −log ML / N {format.Number(better.NegativeLogMarginalLikelihood)} against {format.Number(laplace.Final)}; the prior search missed it."
                : $"The learned network has the best evidence among them ({format.Number(laplace.Final)}).");
        }
        if (laplace.Check is { } check)
        {
            doc.Paragraph($"KFAC against the exact GGN at these weights and priors ({check.Parameters} parameters, {check.Samples} samples, exact Fisher): " +
                "the dense GGN in float64, its per-tensor blocks alone, and KFAC's Kronecker factors of each block.");
            doc.Properties(
            [
                ("logdet(G + δ) exact / block-diagonal / KFAC", $"{format.Number(check.ExactLogDeterminant)} / {format.Number(check.BlockDiagonalLogDeterminant)} / {format.Number(check.KfacLogDeterminant)}"),
                ("−log ML / N exact / KFAC", $"{format.Number(check.ExactObjective)} / {format.Number(check.KfacObjective)}"),
                ("KFAC's gap in −log ML / N", format.Number(check.Gap)),
            ]);
        }
        else if (laplace.CheckSkipped is { } skipped)
        {
            doc.Paragraph($"KFAC was not checked against the exact GGN: {skipped}.");
        }
        doc.Paragraph($"Per-tensor figures: `priors.csv`, `shares.csv`{(laplace.History.Count > 0 ? ", `marglik.csv`" : "")}.");
    }

    private static string UnitsSuffix(Dsl.RegressionUnits? units) => units switch
    {
        Dsl.RegressionUnits.Task => " (task units)",
        Dsl.RegressionUnits.Standardized => " (standardised units)",
        _ => "",
    };

    private static string AnalysedInputs(Experiments.SplitName split) => split switch
    {
        Experiments.SplitName.All => "train, validation and test inputs",
        Experiments.SplitName.Validation => "validation inputs",
        Experiments.SplitName.Test => "test inputs",
        _ => "training inputs",
    };

    internal static string Interval(ConfidenceInterval? interval, ReportFormat format)
        => interval is null ? "" : $" ({format.Number(interval.Level * 100)}% {MethodName(interval.Method)} CI {format.Number(interval.Lower)} … {format.Number(interval.Upper)})";

    private static string MethodName(BootstrapIntervalMethod method) => method switch
    {
        BootstrapIntervalMethod.Basic => "basic bootstrap",
        BootstrapIntervalMethod.BiasCorrectedAccelerated => "BCa",
        _ => "percentile",
    };
}
