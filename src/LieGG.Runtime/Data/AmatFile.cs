using System.Globalization;

namespace LieGG.Runtime.Data;

/// <summary>Images as floats in [0, 1] (row-major, as stored) with integer labels.</summary>
public sealed record LabelledImages(int Count, int Rows, int Columns, float[] Pixels, byte[] Labels, string Source)
{
    /// <summary>Several files' images in order (e.g. rot-MNIST's train+valid and test files).</summary>
    public static LabelledImages Concat(IReadOnlyList<LabelledImages> parts)
    {
        if (parts.Count == 1) return parts[0];
        var first = parts[0];
        if (parts.Any(p => p.Rows != first.Rows || p.Columns != first.Columns))
            throw new ArgumentException("All image files must have one image size.", nameof(parts));
        return new LabelledImages(parts.Sum(p => p.Count), first.Rows, first.Columns,
            ArrayParts.Concat(parts.Select(p => p.Pixels)), ArrayParts.Concat(parts.Select(p => p.Labels)), string.Join(" + ", parts.Select(p => p.Source)));
    }
}

/// <summary>
/// Reader for the classic rotated-MNIST <c>.amat</c> files (Larochelle et al., 2007): one image per line,
/// 784 whitespace-separated pixel values in [0, 1] followed by the label. Pixels are kept in the order the
/// file stores them; the images are already rotated and are used as they are.
/// </summary>
public static class AmatFile
{
    public static LabelledImages Read(string path, int rows = 28, int columns = 28)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such .amat file.", path);
        int pixelsPerImage = rows * columns;
        var pixels = new List<float>();
        var labels = new List<byte>();
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != pixelsPerImage + 1)
                throw new DataFormatException(path, $"line {lineNumber} has {fields.Length} values; expected {pixelsPerImage} pixels and a label ({pixelsPerImage + 1}).");
            for (int i = 0; i < pixelsPerImage; i++)
            {
                if (!float.TryParse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0 || value > 1 || float.IsNaN(value))
                    throw new DataFormatException(path, $"line {lineNumber}, value {i + 1}: '{fields[i]}' is not a pixel value in [0, 1].");
                pixels.Add(value);
            }
            if (!double.TryParse(fields[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var label) || label != Math.Floor(label) || label < 0 || label > 9)
                throw new DataFormatException(path, $"line {lineNumber}: label '{fields[^1]}' is not a digit 0–9.");
            labels.Add((byte)label);
        }
        if (labels.Count == 0) throw new DataFormatException(path, "the file holds no images.");
        return new LabelledImages(labels.Count, rows, columns, pixels.ToArray(), labels.ToArray(), path);
    }
}
