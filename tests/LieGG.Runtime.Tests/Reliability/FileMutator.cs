using System.Buffers.Binary;
using System.IO.Compression;

namespace LieGG.Runtime.Tests.Reliability;

/// <summary>
/// Deterministic mutations of a valid file, the way a damaged download, a truncated copy or a hostile author changes
/// it: bit flips, bytes set to boundary values, insertions, deletions, truncations, duplicated chunks and length-like
/// fields overwritten with huge or negative integers (at <see cref="LengthFields"/> when the format has known ones, else
/// anywhere). One seed, one sequence of cases.
/// </summary>
internal sealed class FileMutator(int seed, IReadOnlyList<int>? lengthFields = null)
{
    private static readonly ulong[] HugeValues =
        [0, 1, 0x7F, 0xFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 1UL << 32, 1UL << 62, long.MaxValue, ulong.MaxValue];

    private readonly Random random = new(seed);

    /// <summary>Byte offsets of the format's length and count fields, where huge values do the most harm.</summary>
    public IReadOnlyList<int> LengthFields { get; } = lengthFields ?? [];

    /// <summary>The kind of the last mutation, for the report.</summary>
    public string LastKind { get; private set; } = "";

    public byte[] Mutate(byte[] original)
    {
        var bytes = original.ToList();
        int rounds = 1 + random.Next(3);
        var kinds = new List<string>();
        for (int round = 0; round < rounds && bytes.Count > 0; round++)
        {
            int kind = random.Next(7);
            kinds.Add(kind switch { 0 => "bit flips", 1 => "boundary bytes", 2 => "insertion", 3 => "deletion", 4 => "truncation", 5 => "duplicated chunk", _ => "huge length" });
            switch (kind)
            {
                case 0:
                    for (int i = 1 + random.Next(8); i > 0; i--)
                    {
                        int at = random.Next(bytes.Count);
                        bytes[at] ^= (byte)(1 << random.Next(8));
                    }
                    break;
                case 1:
                    for (int i = 1 + random.Next(4); i > 0; i--)
                        bytes[random.Next(bytes.Count)] = (byte)(random.Next(4) switch { 0 => 0x00, 1 => 0xFF, 2 => 0x7F, _ => 0x80 });
                    break;
                case 2:
                {
                    var inserted = new byte[1 + random.Next(64)];
                    random.NextBytes(inserted);
                    bytes.InsertRange(random.Next(bytes.Count + 1), inserted);
                    break;
                }
                case 3:
                {
                    int at = random.Next(bytes.Count);
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(64)));
                    break;
                }
                case 4:
                {
                    int keep = random.Next(bytes.Count);
                    bytes.RemoveRange(keep, bytes.Count - keep);
                    break;
                }
                case 5:
                {
                    int from = random.Next(bytes.Count);
                    int length = Math.Min(bytes.Count - from, 1 + random.Next(256));
                    bytes.InsertRange(random.Next(bytes.Count + 1), bytes.GetRange(from, length));
                    break;
                }
                default:
                {
                    int width = random.Next(2) == 0 ? 4 : 8;
                    int at = LengthFields.Count > 0 && random.Next(3) > 0 ? LengthFields[random.Next(LengthFields.Count)] : random.Next(bytes.Count);
                    if (at + width > bytes.Count) break;
                    Span<byte> field = stackalloc byte[8];
                    ulong value = HugeValues[random.Next(HugeValues.Length)];
                    if (random.Next(2) == 0) BinaryPrimitives.WriteUInt64LittleEndian(field, value);
                    else BinaryPrimitives.WriteUInt64BigEndian(field, value);
                    for (int i = 0; i < width; i++) bytes[at + i] = field[random.Next(2) == 0 ? i : 8 - width + i];
                    break;
                }
            }
        }
        LastKind = string.Join(" + ", kinds);
        return bytes.ToArray();
    }

    /// <summary>Mutates one entry of a zip archive (chosen with the given weights) and writes the archive again with sound CRCs.</summary>
    public byte[] MutateEntry(byte[] zip, Func<string, int> weight)
    {
        var entries = new List<(string Name, byte[] Bytes, bool Compressed)>();
        using (var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read))
            foreach (var entry in archive.Entries)
            {
                using var stream = entry.Open();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                entries.Add((entry.FullName, copy.ToArray(), entry.CompressedLength != entry.Length));
            }
        var tickets = entries.SelectMany((e, i) => Enumerable.Repeat(i, weight(e.Name))).ToList();
        int chosen = tickets[random.Next(tickets.Count)];
        entries[chosen] = entries[chosen] with { Bytes = entries[chosen].Bytes.Length == 0 ? entries[chosen].Bytes : Mutate(entries[chosen].Bytes) };
        using var result = new MemoryStream();
        using (var archive = new ZipArchive(result, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes, compressed) in entries)
            {
                using var stream = archive.CreateEntry(name, compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression).Open();
                stream.Write(bytes);
            }
        return result.ToArray();
    }

    /// <summary>A random index below <paramref name="count"/>, from this mutator's sequence.</summary>
    public int Next(int count) => random.Next(count);
}
