using System.Buffers.Binary;
using System.IO.Compression;

namespace LieGG.Runtime.Data;

/// <summary>Images of one IDX file: <see cref="Count"/> images of <see cref="Rows"/>×<see cref="Columns"/> bytes, row-major.</summary>
public sealed record IdxImages(int Count, int Rows, int Columns, byte[] Pixels)
{
    public int PixelsPerImage => Rows * Columns;
}

/// <summary>
/// Reader and writer for the IDX format of the MNIST distribution (big-endian header, unsigned bytes).
/// Files may be raw or gzip-compressed; compression is detected from the content, not the name.
/// </summary>
public static class IdxFile
{
    /// <summary>Magic number of an image file: unsigned bytes, 3 dimensions.</summary>
    public const int ImagesMagic = 2051;

    /// <summary>Magic number of a label file: unsigned bytes, 1 dimension.</summary>
    public const int LabelsMagic = 2049;

    private const int MaxSide = 1 << 14;

    /// <summary>The most a gzip-compressed IDX file may expand by.</summary>
    public const int MaxExpansion = 64;

    public static IdxImages ReadImages(string path)
    {
        using var stream = OpenRead(path);
        return ReadImages(stream, path);
    }

    public static byte[] ReadLabels(string path)
    {
        using var stream = OpenRead(path);
        return ReadLabels(stream, path);
    }

    /// <param name="source">Name used in error messages (usually the file path).</param>
    public static IdxImages ReadImages(Stream stream, string source)
    {
        var bytes = ReadAll(stream, source);
        CheckMagic(bytes, ImagesMagic, source, "image");
        RequireHeader(bytes, 16, source, "image");
        int count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        int rows = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8));
        int columns = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(12));
        if (count < 0 || rows <= 0 || columns <= 0 || rows > MaxSide || columns > MaxSide)
            throw new DataFormatException(source, $"invalid dimensions in the header: {count} images of {rows}×{columns} pixels.");
        long expected = (long)count * rows * columns;
        CheckPayload(bytes.Length - 16L, expected, source, $"{count} images of {rows}×{columns} pixels");
        return new IdxImages(count, rows, columns, bytes.AsSpan(16).ToArray());
    }

    /// <param name="source">Name used in error messages (usually the file path).</param>
    public static byte[] ReadLabels(Stream stream, string source)
    {
        var bytes = ReadAll(stream, source);
        CheckMagic(bytes, LabelsMagic, source, "label");
        RequireHeader(bytes, 8, source, "label");
        int count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        if (count < 0)
            throw new DataFormatException(source, $"invalid label count {count} in the header.");
        CheckPayload(bytes.Length - 8L, count, source, $"{count} labels");
        return bytes.AsSpan(8).ToArray();
    }

    /// <summary>Writes images; the file is gzip-compressed when <paramref name="path"/> ends in <c>.gz</c>.</summary>
    public static void WriteImages(string path, IdxImages images)
    {
        if (images.Pixels.Length != (long)images.Count * images.Rows * images.Columns)
            throw new ArgumentException($"{images.Pixels.Length} pixels do not match {images.Count} images of {images.Rows}×{images.Columns}.", nameof(images));
        var header = new byte[16];
        BinaryPrimitives.WriteInt32BigEndian(header, ImagesMagic);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), images.Count);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), images.Rows);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), images.Columns);
        Write(path, header, images.Pixels);
    }

    /// <summary>Writes labels; the file is gzip-compressed when <paramref name="path"/> ends in <c>.gz</c>.</summary>
    public static void WriteLabels(string path, byte[] labels)
    {
        var header = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), labels.Length);
        Write(path, header, labels);
    }

    private static Stream OpenRead(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: no such IDX file.", path);
        return File.OpenRead(path);
    }

    private static byte[] ReadAll(Stream stream, string source)
    {
        var bytes = ReadToEnd(stream);
        if (bytes.Length < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b)
            return bytes;
        try
        {
            // MNIST's files shrink about fivefold; a file that expands far more is a gzip bomb, stopped before it fills memory.
            long limit = (long)bytes.Length * MaxExpansion + (1 << 16);
            // GZipStream stops quietly at a cut-off stream; the trailer's ISIZE (length mod 2³²) catches that. Where it is
            // within the limit it is also the buffer's size, so the digits are inflated once, straight into place.
            uint declared = bytes.Length >= 18 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4)) : uint.MaxValue;
            long capacity = Math.Min(limit + 1, Array.MaxLength);
            var plain = new byte[Math.Min(declared, capacity)];
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            int length = 0;
            while (true)
            {
                if (length == plain.Length)
                {
                    // Full: the end of the stream, or a trailer that understated the length.
                    int next = gzip.ReadByte();
                    if (next < 0) break;
                    if (length == capacity) throw Expands(source, bytes.Length, limit);
                    Array.Resize(ref plain, (int)Math.Min(Math.Max(2L * plain.Length, 1 << 16), capacity));
                    plain[length++] = (byte)next;
                    continue;
                }
                int read = gzip.Read(plain, length, plain.Length - length);
                if (read == 0) break;
                length += read;
                if (length > limit) throw Expands(source, bytes.Length, limit);
            }
            if (declared != (uint)length)
                throw new InvalidDataException($"{length} bytes decompressed but the gzip trailer says {declared}");
            if (length != plain.Length) Array.Resize(ref plain, length);
            return plain;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException && e is not DataFormatException)
        {
            throw new DataFormatException(source, $"the gzip stream is corrupt or truncated ({e.Message}); download the file again.", e);
        }
    }

    private static DataFormatException Expands(string source, long compressed, long limit)
        => new(source, $"it expands more than {MaxExpansion}-fold when decompressed ({compressed} bytes to over {limit}), which no IDX file of images does; if it is genuine, decompress it with gunzip and use the plain file.");

    /// <summary>The rest of <paramref name="stream"/>, read into one array of its length where the stream knows it.</summary>
    private static byte[] ReadToEnd(Stream stream)
    {
        long remaining = stream.CanSeek ? stream.Length - stream.Position : -1;
        if (remaining is >= 0 && remaining <= Array.MaxLength)
        {
            var bytes = new byte[remaining];
            stream.ReadExactly(bytes);
            return bytes;
        }
        using var buffered = new MemoryStream();
        stream.CopyTo(buffered);
        return buffered.ToArray();
    }

    private static void RequireHeader(byte[] bytes, int headerLength, string source, string kind)
    {
        if (bytes.Length < headerLength)
            throw new DataFormatException(source, $"truncated: an IDX {kind} file needs a {(kind == "image" ? 16 : 8)}-byte header but the file has {bytes.Length} bytes.");
    }

    private static void CheckMagic(byte[] bytes, int expected, string source, string kind)
    {
        RequireHeader(bytes, 4, source, kind);
        int magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (magic != expected) throw new DataFormatException(source, MagicProblem(magic, expected, kind));
    }

    private static string MagicProblem(int actual, int expected, string kind)
    {
        string hint = actual switch
        {
            ImagesMagic => " (this is an image file)",
            LabelsMagic => " (this is a label file)",
            _ => " (not an IDX file of unsigned bytes)",
        };
        return $"wrong magic number {actual}{hint}; an IDX {kind} file starts with {expected}.";
    }

    private static void CheckPayload(long actual, long expected, string source, string what)
    {
        if (actual < expected)
            throw new DataFormatException(source, $"truncated: the header announces {what} ({expected} bytes) but only {actual} bytes follow.");
        if (actual > expected)
            throw new DataFormatException(source, $"{actual - expected} unexpected bytes after the {what} the header announces.");
    }

    private static void Write(string path, byte[] header, byte[] payload)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var temporary = path + ".tmp";
        using (var file = File.Create(temporary))
        {
            Stream target = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
                ? new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true)
                : file;
            target.Write(header);
            target.Write(payload);
            if (!ReferenceEquals(target, file)) target.Dispose();
        }
        File.Move(temporary, path, overwrite: true);
    }
}
