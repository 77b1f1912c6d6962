using LieGG.Runtime.Plots;
using ScottPlot;
using SkiaSharp;

namespace LieGG.Runtime.Tests.Plots;

public sealed class FigureTests
{
    /// <summary>Lines, markers, text, a filled band and a heatmap: what the reports draw.</summary>
    private static Plot Sample()
    {
        ReportPlots.EnsureFont();
        var plot = new Plot();
        var xs = Enumerable.Range(0, 200).Select(i => i / 20.0).ToArray();
        plot.Add.Scatter(xs, xs.Select(Math.Sin).ToArray());
        plot.Add.FillY(xs, xs.Select(x => Math.Cos(x) - 0.2).ToArray(), xs.Select(x => Math.Cos(x) + 0.2).ToArray());
        var heat = new double[12, 30];
        for (int r = 0; r < 12; r++) for (int c = 0; c < 30; c++) heat[r, c] = Math.Sin(r * 0.7) * Math.Cos(c * 0.3);
        var map = plot.Add.Heatmap(heat);
        map.Extent = new CoordinateRect(0, 3, -3, -1);
        plot.Title("σ spectrum — λ₁ … λ₁₀");
        plot.XLabel("index");
        plot.YLabel("log₁₀ σ");
        return plot;
    }

    private static uint[] Pixels(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png).Copy(SKColorType.Rgba8888);
        Assert.Equal((640, 400), (bitmap.Width, bitmap.Height));
        return bitmap.Pixels.Select(color => (uint)color).ToArray();
    }

    [Fact]
    public void The_png_holds_exactly_the_pixels_scottplot_draws_and_is_smaller()
    {
        var plot = Sample();
        var figure = Figure.Of(plot, 640, 400);
        var reference = plot.GetImageBytes(640, 400, ImageFormat.Png);

        Assert.Equal(Pixels(reference), Pixels(figure.Png));
        Assert.True(figure.Png.Length < reference.Length, $"{figure.Png.Length} bytes against ScottPlot's {reference.Length}");
        Assert.Equal(figure.Png, Figure.Of(plot, 640, 400).Png);
    }
}
