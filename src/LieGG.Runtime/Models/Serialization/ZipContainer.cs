using System.IO.Compression;

namespace LieGG.Runtime.Models.Serialization;

/// <summary>
/// A PyTorch zip archive (what <c>torch.save</c> and <c>torch.jit.save</c> write), opened only after every entry has
/// been checked: every byte present and matching its CRC-32, stored entries no larger than the file, compressed ones
/// (TorchScript deflates its code) together at most <see cref="MaxInflatedBytes"/> and each read no further than its
/// declared size, so no zip bomb expands. Nothing corrupt, truncated or inflated reaches a parser.
/// </summary>
internal sealed class ZipContainer : IDisposable
{
    private readonly ZipArchive archive;

    private ZipContainer(ZipArchive archive, string path)
    {
        this.archive = archive;
        Path = path;
    }

    public string Path { get; }

    /// <summary>The most that the compressed entries of one archive may expand to, together.</summary>
    public const long MaxInflatedBytes = 256L << 20;

    public IReadOnlyList<ZipArchiveEntry> Entries => archive.Entries;

    /// <summary>Whether the file starts like a zip archive (a local file header).</summary>
    public static bool LooksLikeZip(string path)
    {
        Span<byte> signature = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(signature, 4, throwOnEndOfStream: false) == 4 && signature.SequenceEqual("PK\u0003\u0004"u8);
    }

    /// <exception cref="InvalidDataException">The file is not a sound zip archive of stored entries; the message names it and says why.</exception>
    public static ZipContainer Open(string path, string fix)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file.", path);
        long fileLength = new FileInfo(path).Length;
        ZipArchive? archive = null;
        try
        {
            archive = ZipFile.OpenRead(path);
            long stored = 0, inflated = 0;
            foreach (var entry in archive.Entries)
            {
                if (entry.Length < 0 || entry.CompressedLength < 0 || entry.CompressedLength > fileLength)
                    throw Corrupt(path, $"entry '{entry.FullName}' claims {entry.CompressedLength} bytes of a {fileLength}-byte file", fix);
                if (entry.Length == entry.CompressedLength) stored += entry.Length;
                else inflated += entry.Length;
                if (stored > fileLength)
                    throw Corrupt(path, $"its entries claim more bytes ({stored}) than the file has ({fileLength})", fix);
                if (inflated > MaxInflatedBytes)
                    throw Corrupt(path, $"its compressed entries expand to more than {MaxInflatedBytes >> 20} MiB (a zip bomb?)", fix);
                Verify(entry, path, fix);
            }
            var container = new ZipContainer(archive, path);
            archive = null;
            return container;
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw Corrupt(path, e.Message, fix, e);
        }
        catch (Exception e) when (e is IOException or ArgumentException or NotSupportedException or IndexOutOfRangeException or OverflowException
            && e is not FileNotFoundException)
        {
            throw Corrupt(path, e.Message, fix, e);
        }
        finally
        {
            archive?.Dispose();
        }
    }

    /// <summary>The entries whose full name ends with <paramref name="suffix"/>.</summary>
    public IEnumerable<ZipArchiveEntry> EndingWith(string suffix) => archive.Entries.Where(e => e.FullName.EndsWith(suffix, StringComparison.Ordinal));

    /// <summary>An entry's bytes (already verified by <see cref="Open"/>), at most <paramref name="limit"/> of them.</summary>
    public byte[] Read(ZipArchiveEntry entry, long limit, string fix)
    {
        if (entry.Length > limit)
            throw Corrupt(Path, $"entry '{entry.FullName}' holds {entry.Length} bytes, more than the {limit} it may", fix);
        var bytes = new byte[entry.Length];
        using var stream = entry.Open();
        stream.ReadExactly(bytes);
        return bytes;
    }

    public void Dispose() => archive.Dispose();

    private static void Verify(ZipArchiveEntry entry, string path, string fix)
    {
        var buffer = new byte[81920];
        uint crc = Crc32.Initial;
        long read = 0;
        using (var stream = entry.Open())
        {
            int count;
            while ((count = stream.Read(buffer)) > 0)
            {
                read += count;
                if (read > entry.Length) break;
                crc = Crc32.Append(crc, buffer.AsSpan(0, count));
            }
        }
        if (read != entry.Length)
            throw Corrupt(path, $"entry '{entry.FullName}' should hold {entry.Length} bytes but {read} were read", fix);
        if (Crc32.Finish(crc) != entry.Crc32)
            throw Corrupt(path, $"entry '{entry.FullName}' does not match its CRC-32 (the file is damaged)", fix);
    }

    private static InvalidDataException Corrupt(string path, string why, string fix, Exception? inner = null)
        => new($"{path} is not a sound PyTorch archive: {why}. {fix}", inner);
}
