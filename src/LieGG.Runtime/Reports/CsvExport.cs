using System.Globalization;
using System.Text;
using LieGG.Runtime.Results;

namespace LieGG.Runtime.Reports;

/// <summary>The run's tables as CSV (invariant culture, round-trip precision).</summary>
public static class CsvExport
{
    public static IReadOnlyDictionary<string, string> Tables(RunRecord record)
    {
        var result = record.Result;
        var symmetry = result.Symmetry;
        var tables = new Dictionary<string, string>();

        var spectrum = new StringBuilder("index,lambda,sigma,bias\n");
        for (int i = 0; i < symmetry.Spectrum.Length; i++)
            spectrum.Append(i + 1).Append(',').Append(N(symmetry.Spectrum[i])).Append(',').Append(N(symmetry.SingularValues[i])).Append(',').Append(symmetry.Bias is { } b ? N(b[i]) : "").Append('\n');
        tables["spectrum.csv"] = spectrum.ToString();

        int rows = symmetry.Generators[0].Length, columns = symmetry.Generators[0][0].Length;
        var generators = new StringBuilder("index");
        for (int r = 0; r < rows; r++) for (int c = 0; c < columns; c++) generators.Append(",h").Append(r).Append('_').Append(c);
        generators.Append('\n');
        for (int i = 0; i < symmetry.Generators.Length; i++)
            generators.Append(i + 1).Append(',').Append(string.Join(",", symmetry.Generators[i].SelectMany(row => row).Select(N))).Append('\n');
        tables["generators.csv"] = generators.ToString();

        var training = new StringBuilder($"epoch,train_loss,validation_{result.Training.ValidationMetricName},seconds\n");
        foreach (var epoch in result.Training.History)
            training.Append(epoch.Epoch).Append(',').Append(N(epoch.TrainLoss)).Append(',').Append(N(epoch.ValidationMetric)).Append(',').Append(N(epoch.Seconds)).Append('\n');
        tables["training.csv"] = training.ToString();

        if (result.Laplace is { } laplace)
        {
            var priors = new StringBuilder("tensor,layer,pathway,is_bias,parameters,precision,effective_parameters,squared_norm\n");
            foreach (var t in laplace.Tensors)
                priors.Append('"').Append(t.Name).Append("\",").Append(t.Layer + 1).Append(',').Append(t.Pathway).Append(',').Append(t.IsBias ? "true" : "false").Append(',')
                      .Append(t.Parameters.ToString(CultureInfo.InvariantCulture)).Append(',').Append(N(t.Precision)).Append(',').Append(N(t.EffectiveParameters)).Append(',').Append(N(t.SquaredNorm)).Append('\n');
            tables["priors.csv"] = priors.ToString();
            var shares = new StringBuilder("layer,fc_share,conv_share,effective_parameters,group_conv_share\n");
            foreach (var l in laplace.Layers)
                shares.Append(l.Layer + 1).Append(',').Append(N(l.FcShare)).Append(',').Append(N(l.ConvShare)).Append(',').Append(N(l.EffectiveParameters)).Append(',').Append(N(l.GroupConvShare)).Append('\n');
            tables["shares.csv"] = shares.ToString();
            var history = new StringBuilder("epoch,neg_log_marglik_before,neg_log_marglik,train_nll,seconds\n");
            foreach (var h in laplace.History)
                history.Append(h.Epoch).Append(',').Append(N(h.Before)).Append(',').Append(N(h.NegativeLogMarginalLikelihood)).Append(',').Append(N(h.NegativeLogLikelihood)).Append(',').Append(N(h.Seconds)).Append('\n');
            tables["marglik.csv"] = history.ToString();
        }

        if (result.Layers is { Count: > 0 } layers)
        {
            var csv = new StringBuilder("layer,variance,relative_variance,min_bias,gap_ratio,closure_residual\n");
            foreach (var layer in layers)
                csv.Append(layer.Layer + 1).Append(',').Append(N(layer.Symmetry.Variance)).Append(',').Append(N(layer.Symmetry.RelativeVariance)).Append(',')
                   .Append(layer.Symmetry.MinBias is { } m ? N(m) : "").Append(',').Append(N(layer.Symmetry.GapRatio)).Append(',').Append(N(layer.Symmetry.ClosureResidual)).Append('\n');
            tables["layers.csv"] = csv.ToString();
        }
        if (result.Equivariance is { } equivariance)
        {
            var csv = new StringBuilder("probe,kind,layer,pathway,space,own,own_relative,share\n");
            void Rows(string probe, string kind, double endToEnd, IReadOnlyList<Symmetry.Equivariance.LayerEquivariance> rows)
            {
                csv.Append('"').Append(probe).Append("\",").Append(kind).Append(",network,,,,").Append(N(endToEnd)).Append(",1\n");
                foreach (var layer in rows)
                {
                    csv.Append('"').Append(probe).Append("\",").Append(kind).Append(",\"").Append(layer.Name).Append("\",,\"").Append(layer.Space).Append("\",").Append(N(layer.Own)).Append(',')
                       .Append(N(layer.OwnRelative)).Append(',').Append(layer.Share is { } share ? N(share) : "").Append('\n');
                    foreach (var part in layer.Parts)
                        csv.Append('"').Append(probe).Append("\",").Append(kind).Append(",\"").Append(layer.Name).Append("\",\"").Append(part.Name).Append("\",\"").Append(part.Space).Append("\",").Append(N(part.Own)).Append(',')
                           .Append(N(part.OwnRelative)).Append(",\n");
                }
            }
            foreach (var element in equivariance.Elements) Rows(element.Element, "element", element.EndToEndRelative, element.Layers);
            foreach (var generator in equivariance.Generators) Rows(generator.Probe, "generator", generator.EndToEndRelative, generator.Layers);
            tables["equivariance.csv"] = csv.ToString();
            if (equivariance.Response is { } response)
            {
                var points = new StringBuilder("transformation,amount,accuracy,output_change\n");
                foreach (var (kind, list) in new[] { ("rotation_degrees", response.Rotations), ("shift_pixels", response.Shifts) })
                    foreach (var point in list)
                        points.Append(kind).Append(',').Append(N(point.Amount)).Append(',').Append(N(point.Accuracy)).Append(',').Append(N(point.OutputChange)).Append('\n');
                tables["response.csv"] = points.ToString();
            }
        }
        return tables;
    }

    private static string N(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
