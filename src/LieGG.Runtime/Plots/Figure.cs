using System.Text;
using System.Text.RegularExpressions;
using ScottPlot;
using SkiaSharp;

namespace LieGG.Runtime.Plots;

/// <summary>One figure, drawn once and saved twice: PNG for reading and for Markdown, SVG (vector) for papers.</summary>
public sealed partial record Figure(byte[] Png, byte[] Svg)
{
    /// <summary>
    /// Plots are flat colours and antialiased lines, which deflate best unfiltered: Skia's default (every row filter
    /// tried, zlib level 6) spent ≈ 85 % of a figure's time encoding and wrote 456 KB for a run's and a G-CNN trial's
    /// 13 figures in 144 ms; unfiltered at the same level they take 72 ms and 404 KB, the pixels unchanged.
    /// </summary>
    private static readonly SKPngEncoderOptions PngEncoding = new(SKPngEncoderFilterFlags.None, zLibLevel: 6);

    public static Figure Of(Plot plot, int width, int height) => new(EncodePng(plot, width, height), Encoding.UTF8.GetBytes(Deterministic(plot.GetSvgXml(width, height))));

    /// <summary>The plot drawn as <see cref="Plot.GetImage"/> draws it (8-bit RGBA, premultiplied) and encoded with <see cref="PngEncoding"/>.</summary>
    internal static byte[] EncodePng(Plot plot, int width, int height)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"Skia could not allocate a {width} × {height} drawing surface.");
        plot.Render(surface.Canvas, width, height);
        using var image = surface.Snapshot();
        using var pixels = image.PeekPixels();
        using var png = pixels?.Encode(PngEncoding) ?? throw new InvalidOperationException($"Skia could not encode a {width} × {height} figure as PNG.");
        return png.ToArray();
    }

    // Skia numbers the SVG's clip paths and images with process-wide counters (cl_1a, img_3, …); renumbered in order
    // of appearance, the same figure gives the same file in any process and after any number of earlier figures.
    private static string Deterministic(string svg)
    {
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        var counters = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match id in SvgId().Matches(svg))
        {
            string name = id.Groups[1].Value, prefix = id.Groups[2].Value;
            if (renamed.ContainsKey(name)) continue;
            counters[prefix] = counters.GetValueOrDefault(prefix) + 1;
            renamed[name] = $"{prefix}_{counters[prefix]}";
        }
        return SvgReference().Replace(svg, m => renamed.TryGetValue(m.Value, out var name) ? name : m.Value);
    }

    [GeneratedRegex(@"\bid=""(([a-z]+)_[0-9a-f]+)""")]
    private static partial Regex SvgId();

    [GeneratedRegex(@"\b[a-z]+_[0-9a-f]+\b")]
    private static partial Regex SvgReference();
}

/// <summary>A renderer's files: each figure as <c>name.png</c> and <c>name.svg</c>.</summary>
public static class FigureFiles
{
    public static void AddFigure(this IDictionary<string, byte[]> files, string name, Figure figure)
    {
        files[name + ".png"] = figure.Png;
        files[name + ".svg"] = figure.Svg;
    }

    /// <summary>The PNG files, in order, for Markdown to show.</summary>
    public static IReadOnlyList<string> Images(IEnumerable<string> files) => files.Where(f => f.EndsWith(".png", StringComparison.Ordinal)).ToList();
}
