using LieGG.Runtime.Reports;
using LieGG.Runtime.Results;
using LieGG.Runtime.Symmetry;
using ScottPlot;

namespace LieGG.Runtime.Plots;

/// <summary>
/// The report's figures, each as PNG and SVG (<see cref="Figure"/>): spectrum (log axis), bias per generator, generator heat maps, training
/// curves and, for image priors, an input moved along the smallest-variance generator. Text is drawn with the
/// embedded DejaVu Sans, so figures do not depend on the machine's fonts; rendering is deterministic.
/// </summary>
public static class ReportPlots
{
    private const string FontName = "LieGG DejaVu Sans";
    private const int Width = 640, Height = 400;
    private static readonly Lazy<bool> FontRegistered = new(RegisterFont);

    /// <summary>Movement along the generator, in units of t (a unit-norm rotation turns by t/√2 rad).</summary>
    public static readonly double[] FlowTimes = [-1.5, -1, -0.5, 0, 0.5, 1, 1.5];

    public static IReadOnlyDictionary<string, byte[]> Render(RunRecord record)
    {
        _ = FontRegistered.Value;
        var result = record.Result;
        var symmetry = result.Symmetry;
        var images = new Dictionary<string, byte[]>();
        images.AddFigure("spectrum", Spectrum(symmetry, result.Experiment));
        images.AddFigure("generators", Generators(symmetry));
        if (result.Training.History.Count > 0) images.AddFigure("training", Training(result.Training, result.Experiment));
        if (symmetry.Bias is not null) images.AddFigure("bias", Bias(symmetry));
        if (record.Spec.Prior is SpatialPrior prior && result.Example is { } example) images.AddFigure("flow", Flow(example, symmetry.Generators[0], prior));
        if (result.Laplace is { } laplace)
            foreach (var (name, bytes) in LaplacePlots.Render(laplace, result.Experiment)) images[name] = bytes;
        if (result.Equivariance is { } equivariance)
            foreach (var (name, bytes) in EquivariancePlots.Render(equivariance, result.Experiment)) images[name] = bytes;
        if (result.Joint is { } joint) images.AddFigure("pairs", Pairs(joint));
        return images;
    }

    /// <summary>Registers the embedded font once (idempotent).</summary>
    public static void EnsureFont() => _ = FontRegistered.Value;

    /// <summary>
    /// Ticks for an axis holding log10 values: labels 1e−3, 1e−2, … with log-spaced minor ticks when the values span
    /// two decades or more; over a narrower span decades alone leave the axis nearly unlabelled, so ticks fall where
    /// they are evenly spaced and show the value itself (0.158, 0.251, …).
    /// </summary>
    /// <param name="values">The log10 values on the axis.</param>
    public static ScottPlot.TickGenerators.NumericAutomatic LogTicks(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToList();
        double span = finite.Count == 0 ? 0 : finite.Max() - finite.Min();
        // One format per axis: all in scientific notation when any value needs it, never 6.31E-05 beside 0.00398.
        bool scientific = finite.Count > 0 && (finite.Min() < -3 || finite.Max() >= 4);
        return span >= 2
            ? new() { MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(), IntegerTicksOnly = true, LabelFormatter = y => $"1e{y:0}" }
            : new() { LabelFormatter = y => Plain(Math.Pow(10, y), scientific) };
    }

    private static string Plain(double value, bool scientific) => value.ToString(
        scientific ? "0.##e0" : value >= 1000 ? "0" : "G3", System.Globalization.CultureInfo.InvariantCulture);

    internal static Plot NewPlot(string title)
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        plot.Title(title);
        return plot;
    }

    private static Figure Png(Plot plot, int width = Width, int height = Height) => Figure.Of(plot, width, height);

    private static Figure Spectrum(SymmetryResult symmetry, string experiment)
    {
        var plot = NewPlot($"{experiment}: spectrum of the polarization matrix");
        var xs = Enumerable.Range(1, symmetry.Spectrum.Length).Select(i => (double)i).ToArray();
        double floor = symmetry.Spectrum.Where(l => l > 0).DefaultIfEmpty(1e-300).Min();
        var ys = symmetry.Spectrum.Select(l => Math.Log10(Math.Max(l, floor))).ToArray();
        var series = plot.Add.Scatter(xs, ys);
        series.MarkerSize = 7;
        MarkSubspace(plot, symmetry, $"gap λ{symmetry.SubspaceDimension + 1}/λ{symmetry.SubspaceDimension} = {Number(symmetry.GapRatio)}");
        plot.Axes.Left.TickGenerator = LogTicks(ys);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.XLabel("generator i (ascending λ)");
        plot.YLabel("λ = σ²/N (log scale)");
        return Png(plot);
    }

    /// <summary>A grey line between generator k = dim 𝔤 (or the numerical null dimension) and k + 1, named in the legend.</summary>
    private static void MarkSubspace(Plot plot, SymmetryResult symmetry, string? detail = null)
    {
        int k = symmetry.SubspaceDimension;
        if (k < 1 || k >= symmetry.Spectrum.Length) return;
        var line = plot.Add.VerticalLine(k + 0.5);
        // Solid, not dashed: SVG output cannot draw dash patterns, and both files must show the same figure.
        line.LineWidth = 1.5f;
        line.Color = Colors.Gray;
        line.LegendText = $"k = {(symmetry.Algebra is { } algebra ? $"dim {algebra}" : "null dimension")} = {k}" + (detail is null ? "" : $"; {detail}");
        plot.ShowLegend(Alignment.UpperLeft);
    }

    private static Figure Bias(SymmetryResult symmetry)
    {
        var bias = symmetry.Bias!;
        var plot = NewPlot($"symmetry bias against {symmetry.Algebra}");
        plot.Add.Bars(Enumerable.Range(1, bias.Length).Select(i => (double)i), bias);
        MarkSubspace(plot, symmetry);
        plot.Axes.SetLimitsY(0, 1.15);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.XLabel("generator i (ascending λ)");
        plot.YLabel("bias ‖H − P(H)‖");
        return Png(plot);
    }

    /// <summary>
    /// The smallest-variance generators as matrices side by side: square cells, one panel per generator labelled with
    /// its index, variance λ and bias, and one colour scale symmetric about 0 that spans the largest entry shown.
    /// </summary>
    private static Figure Generators(SymmetryResult symmetry)
    {
        int shown = Math.Min(6, symmetry.Generators.Length);
        int rows = symmetry.Generators[0].Length, columns = symmetry.Generators[0][0].Length;
        var cells = new double[rows, shown * (columns + 1) - 1];
        for (int r = 0; r < rows; r++)
        for (int c = 0; c < cells.GetLength(1); c++)
            cells[r, c] = double.NaN;
        double largest = 0;
        for (int g = 0; g < shown; g++)
        for (int r = 0; r < rows; r++)
        for (int c = 0; c < columns; c++)
        {
            double value = symmetry.Generators[g][r][c];
            cells[r, g * (columns + 1) + c] = value;
            largest = Math.Max(largest, Math.Abs(value));
        }
        // Each panel named under it (index, variance, bias); cells are centred on integer coordinates.
        var centres = Enumerable.Range(0, shown).Select(g => g * (columns + 1) + (columns - 1) / 2.0).ToArray();
        var labels = Enumerable.Range(0, shown)
            .Select(g => $"H{g + 1}\nλ {Number(symmetry.Spectrum[g])}" + (symmetry.Bias is { } bias ? $"\nbias {Number(bias[g])}" : "")).ToArray();
        return MatrixPanels($"generators H1…H{shown}, smallest variance λ first", cells, largest, centres, labels,
            cell: Math.Clamp(240 / Math.Max(rows, columns), 22, 56), left: 20, bottom: symmetry.Bias is null ? 60 : 80);
    }

    /// <summary>
    /// The smallest-variance pairs side by side, each a column with A above B (square cells, one colour scale symmetric
    /// about 0 over every entry shown), labelled with index, λ and bias; invariant outputs show A alone.
    /// </summary>
    private static Figure Pairs(Symmetry.Joint.JointSymmetryResult joint)
    {
        int shown = Math.Min(6, joint.Pairs.Length);
        var first = joint.Pairs[0];
        int rowsA = first.A.Length, rowsB = first.B.Length;
        int columns = Math.Max(first.A[0].Length, rowsB > 0 ? first.B[0].Length : 0);
        int rows = rowsA + (rowsB > 0 ? 1 + rowsB : 0);
        var cells = new double[rows, shown * (columns + 1) - 1];
        for (int r = 0; r < rows; r++)
        for (int c = 0; c < cells.GetLength(1); c++)
            cells[r, c] = double.NaN;
        double largest = 0;
        for (int g = 0; g < shown; g++)
        {
            void Place(double[][] matrix, int top)
            {
                for (int r = 0; r < matrix.Length; r++)
                for (int c = 0; c < matrix[r].Length; c++)
                {
                    cells[top + r, g * (columns + 1) + c] = matrix[r][c];
                    largest = Math.Max(largest, Math.Abs(matrix[r][c]));
                }
            }
            Place(joint.Pairs[g].A, 0);
            if (rowsB > 0) Place(joint.Pairs[g].B, rowsA + 1);
        }
        var centres = Enumerable.Range(0, shown).Select(g => g * (columns + 1) + (columns - 1) / 2.0).ToArray();
        var labels = Enumerable.Range(0, shown)
            .Select(g => $"pair {g + 1}\nλ {Number(joint.Spectrum[g])}" + (joint.Bias is { } bias ? $"\nbias {Number(bias[g])}" : "")).ToArray();
        // Row r of the cells is drawn at y = rows − 1 − r: A's block on top, B's below the blank row.
        var blocks = rowsB > 0 ? new[] { rows - 1 - (rowsA - 1) / 2.0, (rowsB - 1) / 2.0 } : [rows - 1 - (rowsA - 1) / 2.0];
        return MatrixPanels($"pairs 1…{shown}, smallest variance λ first: A (input) above B (output)", cells, largest, centres, labels,
            cell: Math.Clamp(240 / Math.Max(rows, columns), 18, 48), left: 40, bottom: joint.Bias is null ? 60 : 80, rowLabels: (blocks, rowsB > 0 ? ["A", "B"] : ["A"]));
    }

    /// <summary>
    /// Matrices side by side as one heatmap (NaN cells blank): square cells of <paramref name="cell"/> pixels, one colour
    /// scale symmetric about 0 rounded up to two significant digits so the colour bar ends on a labelled value, each panel
    /// named under it, and optional labels for blocks of rows.
    /// </summary>
    private static Figure MatrixPanels(string title, double[,] cells, double largest, double[] centres, string[] labels, int cell, int left, int bottom,
        (double[] Positions, string[] Labels)? rowLabels = null)
    {
        int rows = cells.GetLength(0);
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(largest, 1e-300))) - 1);
        double limit = Math.Ceiling(largest / magnitude) * magnitude;
        var plot = NewPlot(title);
        var heatmap = plot.Add.Heatmap(cells);
        heatmap.Colormap = new ScottPlot.Colormaps.Balance();
        heatmap.ManualRange = new ScottPlot.Range(-limit, limit);
        heatmap.NaNCellColor = Colors.White;
        var colorBar = plot.Add.ColorBar(heatmap);
        colorBar.Label = "entry";
        plot.HideGrid();
        foreach (var axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Top, plot.Axes.Left, plot.Axes.Right })
        {
            axis.FrameLineStyle.Width = 0;
            axis.MajorTickStyle.Length = 0;
            axis.MinorTickStyle.Length = 0;
            axis.TickLabelStyle.IsVisible = false;
        }
        plot.Axes.Bottom.SetTicks(centres, labels);
        plot.Axes.Bottom.TickLabelStyle.IsVisible = true;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        if (rowLabels is var (positions, names))
        {
            plot.Axes.Left.SetTicks(positions, names);
            plot.Axes.Left.TickLabelStyle.IsVisible = true;
            plot.Axes.Left.TickLabelStyle.FontSize = 15;
        }
        // Fixed margins and an image sized to the data; limits half a cell beyond the cell centres leave no margin to stretch the squares.
        int right = 130, top = 50;
        plot.Layout.Fixed(new PixelPadding(left, right, bottom, top));
        plot.Axes.SetLimits(-0.5, cells.GetLength(1) - 0.5, -0.5, rows - 0.5);
        return Png(plot, left + right + cells.GetLength(1) * cell, top + bottom + rows * cell);
    }

    /// <summary>Figures round their labels as the snapshot form of the reports does: three significant digits.</summary>
    private static string Number(double value) => ReportFormat.Snapshot.Number(value);

    /// <summary>Training loss (log scale, left axis) and the validation metric (right axis) per epoch, the legend outside the data.</summary>
    private static Figure Training(Training.TrainingResult training, string experiment)
    {
        var plot = NewPlot($"{experiment}: training");
        var epochs = training.History.Select(h => (double)h.Epoch).ToArray();
        var losses = training.History.Select(h => Math.Log10(Math.Max(h.TrainLoss, 1e-300))).ToArray();
        var loss = plot.Add.Scatter(epochs, losses);
        loss.LegendText = "training loss (left, log scale)";
        loss.MarkerSize = epochs.Length > 60 ? 0 : 4;
        plot.Axes.Left.TickGenerator = LogTicks(losses);
        plot.Axes.Left.Label.Text = "training loss (log scale)";
        if (training.History.Any(h => double.IsFinite(h.ValidationMetric)))
        {
            var validation = plot.Add.Scatter(epochs, training.History.Select(h => h.ValidationMetric).ToArray());
            validation.LegendText = $"validation {training.ValidationMetricName} (right)";
            validation.MarkerSize = epochs.Length > 60 ? 0 : 4;
            validation.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = $"validation {training.ValidationMetricName}";
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.XLabel("epoch");
        plot.ShowLegend(Edge.Bottom);
        return Png(plot, Width, Height + 60);
    }

    private static Figure Flow(ExampleImage example, double[][] generator, SpatialPrior prior)
        => FlowStrip([(example, generator, null)], prior, $"input moved along H1: t = {string.Join(", ", FlowTimes)}");

    /// <summary>
    /// Rows of inputs, each moved along its generator over <see cref="FlowTimes"/> (paper Fig. 3b); the first row on top,
    /// each named by its label on the left when it has one.
    /// Points from outside the frame take the image's background (its minimum), not 0, which normalised images lack.
    /// </summary>
    internal static Figure FlowStrip(IReadOnlyList<(ExampleImage Image, double[][] Generator, string? Label)> rows, SpatialPrior prior, string title)
    {
        int h = rows[0].Image.Height, w = rows[0].Image.Width, frames = FlowTimes.Length;
        var strip = new double[rows.Count * (h + 2) - 2, frames * (w + 2) - 2];
        for (int r = 0; r < strip.GetLength(0); r++)
        for (int c = 0; c < strip.GetLength(1); c++)
            strip[r, c] = double.NaN;
        for (int i = 0; i < rows.Count; i++)
        {
            var (image, generator, _) = rows[i];
            // The vertical flip that keeps images upright also reverses rows: fill from the bottom so rows read top down.
            int row = rows.Count - 1 - i;
            for (int f = 0; f < frames; f++)
            {
                var moved = ImageFlow.Transform(image.Pixels, h, w, generator, FlowTimes[f], prior, fill: image.Pixels.Min());
                for (int r = 0; r < h; r++)
                for (int c = 0; c < w; c++)
                    strip[row * (h + 2) + r, f * (w + 2) + c] = moved[r * w + c];
            }
        }
        var plot = NewPlot(title);
        var heatmap = plot.Add.Heatmap(strip);
        heatmap.Colormap = new ScottPlot.Colormaps.Grayscale();
        heatmap.NaNCellColor = Colors.White;
        heatmap.FlipVertically = true;
        int stripHeight = strip.GetLength(0);
        heatmap.Extent = new CoordinateRect(0, strip.GetLength(1), 0, stripHeight);
        plot.HideGrid();
        // No axes but the title and, when rows are named, their names as the left axis' tick labels.
        foreach (var axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Top, plot.Axes.Right, plot.Axes.Left })
        {
            axis.FrameLineStyle.Width = 0;
            axis.MajorTickStyle.Length = 0;
            axis.MinorTickStyle.Length = 0;
            axis.TickLabelStyle.IsVisible = false;
        }
        bool labelled = rows.Any(r => r.Label is not null);
        if (labelled)
        {
            var centres = rows.Select((_, i) => stripHeight - (i * (h + 2) + h / 2.0)).ToArray();
            plot.Axes.Left.SetTicks(centres, rows.Select(r => r.Label ?? "").ToArray());
            plot.Axes.Left.TickLabelStyle.IsVisible = true;
        }
        plot.Axes.SquareUnits();
        return Png(plot, 120 * frames + (labelled ? 300 : 0), rows.Count == 1 ? 200 : 60 + 110 * rows.Count);
    }

    private static bool RegisterFont()
    {
        var assembly = typeof(ReportPlots).Assembly;
        using var stream = assembly.GetManifestResourceStream("LieGG.Runtime.Plots.DejaVuSans.ttf")
            ?? throw new InvalidOperationException("The runtime assembly lacks its embedded plot font.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        // ScottPlot loads fonts from files: extract once per content to a stable temporary path.
        var path = Path.Combine(Path.GetTempPath(), $"liegg-dejavu-sans-{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes))[..16]}.ttf");
        if (!File.Exists(path) || new FileInfo(path).Length != bytes.Length) AtomicFile.Write(path, temporary => File.WriteAllBytes(temporary, bytes));
        Fonts.AddFontFile(FontName, path, bold: false, italic: false);
        Fonts.AddFontFile(FontName, path, bold: true, italic: false);
        return true;
    }
}
