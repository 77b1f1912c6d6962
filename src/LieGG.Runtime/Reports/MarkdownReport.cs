using System.Text;
using LieGG.Runtime.Results;
using LieGG.Runtime.Symmetry;

namespace LieGG.Runtime.Reports;

/// <summary>
/// Renders a run as Markdown. Deterministic for a given record and format; <see cref="ReportFormat.Snapshot"/>
/// drops timings, dates and machine facts and rounds numbers so users can snapshot-test their own reports.
/// </summary>
public static class MarkdownReport
{
    /// <summary>Generators shown as matrices in the report (all are in result.json and generators.csv).</summary>
    public const int GeneratorsShown = 4;

    public static string Render(RunRecord record, ReportFormat? format = null, IReadOnlyCollection<string>? images = null)
    {
        format ??= ReportFormat.Full;
        images ??= [];
        var result = record.Result;
        var symmetry = result.Symmetry;
        var md = new StringBuilder();
        md.Append("# ").Append(result.Experiment).Append('\n').Append('\n');
        if (result.AnalysisOf is { } analysed)
            md.Append("**Analysis** of the trained network in `").Append(format.IncludeMachineFacts ? analysed : Path.GetFileName(analysed)).Append("` (nothing was trained by this run).\n\n");
        if (format.IncludeMachineFacts)
            md.Append("Run `").Append(record.RunId).Append("`, started ").Append(record.Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)).Append(" UTC.");
        if (result.Quick) md.Append(format.IncludeMachineFacts ? " " : "").Append("**Quick run** (smoke size, not a result: ").Append(Experiments.QuickRun.Description).Append(").");
        if (format.IncludeMachineFacts || result.Quick) md.Append("\n\n");
        if (record.TookOver is { } reason && format.IncludeMachineFacts)
            md.Append("This trial was taken over from an earlier attempt that stopped unfinished: ").Append(reason).Append(".\n\n");

        md.Append("## Summary\n\n| | |\n|---|---|\n");
        if (result.TestMetricName != "none")
            Row(md, result.TestMetricName == "accuracy" ? "test accuracy" : "test MSE", format.Number(result.TestMetric));
        if (result.TestNegativeLogLikelihood is { } testNll)
            Row(md, "test NLL (mean −log p of the label)", format.Number(testNll));
        Row(md, "symmetry variance λ_min", symmetry.Degenerate ? SymmetryResult.DegenerateVerdict : format.Number(symmetry.Variance) + Interval(symmetry.VarianceInterval, format));
        if (symmetry.Bias is not null)
            Row(md, $"min symmetry bias vs {symmetry.Algebra}", format.Number(symmetry.MinBias) + Interval(symmetry.MinBiasInterval, format));
        Row(md, "relative variance λ_min/λ_max", format.Number(symmetry.RelativeVariance));
        Row(md, $"spectral gap λ{symmetry.SubspaceDimension + 1}/λ{symmetry.SubspaceDimension}", format.Number(symmetry.GapRatio));
        Row(md, "numerical rank (tolerance on σ)", $"{symmetry.NumericalRank} of {symmetry.Spectrum.Length} ({format.Number(symmetry.RankTolerance)})");
        Row(md, $"closure residual of span{{H1..H{symmetry.SubspaceDimension}}}", format.Number(symmetry.ClosureResidual));
        if (symmetry.PrincipalAngles is { } angles)
            Row(md, $"principal angles to {symmetry.Algebra} (rad)", string.Join(", ", angles.Select(format.Number)));
        Row(md, "parameters", result.Parameters.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Row(md, "data (train / validation / test)", $"{result.Data.Train} / {result.Data.Validation} / {result.Data.Test}");
        Row(md, "polarization rows", symmetry.Rows.ToString(System.Globalization.CultureInfo.InvariantCulture));
        md.Append('\n');

        md.Append("## Settings\n\n| | |\n|---|---|\n");
        Row(md, "dataset", record.Settings.Dataset);
        Row(md, "architecture", record.Settings.Architecture);
        Row(md, "training", record.Settings.Training);
        Row(md, "prior", record.Settings.Prior);
        Row(md, "ground truth", record.Settings.GroundTruth ?? "none");
        Row(md, "analysis", record.Settings.Analysis);
        if (result.Outputs is { } outputs)
        {
            Row(md, "trained", outputs.Trained);
            Row(md, "analysed", outputs.Analysed);
        }
        md.Append('\n');

        if (result.DataSource is { } data)
        {
            md.Append("## Data\n\n| | |\n|---|---|\n");
            Row(md, "source", data.Source);
            Row(md, "files", string.Join("<br>", data.Files.Select(f => format.IncludeMachineFacts ? f : Path.GetFileName(f))));
            Row(md, $"train ({data.Train.Count})", data.Train.Origin);
            Row(md, $"validation ({data.Validation.Count})", data.Validation.Origin);
            Row(md, $"test ({data.Test.Count})", data.Test.Origin);
            Row(md, "rotation", data.Rotation);
            Row(md, "blur", data.Blur);
            Row(md, "normalisation", data.Normalization);
            md.Append('\n');
        }

        md.Append("## Spectrum\n\n");
        if (images.Count > 0) md.Append("Every figure is also saved as SVG (vector, same name) for papers.\n\n");
        Image(md, images, "spectrum.png", "spectrum");
        Image(md, images, "bias.png", "bias per generator");
        md.Append("| i | λ = σ²/N | σ |").Append(symmetry.Bias is null ? "" : " bias |").Append('\n');
        md.Append("|---|---|---|").Append(symmetry.Bias is null ? "" : "---|").Append('\n');
        for (int i = 0; i < symmetry.Spectrum.Length; i++)
        {
            md.Append("| ").Append(i + 1).Append(" | ").Append(format.Number(symmetry.Spectrum[i])).Append(" | ").Append(format.Number(symmetry.SingularValues[i])).Append(" |");
            if (symmetry.Bias is { } bias) md.Append(' ').Append(format.Number(bias[i])).Append(" |");
            md.Append('\n');
        }
        md.Append('\n');

        md.Append("## Generators\n\nRight singular vectors of the polarization matrix, smallest variance first, unit Frobenius norm.\n\n");
        Image(md, images, "generators.png", "generators");
        Image(md, images, "flow.png", "an input moved along the smallest-variance generator");
        for (int i = 0; i < Math.Min(GeneratorsShown, symmetry.Generators.Length); i++)
        {
            md.Append("H").Append(i + 1).Append(" (λ = ").Append(format.Number(symmetry.Spectrum[i]));
            if (symmetry.Bias is { } bias) md.Append(", bias ").Append(format.Number(bias[i]));
            md.Append(")\n\n```\n");
            foreach (var row in symmetry.Generators[i]) md.Append(string.Join("  ", row.Select(v => format.Number(v).PadLeft(format.SignificantDigits + 6)))).Append('\n');
            md.Append("```\n\n");
        }

        if (result.Layers is { Count: > 0 } layers)
        {
            md.Append("## Layers\n\n| layer | variance | relative variance | min bias | gap |\n|---|---|---|---|---|\n");
            foreach (var layer in layers)
                md.Append("| ").Append(layer.Layer + 1).Append(" | ").Append(format.Number(layer.Symmetry.Variance)).Append(" | ").Append(format.Number(layer.Symmetry.RelativeVariance))
                  .Append(" | ").Append(format.Number(layer.Symmetry.MinBias)).Append(" | ").Append(format.Number(layer.Symmetry.GapRatio)).Append(" |\n");
            md.Append('\n');
        }

        if (result.Equivariance is { } equivariance) Equivariance(md, equivariance, format, images);

        if (result.Joint is { } joint) Pairs(md, joint, format, images);

        if (result.Laplace is { } laplace) Laplace(md, laplace, format, images);

        md.Append("## Training\n\n");
        if (result.AnalysisOf is { } source)
        {
            md.Append("Not trained here: this is an analysis of the network in `").Append(format.IncludeMachineFacts ? source : Path.GetFileName(source)).Append("`.\n\n");
        }
        else
        {
            Image(md, images, "training.png", "training curves");
            md.Append($"Best epoch {result.Training.BestEpoch} of {result.Epochs} (validation {result.Training.ValidationMetricName} {format.Number(result.Training.BestValidationMetric)}).");
            md.Append(result.Training.StoppedEarly ? " Stopped early." : "").Append(" Per-epoch figures: `training.csv`.");
            if (result.ModelFile is { } model) md.Append(" Trained weights: `").Append(model).Append("` (safetensors).");
            md.Append("\n\n");
        }

        if (format.IncludeMachineFacts)
        {
            md.Append("## Timings and versions\n\n| | |\n|---|---|\n");
            Row(md, "data / training / analysis / total (s)", $"{format.Number(result.Timings.DataSeconds)} / {format.Number(result.Timings.TrainingSeconds)} / {format.Number(result.Timings.AnalysisSeconds)} / {format.Number(result.Timings.TotalSeconds)}");
            if (result.Threads > 0) Row(md, "CPU threads", result.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Row(md, "LieGG / TorchSharp / .NET", $"{record.Versions.LieGG} / {record.Versions.TorchSharp} / {record.Versions.Dotnet}");
            Row(md, "OS", record.Versions.Os);
            md.Append('\n');
        }
        return md.ToString();
    }

    /// <summary>Printed wherever different networks' LieGG metrics stand side by side.</summary>
    public const string AcrossNetworksNote =
        "Symmetry variance is in each network's own output scale (it grows with how sharply the normalised outputs respond to the input), " +
        "so between different networks compare relative variance and bias; variance compares replicates of one network.";

    /// <summary>Side-by-side summary of several runs (e.g. MLP vs CNN, or two seeds).</summary>
    /// <summary>
    /// Several runs side by side, one row each (as BenchmarkDotNet prints them): the run, the settings in which the runs
    /// differ (from their structured settings; the settings text for schema-1 files), then the metrics. Quick runs are marked.
    /// </summary>
    public static string Compare(IReadOnlyList<RunRecord> records, ReportFormat? format = null)
    {
        format ??= ReportFormat.Full;
        var settings = records.Select(SettingsOf).ToList();
        var differing = settings.SelectMany(s => s.Keys).Distinct()
            .Where(key => settings.Select(s => s.GetValueOrDefault(key, "")).Distinct().Count() > 1)
            .Order(StringComparer.Ordinal).ToList();
        var md = new StringBuilder("# Comparison\n\n");
        md.Append(differing.Count == 0 ? "The runs share every setting.\n\n" : $"Settings shown are those in which the runs differ ({differing.Count}).\n\n");
        string[] metrics = ["test metric", "variance", "relative variance", "min bias", "gap", "parameters", "epochs"];
        md.Append("| run | ").Append(string.Join(" | ", differing.Concat(metrics))).Append(" |\n|");
        md.Append(string.Concat(Enumerable.Repeat("---|", 1 + differing.Count + metrics.Length))).Append('\n');
        for (int i = 0; i < records.Count; i++)
        {
            var r = records[i].Result;
            var symmetry = r.Symmetry;
            var cells = new List<string> { $"{r.Experiment} (seed {r.Seed}){(r.Quick ? ", quick" : "")}" };
            cells.AddRange(differing.Select(key => settings[i].GetValueOrDefault(key, "–")));
            cells.Add($"{r.TestMetricName} {format.Number(r.TestMetric)}");
            cells.Add(symmetry.Degenerate ? "degenerate" : format.Number(symmetry.Variance));
            cells.Add(format.Number(symmetry.RelativeVariance));
            cells.Add(symmetry.MinBias is { } bias ? $"{format.Number(bias)} ({symmetry.Algebra})" : "–");
            cells.Add(format.Number(symmetry.GapRatio));
            cells.Add(r.Parameters.ToString(System.Globalization.CultureInfo.InvariantCulture));
            cells.Add(r.Epochs.ToString(System.Globalization.CultureInfo.InvariantCulture));
            md.Append("| ").Append(string.Join(" | ", cells.Select(c => c.Replace("|", "\\|")))).Append(" |\n");
        }
        if (records.Any(r => r.Result.Quick)) md.Append("\nQuick runs are smoke-size: not results.\n");
        if (records.Select(r => r.Settings.Architecture).Distinct().Count() > 1) md.Append('\n').Append(AcrossNetworksNote).Append('\n');
        return md.ToString();
    }

    /// <summary>A run's settings by name: the structured ones flattened (the effective values aside), or the schema-1 text.</summary>
    private static Dictionary<string, string> SettingsOf(RunRecord record)
    {
        if (record.Setup is { } setup)
            return RunSetup.Flatten(setup).Where(p => !p.Key.StartsWith("effective.", StringComparison.Ordinal) || p.Key == "effective.TrainCount")
                .ToDictionary(p => p.Key, p => p.Value switch
                {
                    null => "–",
                    System.Text.Json.Nodes.JsonValue v when v.TryGetValue<string>(out var text) => text,
                    var node => node.ToJsonString(),
                });
        return new Dictionary<string, string>
        {
            ["dataset"] = record.Settings.Dataset,
            ["architecture"] = record.Settings.Architecture,
            ["training"] = record.Settings.Training,
            ["prior"] = record.Settings.Prior,
            ["ground truth"] = record.Settings.GroundTruth ?? "–",
            ["analysis"] = record.Settings.Analysis,
        };
    }

    /// <summary>Pairs shown as matrices in the report (all are in result.json).</summary>
    public const int PairsShown = 4;

    private static void Pairs(StringBuilder md, Symmetry.Joint.JointSymmetryResult joint, ReportFormat format, IReadOnlyCollection<string> images)
    {
        md.Append("## Pairs (A on the input, B on the output)\n\n");
        md.Append("The joint system J_F(x)·(A·x) = B·F(x), one row per sample and output component; the output is ").Append(joint.Output).Append(". ");
        md.Append(joint.Scaling == Symmetry.Joint.JointScaling.Balanced
            ? $"The A and B blocks are weighted by their columns' root mean square ({format.Number(joint.InputScale)} and {format.Number(joint.OutputScale)}), so λ is unit-free; each pair is mapped back and has ‖A‖² + ‖B‖² = 1."
            : "Unscaled: λ is the mean squared residual per row, in the output's units squared.");
        md.Append("\n\n| | |\n|---|---|\n");
        Row(md, "pair variance λ_min", joint.Degenerate ? "degenerate: the system has rank 0" : format.Number(joint.Variance) + Interval(joint.VarianceInterval, format));
        if (joint.Bias is not null)
            Row(md, $"min pair bias vs {joint.Algebra}", format.Number(joint.MinBias) + Interval(joint.MinBiasInterval, format));
        Row(md, "relative variance λ_min/λ_max", format.Number(joint.RelativeVariance));
        Row(md, $"spectral gap λ{joint.SubspaceDimension + 1}/λ{joint.SubspaceDimension}", format.Number(joint.GapRatio));
        Row(md, "numerical rank (tolerance on σ)", $"{joint.NumericalRank} of {joint.Spectrum.Length} ({format.Number(joint.RankTolerance)})");
        Row(md, $"closure residual of the first {joint.SubspaceDimension} pairs", format.Number(joint.ClosureResidual));
        if (joint.PrincipalAngles is { } angles)
            Row(md, $"principal angles to {joint.Algebra} (rad)", string.Join(", ", angles.Select(format.Number)));
        Row(md, "rows", joint.Rows.ToString(System.Globalization.CultureInfo.InvariantCulture));
        md.Append('\n');
        Image(md, images, "pairs.png", "the smallest-variance pairs, A above B");
        int shown = Math.Min(joint.Spectrum.Length, Math.Max(joint.SubspaceDimension + 2, 6));
        md.Append("| i | λ |").Append(joint.Bias is null ? "" : " bias |").Append(" ‖B‖ |\n|---|---|").Append(joint.Bias is null ? "" : "---|").Append("---|\n");
        for (int i = 0; i < shown; i++)
        {
            md.Append("| ").Append(i + 1).Append(" | ").Append(format.Number(joint.Spectrum[i])).Append(" |");
            if (joint.Bias is { } bias) md.Append(' ').Append(format.Number(bias[i])).Append(" |");
            md.Append(' ').Append(format.Number(Math.Sqrt(joint.Pairs[i].B.Sum(row => row.Sum(v => v * v))))).Append(" |\n");
        }
        if (shown < joint.Spectrum.Length) md.Append("| … | ").Append(joint.Spectrum.Length - shown).Append(" more in result.json |").Append(joint.Bias is null ? "" : " |").Append(" |\n");
        md.Append('\n');
        for (int i = 0; i < Math.Min(PairsShown, joint.Pairs.Length); i++)
        {
            md.Append("Pair ").Append(i + 1).Append(" (λ = ").Append(format.Number(joint.Spectrum[i]));
            if (joint.Bias is { } bias) md.Append(", bias ").Append(format.Number(bias[i]));
            md.Append(")\n\n```\n");
            var (a, b) = (joint.Pairs[i].A, joint.Pairs[i].B);
            int width = format.SignificantDigits + 6;
            for (int r = 0; r < Math.Max(a.Length, b.Length); r++)
            {
                md.Append(r == 0 ? "A: " : "   ").Append(r < a.Length ? string.Join("  ", a[r].Select(v => format.Number(v).PadLeft(width))) : "");
                if (b.Length > 0) md.Append(r == 0 ? "    B: " : "       ").Append(r < b.Length ? string.Join("  ", b[r].Select(v => format.Number(v).PadLeft(width))) : "");
                md.Append('\n');
            }
            md.Append("```\n\n");
        }
    }

    private static void Equivariance(StringBuilder md, Symmetry.Equivariance.EquivarianceResult equivariance, ReportFormat format, IReadOnlyCollection<string> images)
    {
        md.Append("## Equivariance by layer\n\n");
        md.Append($"{equivariance.Samples} analysed inputs. *own* is a layer's own relative error — ‖f(ρx) − ρf(x)‖² / ‖f(x)‖² for an element, ")
          .Append("‖J𝓛x − 𝓛f(x)‖² over ‖J𝓛x‖² + ‖𝓛f(x)‖² along a generator: 0 = equivariant; *share* is its part of the output's error ")
          .Append("(the shares sum to 1; pathways have none). A layer counts as exact at ≤ ").Append(format.Number(equivariance.Tolerance)).Append(" (round-off × depth).\n\n");
        foreach (var exact in equivariance.Exact)
        {
            var element = equivariance.Elements.First(e => e.Element == exact);
            double worst = element.Layers.Max(l => l.OwnRelative);
            var violations = element.Layers.Where(l => l.OwnRelative > equivariance.Tolerance).Select(l => l.Name).ToList();
            md.Append("Declared exact: ").Append(exact).Append(" — measured at most ").Append(format.Number(worst))
              .Append(violations.Count == 0 ? $" ≤ {format.Number(equivariance.Tolerance)}: holds in every layer.\n\n" : $": **broken by {string.Join(", ", violations)}**.\n\n");
        }
        // Shares of an error at round-off are round-off too: shown only where the network's error exceeds the tolerance.
        var probes = equivariance.Elements.Select(e => (e.Element, e.EndToEndRelative, e.Layers, Shares: e.EndToEndRelative > equivariance.Tolerance))
            .Concat(equivariance.Generators.Select(g => (g.Probe, g.EndToEndRelative, g.Layers, Shares: true))).ToList();
        if (probes.Count == 0) return;
        md.Append("| layer | space |");
        foreach (var probe in probes) md.Append(' ').Append(probe.Item1).Append(" own | ").Append(probe.Item1).Append(" share |");
        md.Append("\n|---|---|").Append(string.Concat(Enumerable.Repeat("---|---|", probes.Count))).Append('\n');
        md.Append("| network | |");
        foreach (var probe in probes) md.Append(' ').Append(format.Number(probe.EndToEndRelative)).Append(probe.Shares ? " | 1 |" : " | – |");
        md.Append('\n');
        var layers = probes[0].Layers;
        for (int l = 0; l < layers.Count; l++)
        {
            md.Append("| ").Append(layers[l].Name).Append(" | ").Append(layers[l].Space).Append(" |");
            foreach (var probe in probes)
                md.Append(' ').Append(format.Number(probe.Layers[l].OwnRelative)).Append(" | ").Append(probe.Shares && probe.Layers[l].Share is { } share ? format.Number(share) : "–").Append(" |");
            md.Append('\n');
            for (int p = 0; p < layers[l].Parts.Count; p++)
            {
                md.Append("| ").Append(layers[l].Name).Append(" · ").Append(layers[l].Parts[p].Name).Append(" | |");
                foreach (var probe in probes) md.Append(' ').Append(format.Number(probe.Layers[l].Parts[p].OwnRelative)).Append(" | |");
                md.Append('\n');
            }
        }
        if (equivariance.Generators.Count > 0)
        {
            md.Append("\nAlong a generator h, the analysed (summed, transformed) output's mean squared residual — LieGG's vec(h)ᵀ(EᵀE/N)vec(h) in centred coordinates for an invariant output, whose relative error is 1 whenever it is not 0: ")
              .Append(string.Join(", ", equivariance.Generators.Select(g => $"{g.Probe} {format.Number(g.Analysed)}"))).Append('.');
        }
        md.Append("\nPer layer and probe: `equivariance.csv`.");
        var h1 = equivariance.Generators.FirstOrDefault(g => g.Probe == "LieGG H1");
        if (h1 is not null) md.Append(" LieGG H1 (affine, centred coordinates): (").Append(string.Join(", ", h1.Generator.Select(format.Number))).Append(").");
        md.Append("\n\n");
        Image(md, images, "equivariance.png", "each layer's own equivariance error");
        Image(md, images, "equivariance-shares.png", "each layer's share of the output's equivariance error");
        if (equivariance.Response is { } response)
        {
            md.Append("Test accuracy against the input's rotation and cyclic shift (").Append(response.Samples).Append(" test inputs; `response.csv`):\n\n");
            Image(md, images, "rotation-response.png", "accuracy and output change against rotation angle");
            Image(md, images, "shift-response.png", "accuracy and output change against shift");
        }
    }

    private static void Laplace(StringBuilder md, Training.Laplace.LaplaceResult laplace, ReportFormat format, IReadOnlyCollection<string> images)
    {
        md.Append("## Priors and pathways (ELLA)\n\n");
        md.Append(laplace.Learned
            ? $"Prior precisions learned per tensor by the KFAC Laplace marginal likelihood ({laplace.Fisher} Fisher). "
            : "MAP: prior precisions fixed; the marginal likelihood and γ are evaluated at the trained weights for comparison. ");
        md.Append("−log marginal likelihood per training sample at the end: ").Append(format.Number(laplace.Final)).Append(".\n\n");
        Image(md, images, "shares.png", "pathway shares per layer");
        bool group = laplace.HasGroupConv;
        md.Append("| layer | FC share | CONV share |").Append(group ? " G-CONV share |" : "").Append(" γ (effective parameters) |\n|---|---|---|").Append(group ? "---|" : "").Append("---|\n");
        foreach (var layer in laplace.Layers)
        {
            md.Append("| ").Append(layer.Layer + 1).Append(" | ").Append(format.Number(layer.FcShare)).Append(" | ").Append(format.Number(layer.ConvShare)).Append(" | ");
            if (group) md.Append(format.Number(layer.GroupConvShare)).Append(" | ");
            md.Append(format.Number(layer.EffectiveParameters)).Append(" |\n");
        }
        md.Append("| mean | ").Append(format.Number(laplace.MeanFcShare)).Append(" | ").Append(format.Number(laplace.MeanConvShare)).Append(" |")
          .Append(group ? $" {format.Number(laplace.MeanGroupConvShare)} |" : "").Append(" |\n\n");
        md.Append("Each pathway over the whole network; γ / parameters is how much of it is in use, whatever its size (a layer's share weighs it against the layer's other pathways):\n\n");
        md.Append("| pathway | parameters | γ | γ / parameters |\n|---|---|---|---|\n");
        foreach (var use in laplace.PathwayUses())
            md.Append("| ").Append(use.Pathway).Append(" | ").Append(use.Parameters.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(" | ")
              .Append(format.Number(use.EffectiveParameters)).Append(" | ").Append(format.Number(use.Fraction)).Append(" |\n");
        md.Append('\n');
        if (laplace.History.Count > 0)
        {
            Image(md, images, "marglik.png", "marginal likelihood over training");
            md.Append("| epoch | −log ML / N before | after | training NLL / N |").Append(format.IncludeMachineFacts ? " seconds |" : "").Append("\n|---|---|---|---|").Append(format.IncludeMachineFacts ? "---|" : "").Append('\n');
            foreach (var step in laplace.History)
            {
                md.Append("| ").Append(step.Epoch).Append(" | ").Append(format.Number(step.Before)).Append(" | ").Append(format.Number(step.NegativeLogMarginalLikelihood)).Append(" | ").Append(format.Number(step.NegativeLogLikelihood)).Append(" |");
                if (format.IncludeMachineFacts) md.Append(' ').Append(format.Number(step.Seconds)).Append(" |");
                md.Append('\n');
            }
            md.Append('\n');
        }
        md.Append("| tensor | parameters | δ | γ | ‖θ‖² |\n|---|---|---|---|---|\n");
        foreach (var t in laplace.Tensors)
            md.Append("| ").Append(t.Name).Append(" | ").Append(t.Parameters.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(" | ").Append(format.Number(t.Precision))
              .Append(" | ").Append(format.Number(t.EffectiveParameters)).Append(" | ").Append(format.Number(t.SquaredNorm)).Append(" |\n");
        md.Append("\nPer-tensor figures: `priors.csv`, `shares.csv`").Append(laplace.History.Count > 0 ? ", `marglik.csv`" : "").Append(".\n\n");
    }

    private static void Row(StringBuilder md, string name, string value) => md.Append("| ").Append(name).Append(" | ").Append(value.Replace("|", "\\|")).Append(" |\n");

    private static string Interval(ConfidenceInterval? interval, ReportFormat format)
        => interval is null ? "" : $" ({format.Number(interval.Level * 100)}% CI {format.Number(interval.Lower)} … {format.Number(interval.Upper)})";

    private static void Image(StringBuilder md, IReadOnlyCollection<string> images, string file, string alt)
    {
        if (images.Contains(file)) md.Append("![").Append(alt).Append("](").Append(file).Append(")\n\n");
    }
}
