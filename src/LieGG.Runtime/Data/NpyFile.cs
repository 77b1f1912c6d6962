using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Data;

/// <summary>
/// Reads NumPy <c>.npy</c> arrays (format versions 1–3, C order, little-endian or single-byte dtypes): float64 stays
/// float64, every other dtype becomes float32. What <c>numpy.save</c> writes.
/// </summary>
public static partial class NpyFile
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    [GeneratedRegex(@"'descr'\s*:\s*'(?<descr>[^']+)'")]
    private static partial Regex Descr();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(?<order>True|False)")]
    private static partial Regex FortranOrder();

    [GeneratedRegex(@"'shape'\s*:\s*\((?<shape>[^)]*)\)")]
    private static partial Regex Shape();

    public static Tensor Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such .npy file.", path);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic))
            throw Invalid(path, "it does not start with the .npy magic string");
        int major = bytes[6];
        int headerLength, headerStart;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
            headerStart = 10;
        }
        else if (major is 2 or 3 && bytes.Length >= 12)
        {
            headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
            headerStart = 12;
        }
        else
        {
            throw Invalid(path, $"format version {major} is not 1, 2 or 3");
        }
        if (headerStart + (long)headerLength > bytes.Length) throw Invalid(path, "its header runs past the end of the file");
        var header = Encoding.Latin1.GetString(bytes, headerStart, headerLength);
        var descr = Descr().Match(header);
        var order = FortranOrder().Match(header);
        var shapeMatch = Shape().Match(header);
        if (!descr.Success || !order.Success || !shapeMatch.Success) throw Invalid(path, $"its header '{header.Trim()}' lacks descr, fortran_order or shape");
        if (order.Groups["order"].Value == "True")
            throw Invalid(path, "it is stored in Fortran order; save it with numpy.save(path, numpy.ascontiguousarray(x))");
        var shapeText = shapeMatch.Groups["shape"].Value;
        var dimensions = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var shape = new long[dimensions.Length];
        for (int i = 0; i < dimensions.Length; i++)
            if (!long.TryParse(dimensions[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out shape[i]))
                throw Invalid(path, $"its shape ({shapeText}) is not a tuple of non-negative whole numbers");
        var data = bytes.AsSpan(headerStart + headerLength);
        // Each dimension is at most the byte count, so the product is checked before it can overflow.
        long count = 1;
        foreach (var dimension in shape)
        {
            if (dimension > data.Length || count * dimension > data.Length) { count = long.MaxValue; break; }
            count *= dimension;
        }
        string type = descr.Groups["descr"].Value;
        if (type.Length > 1 && type[0] == '>' && type[^1] != '1')
            throw Invalid(path, $"its dtype {type} is big-endian; convert it with x.astype(x.dtype.newbyteorder('<'))");
        int size = type[^1] - '0';
        char kind = type.Length >= 2 ? type[^2] : '?';
        if (kind is not ('f' or 'i' or 'u' or 'b') || size is not (1 or 2 or 4 or 8) || kind == 'f' && size == 1)
            throw Invalid(path, $"its dtype {type} is not a number type this reader supports (float16/32/64, int, uint, bool)");
        if (count > data.Length / size)
            throw Invalid(path, $"an array of shape ({string.Join(", ", shape)}) and dtype {type} needs more bytes than the file's {data.Length}");
        data = data[..(int)(count * size)];
        return (kind, size) switch
        {
            ('f', 8) => torch.tensor(MemoryMarshal.Cast<byte, double>(data).ToArray(), shape),
            ('f', 4) => torch.tensor(MemoryMarshal.Cast<byte, float>(data).ToArray(), shape),
            ('f', 2) => torch.tensor(MemoryMarshal.Cast<byte, Half>(data).ToArray().Select(h => (float)h).ToArray(), shape),
            ('i', 8) => torch.tensor(MemoryMarshal.Cast<byte, long>(data).ToArray().Select(v => (float)v).ToArray(), shape),
            ('i', 4) => torch.tensor(MemoryMarshal.Cast<byte, int>(data).ToArray().Select(v => (float)v).ToArray(), shape),
            ('i', 2) => torch.tensor(MemoryMarshal.Cast<byte, short>(data).ToArray().Select(v => (float)v).ToArray(), shape),
            ('u', 8) => torch.tensor(MemoryMarshal.Cast<byte, ulong>(data).ToArray().Select(v => (float)v).ToArray(), shape),
            ('u', 4) => torch.tensor(MemoryMarshal.Cast<byte, uint>(data).ToArray().Select(v => (float)v).ToArray(), shape),
            ('u', 2) => torch.tensor(MemoryMarshal.Cast<byte, ushort>(data).ToArray().Select(v => (float)v).ToArray(), shape),
            ('i', 1) => torch.tensor(MemoryMarshal.Cast<byte, sbyte>(data).ToArray().Select(v => (float)v).ToArray(), shape),
            _ => torch.tensor(data.ToArray().Select(v => (float)v).ToArray(), shape),
        };
    }

    private static InvalidDataException Invalid(string path, string why) => new($"{path} is not a .npy array this tool reads: {why}.");
}
