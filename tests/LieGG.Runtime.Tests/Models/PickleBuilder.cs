using System.IO.Compression;
using System.Text;

namespace LieGG.Runtime.Tests.Models;

/// <summary>Writes pickle opcodes by hand (protocol 2 and 4), to make the streams a hostile or unusual file would hold.</summary>
internal sealed class PickleBuilder
{
    private readonly MemoryStream bytes = new();

    public PickleBuilder Op(params byte[] opcode)
    {
        bytes.Write(opcode);
        return this;
    }

    public PickleBuilder Proto(byte version) => Op(0x80, version);

    public PickleBuilder Global(string module, string name) => Op((byte)'c').Op(Encoding.UTF8.GetBytes($"{module}\n{name}\n"));

    public PickleBuilder Str(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        return Op((byte)'X').Op(BitConverter.GetBytes(utf8.Length)).Op(utf8);
    }

    public PickleBuilder Int(int value) => Op((byte)'J').Op(BitConverter.GetBytes(value));

    public PickleBuilder Mark() => Op((byte)'(');

    public PickleBuilder Tuple() => Op((byte)'t');

    public PickleBuilder EmptyTuple() => Op((byte)')');

    public PickleBuilder Reduce() => Op((byte)'R');

    public PickleBuilder Stop() => Op((byte)'.');

    /// <summary><c>OrderedDict()</c> then MARK: the items that follow end with <see cref="EndDict"/>.</summary>
    public PickleBuilder BeginDict() => Global("collections", "OrderedDict").EmptyTuple().Reduce().Mark();

    public PickleBuilder EndDict() => Op((byte)'u');

    /// <summary><c>_rebuild_tensor_v2(('storage', torch.TYPE, key, 'cpu', count), offset, size, stride, False, OrderedDict())</c>.</summary>
    public PickleBuilder Tensor(string storageType, string key, int count, int offset, int[] size, int[] stride)
    {
        Global("torch._utils", "_rebuild_tensor_v2").Mark();
        Mark().Str("storage").Global("torch", storageType).Str(key).Str("cpu").Int(count).Tuple().Op((byte)'Q');
        Int(offset);
        Mark();
        foreach (var s in size) Int(s);
        Tuple();
        Mark();
        foreach (var s in stride) Int(s);
        Tuple();
        Op(0x89);
        Global("collections", "OrderedDict").EmptyTuple().Reduce();
        return Tuple().Reduce();
    }

    public byte[] ToArray() => bytes.ToArray();

    /// <summary>A torch.save archive: <c>NAME/data.pkl</c>, <c>NAME/data/KEY</c> for each storage, <c>NAME/version</c>; entries stored, as PyTorch writes them.</summary>
    public static void WriteArchive(string path, byte[] pickle, IReadOnlyDictionary<string, byte[]> storages, string name = "archive")
    {
        using var file = File.Create(path);
        using var archive = new ZipArchive(file, ZipArchiveMode.Create);
        void Add(string entryName, byte[] content)
        {
            var entry = archive.CreateEntry(entryName, CompressionLevel.NoCompression);
            using var stream = entry.Open();
            stream.Write(content);
        }
        Add($"{name}/data.pkl", pickle);
        foreach (var (key, content) in storages) Add($"{name}/data/{key}", content);
        Add($"{name}/version", "3\n"u8.ToArray());
    }
}
