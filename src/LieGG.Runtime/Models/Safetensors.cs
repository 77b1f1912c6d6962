using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Models;

/// <summary>
/// Reads and writes the safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header naming
/// each tensor's dtype, shape and byte range, then the raw little-endian data. PyTorch users read it with
/// <c>safetensors.torch.load_file</c>. Writes are atomic.
/// </summary>
public static class Safetensors
{
    private const long MaxHeaderBytes = 100_000_000;

    /// <summary>Writes <paramref name="tensors"/> (any device; stored in name order) and optional string metadata.</summary>
    public static void Save(IReadOnlyDictionary<string, Tensor> tensors, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (key, value) in metadata) meta[key] = value;
            header["__metadata__"] = meta;
        }
        var payloads = new List<byte[]>();
        long offset = 0;
        foreach (var (name, tensor) in tensors.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var bytes = BytesOf(tensor, name);
            header[name] = new JsonObject
            {
                ["dtype"] = DtypeName(tensor.dtype, name),
                ["shape"] = new JsonArray(tensor.shape.Select(s => (JsonNode)s).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes.Length),
            };
            payloads.Add(bytes);
            offset += bytes.Length;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = File.Create(temporary))
            {
                Span<byte> length = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
                stream.Write(length);
                stream.Write(json);
                stream.Flush();
                // Header written, tensors not yet: a kill here leaves a half-written temporary.
                WriteFaults.MidWrite(path);
                for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
                foreach (var payload in payloads) stream.Write(payload);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch (IOException e) when (e is not (FileNotFoundException or DirectoryNotFoundException))
        {
            throw new IOException($"{path} could not be written ({e.Message.Replace(temporary, "its temporary", StringComparison.Ordinal)}); nothing was replaced — free space or fix the folder and run the same command again.", e);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Every tensor of a safetensors file, on the CPU, by name; a file that is not one fails with <see cref="InvalidDataException"/> naming it.</summary>
    public static Dictionary<string, Tensor> Load(string path) => Load(path, out _);

    public static Dictionary<string, Tensor> Load(string path, out IReadOnlyDictionary<string, string> metadata)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such safetensors file.", path);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8) throw Invalid(path, "it is shorter than the 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes || 8 + (long)headerLength > bytes.Length)
            throw Invalid(path, $"its header length {headerLength} does not fit the file's {bytes.Length} bytes");
        JsonObject header;
        try
        {
            header = JsonNode.Parse(bytes.AsSpan(8, (int)headerLength)) as JsonObject ?? throw Invalid(path, "its header is not a JSON object");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            // Invalid UTF-8 surfaces as InvalidOperationException, a repeated name as ArgumentException.
            throw Invalid(path, $"its header is not JSON ({e.Message})");
        }
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            ReadEntries(header, bytes.AsMemory(8 + (int)headerLength), path, tensors, meta);
        }
        catch (InvalidOperationException e)
        {
            // The header's strings are decoded lazily: invalid UTF-8 surfaces here.
            foreach (var tensor in tensors.Values) tensor.Dispose();
            throw Invalid(path, $"its header is not valid JSON text ({e.Message})");
        }
        catch
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
            throw;
        }
        metadata = meta;
        return tensors;
    }

    private static void ReadEntries(JsonObject header, ReadOnlyMemory<byte> data, string path, Dictionary<string, Tensor> tensors, Dictionary<string, string> meta)
    {
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
            {
                if (node is JsonObject entries)
                    foreach (var (key, value) in entries) meta[key] = value?.ToString() ?? "";
                continue;
            }
            if (node is not JsonObject entry || entry["dtype"] is not JsonValue dtypeNode || !dtypeNode.TryGetValue(out string? dtype)
                || entry["shape"] is not JsonArray shapeNode || entry["data_offsets"] is not JsonArray { Count: 2 } offsets)
                throw Invalid(path, $"the header entry '{name}' lacks dtype, shape or data_offsets");
            var shape = shapeNode.Select(s => WholeNumber(s) ?? -1).ToArray();
            if (shape.Any(s => s < 0 || s > data.Length))
                throw Invalid(path, $"tensor '{name}' has the shape {shapeNode.ToJsonString()}, not a list of sizes that fit the file");
            long begin = WholeNumber(offsets[0]) ?? -1, end = WholeNumber(offsets[1]) ?? -1;
            if (begin < 0 || end < begin || end > data.Length)
                throw Invalid(path, $"tensor '{name}' claims bytes {begin}…{end} of a {data.Length}-byte data section");
            tensors[name] = FromBytes(data.Span[(int)begin..(int)end], dtype!, shape, path, name);
        }
    }

    private static long? WholeNumber(JsonNode? node) => node is JsonValue value && value.TryGetValue(out long number) && number >= 0 ? number : null;

    private static InvalidDataException Invalid(string path, string why)
        => new($"{path} is not a safetensors file: {why}. Save state dicts with safetensors.torch.save_file (PyTorch) or Safetensors.Save.");

    private static string DtypeName(ScalarType type, string name) => type switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float64 => "F64",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"Tensor '{name}' has dtype {type}, which safetensors cannot store."),
    };

    private static byte[] BytesOf(Tensor tensor, string name)
    {
        using var scope = NewDisposeScope();
        var cpu = tensor.detach().cpu().contiguous();
        return cpu.dtype switch
        {
            ScalarType.Float32 => MemoryMarshal.AsBytes(cpu.data<float>().ToArray().AsSpan()).ToArray(),
            ScalarType.Float64 => MemoryMarshal.AsBytes(cpu.data<double>().ToArray().AsSpan()).ToArray(),
            ScalarType.Float16 => MemoryMarshal.AsBytes(cpu.data<Half>().ToArray().AsSpan()).ToArray(),
            // bfloat16 → float32 is exact, and the float's upper 16 bits are the bfloat16's.
            ScalarType.BFloat16 => MemoryMarshal.AsBytes(cpu.to_type(ScalarType.Float32).data<float>().ToArray().Select(f => (short)(BitConverter.SingleToInt32Bits(f) >> 16)).ToArray().AsSpan()).ToArray(),
            ScalarType.Int64 => MemoryMarshal.AsBytes(cpu.data<long>().ToArray().AsSpan()).ToArray(),
            ScalarType.Int32 => MemoryMarshal.AsBytes(cpu.data<int>().ToArray().AsSpan()).ToArray(),
            ScalarType.Int16 => MemoryMarshal.AsBytes(cpu.data<short>().ToArray().AsSpan()).ToArray(),
            ScalarType.Int8 => MemoryMarshal.AsBytes(cpu.data<sbyte>().ToArray().AsSpan()).ToArray(),
            ScalarType.Byte => cpu.data<byte>().ToArray(),
            ScalarType.Bool => cpu.data<bool>().ToArray().Select(b => b ? (byte)1 : (byte)0).ToArray(),
            _ => throw new NotSupportedException($"Tensor '{name}' has dtype {cpu.dtype}, which safetensors cannot store."),
        };
    }

    private static Tensor FromBytes(ReadOnlySpan<byte> bytes, string dtype, long[] shape, string path, string name)
    {
        // Every size is at most the byte count (checked by the caller), so the product is checked before it can overflow.
        long count = 1;
        foreach (var dimension in shape) count = count > 0 && dimension > bytes.Length / count ? bytes.Length + 1L : count * dimension;
        int size = dtype switch
        {
            "F64" or "I64" => 8,
            "F32" or "I32" => 4,
            "F16" or "BF16" or "I16" => 2,
            "I8" or "U8" or "BOOL" => 1,
            _ => throw Invalid(path, $"tensor '{name}' has dtype {dtype}, which is not supported (F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)"),
        };
        if (count * size != bytes.Length)
            throw Invalid(path, $"tensor '{name}' of shape [{string.Join(", ", shape)}] and dtype {dtype} needs {count * size} bytes but has {bytes.Length}");
        return dtype switch
        {
            "F32" => torch.tensor(MemoryMarshal.Cast<byte, float>(bytes).ToArray(), shape),
            "F64" => torch.tensor(MemoryMarshal.Cast<byte, double>(bytes).ToArray(), shape),
            "F16" => torch.tensor(MemoryMarshal.Cast<byte, Half>(bytes).ToArray().Select(h => (float)h).ToArray(), shape).to_type(ScalarType.Float16),
            "BF16" => torch.tensor(MemoryMarshal.Cast<byte, short>(bytes).ToArray().Select(b => BitConverter.Int32BitsToSingle(b << 16)).ToArray(), shape).to_type(ScalarType.BFloat16),
            "I64" => torch.tensor(MemoryMarshal.Cast<byte, long>(bytes).ToArray(), shape),
            "I32" => torch.tensor(MemoryMarshal.Cast<byte, int>(bytes).ToArray(), shape),
            "I16" => torch.tensor(MemoryMarshal.Cast<byte, short>(bytes).ToArray(), shape),
            "I8" => torch.tensor(MemoryMarshal.Cast<byte, sbyte>(bytes).ToArray(), shape),
            "U8" => torch.tensor(bytes.ToArray(), shape),
            _ => torch.tensor(bytes.ToArray().Select(b => b != 0).ToArray(), shape),
        };
    }
}
