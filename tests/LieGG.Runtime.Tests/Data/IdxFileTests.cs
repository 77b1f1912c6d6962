using System.Buffers.Binary;
using System.IO.Compression;
using LieGG.Runtime.Data;

namespace LieGG.Runtime.Tests.Data;

public sealed class IdxFileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("liegg-idx-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static IdxImages SampleImages(int count = 3, int rows = 4, int columns = 5)
    {
        var pixels = new byte[count * rows * columns];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i * 37 % 256);
        return new IdxImages(count, rows, columns, pixels);
    }

    [Theory]
    [InlineData("train-images-idx3-ubyte")]
    [InlineData("train-images-idx3-ubyte.gz")]
    public void Images_round_trip_raw_and_gzip(string name)
    {
        var path = Path.Combine(directory, name);
        var images = SampleImages();
        IdxFile.WriteImages(path, images);

        var read = IdxFile.ReadImages(path);

        Assert.Equal((images.Count, images.Rows, images.Columns), (read.Count, read.Rows, read.Columns));
        Assert.Equal(images.Pixels, read.Pixels);
        bool isGzip = File.ReadAllBytes(path) is [0x1f, 0x8b, ..];
        Assert.Equal(name.EndsWith(".gz"), isGzip);
    }

    [Fact]
    public void Labels_round_trip()
    {
        var path = Path.Combine(directory, "t10k-labels-idx1-ubyte.gz");
        byte[] labels = [0, 9, 3, 3, 7];
        IdxFile.WriteLabels(path, labels);
        Assert.Equal(labels, IdxFile.ReadLabels(path));
    }

    [Fact]
    public void Truncated_image_file_names_the_file_and_the_shortfall()
    {
        var path = Path.Combine(directory, "train-images-idx3-ubyte");
        IdxFile.WriteImages(path, SampleImages());
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^7]);

        var error = Assert.Throws<DataFormatException>(() => IdxFile.ReadImages(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message);
        Assert.Contains("truncated", error.Message);
        Assert.Contains("60 bytes", error.Message);
        Assert.Contains("53 bytes", error.Message);
    }

    [Fact]
    public void Truncated_header_is_reported()
    {
        var path = Path.Combine(directory, "train-labels-idx1-ubyte");
        File.WriteAllBytes(path, [0, 0, 8, 1]);
        var error = Assert.Throws<DataFormatException>(() => IdxFile.ReadLabels(path));
        Assert.Contains("8-byte header", error.Message);
    }

    [Fact]
    public void Wrong_magic_says_which_kind_of_file_it_is()
    {
        var path = Path.Combine(directory, "train-images-idx3-ubyte");
        IdxFile.WriteLabels(path, [1, 2, 3]);

        var error = Assert.Throws<DataFormatException>(() => IdxFile.ReadImages(path));

        Assert.Contains("wrong magic number 2049", error.Message);
        Assert.Contains("this is a label file", error.Message);
        Assert.Contains("2051", error.Message);
    }

    [Fact]
    public void Arbitrary_bytes_are_not_an_idx_file()
    {
        var path = Path.Combine(directory, "train-labels-idx1-ubyte");
        File.WriteAllBytes(path, System.Text.Encoding.ASCII.GetBytes("<html>not found</html>"));
        var error = Assert.Throws<DataFormatException>(() => IdxFile.ReadLabels(path));
        Assert.Contains("not an IDX file", error.Message);
    }

    [Fact]
    public void Trailing_bytes_are_reported()
    {
        var path = Path.Combine(directory, "train-labels-idx1-ubyte");
        var bytes = new byte[8 + 4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, IdxFile.LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), 2);
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<DataFormatException>(() => IdxFile.ReadLabels(path));
        Assert.Contains("2 unexpected bytes", error.Message);
    }

    [Fact]
    public void Corrupt_gzip_is_reported_with_the_file()
    {
        var path = Path.Combine(directory, "train-images-idx3-ubyte.gz");
        IdxFile.WriteImages(path, SampleImages(count: 50));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<DataFormatException>(() => IdxFile.ReadImages(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("gzip", error.Message);
    }

    /// <summary>
    /// The gzip trailer's length sizes the buffer the images are inflated into. A trailer that misstates it is refused
    /// (zlib checks it against what it inflated), never read as the wrong images.
    /// </summary>
    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    [InlineData(+1)]
    public void A_gzip_trailer_that_misstates_the_length_is_reported_with_the_file(int declaredLength)
    {
        var path = Path.Combine(directory, "train-images-idx3-ubyte.gz");
        IdxFile.WriteImages(path, SampleImages(count: 150, rows: 28, columns: 28));
        var bytes = File.ReadAllBytes(path);
        uint actual = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4));
        Assert.Equal(16u + 150 * 28 * 28, actual);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), declaredLength == 3 ? 3 : (uint)(actual + declaredLength));
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<DataFormatException>(() => IdxFile.ReadImages(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("gzip", error.Message);
    }

    /// <summary>
    /// Two gzip members one after the other: each trailer is sound, the last one gives only its own length, so the
    /// buffer it sized grows several times while the first member inflates — and the whole is still refused, because the
    /// file's last trailer does not describe the file (as gunzip would take it, not as the wrong images).
    /// </summary>
    [Fact]
    public void Concatenated_gzip_members_are_inflated_whole_and_refused_by_their_last_trailer()
    {
        var path = Path.Combine(directory, "train-images-idx3-ubyte.gz");
        var raw = Path.Combine(directory, "plain");
        IdxFile.WriteImages(raw, SampleImages(count: 150, rows: 28, columns: 28));
        var plain = File.ReadAllBytes(raw);
        byte[] Gzip(ReadOnlySpan<byte> part)
        {
            using var compressed = new MemoryStream();
            using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(part);
            return compressed.ToArray();
        }
        File.WriteAllBytes(path, [.. Gzip(plain.AsSpan(0, 100_000)), .. Gzip(plain.AsSpan(100_000))]);
        var error = Assert.Throws<DataFormatException>(() => IdxFile.ReadImages(path));
        Assert.Contains(path, error.Message);
        Assert.Contains($"{plain.Length} bytes decompressed but the gzip trailer says {plain.Length - 100_000}", error.Message);
    }

    [Fact]
    public void Image_and_label_counts_must_agree()
    {
        var images = Path.Combine(directory, "train-images-idx3-ubyte");
        var labels = Path.Combine(directory, "train-labels-idx1-ubyte");
        IdxFile.WriteImages(images, SampleImages(count: 3));
        IdxFile.WriteLabels(labels, [1, 2]);

        var error = Assert.Throws<DataFormatException>(() => MnistDigits.Load(images, labels));

        Assert.Contains("3 images but 2 labels", error.Message);
    }

    [Fact]
    public void Labels_must_be_digits()
    {
        var images = Path.Combine(directory, "train-images-idx3-ubyte");
        var labels = Path.Combine(directory, "train-labels-idx1-ubyte");
        IdxFile.WriteImages(images, SampleImages(count: 2));
        IdxFile.WriteLabels(labels, [1, 12]);
        var error = Assert.Throws<DataFormatException>(() => MnistDigits.Load(images, labels));
        Assert.Contains("label 12 at index 1", error.Message);
    }

    [Fact]
    public void Directory_discovery_accepts_the_standard_names()
    {
        foreach (var prefix in new[] { "train", "t10k", "val" })
        {
            IdxFile.WriteImages(Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz"), SampleImages(count: 2));
            IdxFile.WriteLabels(Path.Combine(directory, $"{prefix}-labels.idx1-ubyte"), [4, 5]);
        }
        File.WriteAllText(Path.Combine(directory, "README.txt"), "ignored");

        var set = MnistDirectory.Find(directory);

        Assert.EndsWith("train-images-idx3-ubyte.gz", set.Train!.Images);
        Assert.EndsWith("t10k-labels.idx1-ubyte", set.Test!.Labels);
        Assert.EndsWith("val-images-idx3-ubyte.gz", set.Validation!.Images);
        Assert.Equal(6, set.LoadAll().Count);
    }

    [Fact]
    public void Directory_with_images_but_no_labels_says_what_is_missing()
    {
        IdxFile.WriteImages(Path.Combine(directory, "test-images-idx3-ubyte"), SampleImages());
        var error = Assert.Throws<DataFormatException>(() => MnistDirectory.Find(directory));
        Assert.Contains("no matching test label file", error.Message);
    }

    [Fact]
    public void Empty_directory_lists_the_expected_names()
    {
        var error = Assert.Throws<FileNotFoundException>(() => MnistDirectory.Find(directory));
        Assert.Contains("train-images-idx3-ubyte", error.Message);
    }

    [Fact]
    public void Embedded_digits_are_the_10000_real_mnist_digits()
    {
        var digits = MnistDigits.Embedded();

        Assert.Equal(10_000, digits.Count);
        Assert.Equal((28, 28), (digits.Rows, digits.Columns));
        var perClass = digits.Labels.GroupBy(l => l).OrderBy(g => g.Key).Select(g => g.Count()).ToArray();
        Assert.Equal([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978], perClass);
        // Round-robin interleaving: the first ten digits are one of each class.
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (byte)i), digits.Labels.Take(10));
        // Real digits: dark border, bright strokes reaching full intensity.
        Assert.Equal(255, digits.Images.Pixels.Max());
        double borderMean = Enumerable.Range(0, digits.Count).Average(i => (double)digits.Images.Pixels[i * 784]);
        Assert.Equal(0, borderMean);
    }

    [Fact]
    public void Amat_reader_parses_lines_and_rejects_bad_ones()
    {
        var path = Path.Combine(directory, "mnist_rot_test.amat");
        var pixels = string.Join(' ', Enumerable.Range(0, 784).Select(i => (i % 7 / 6.0).ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        File.WriteAllLines(path, [$"{pixels} 7.0", $"{pixels} 2"]);

        var images = AmatFile.Read(path);

        Assert.Equal(2, images.Count);
        Assert.Equal([7, 2], images.Labels);
        Assert.Equal(1f, images.Pixels[6]);

        File.WriteAllLines(path, ["0.5 0.5 3"]);
        var error = Assert.Throws<DataFormatException>(() => AmatFile.Read(path));
        Assert.Contains("line 1 has 3 values", error.Message);
    }
}
