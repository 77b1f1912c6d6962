using System.Numerics;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Models.Serialization;

/// <summary>
/// Reads a state dict saved by <c>torch.save(model.state_dict(), path)</c> as <c>torch.load(path, weights_only=True)</c>
/// does: the archive is verified first (<see cref="ZipContainer"/>), then its pickle is read by
/// <see cref="RestrictedUnpickler"/>, which may build only plain containers, <c>collections.OrderedDict</c>, the storage
/// types and the tensor constructors <c>torch._utils._rebuild_tensor[_v2]</c> and <c>_rebuild_parameter</c>. Every tensor
/// is checked against its storage (offset, sizes and strides within it; no more elements than it holds) and copied
/// out, so a file can neither run code, nor make an object of any other class, nor read or allocate beyond its own bytes.
/// </summary>
public static class PickledStateDict
{
    /// <summary>Pickles larger than this are not state dicts (a state dict's pickle holds names and shapes only).</summary>
    public const long MaxPickleBytes = 64L << 20;

    private const string Fix = "Save the model's state dict with torch.save(model.state_dict(), path), or as safetensors.";

    private static readonly Dictionary<string, ScalarType> StorageTypes = new()
    {
        ["DoubleStorage"] = ScalarType.Float64,
        ["FloatStorage"] = ScalarType.Float32,
        ["HalfStorage"] = ScalarType.Float16,
        ["BFloat16Storage"] = ScalarType.BFloat16,
        ["LongStorage"] = ScalarType.Int64,
        ["IntStorage"] = ScalarType.Int32,
        ["ShortStorage"] = ScalarType.Int16,
        ["CharStorage"] = ScalarType.Int8,
        ["ByteStorage"] = ScalarType.Byte,
        ["BoolStorage"] = ScalarType.Bool,
    };

    /// <summary>The globals a state dict's pickle may name, as <c>module.name</c>.</summary>
    public static IReadOnlyList<string> AllowedGlobals { get; } =
        ["collections.OrderedDict", "torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
         .. StorageTypes.Keys.Select(name => $"torch.{name}")];

    /// <summary>The tensors by name, on the CPU, each its own contiguous copy; the caller disposes them.</summary>
    /// <exception cref="InvalidDataException">The file is not a sound state dict, also when it asks for anything but tensors and plain containers. The message names the file.</exception>
    public static Dictionary<string, Tensor> Read(string path)
    {
        using var container = ZipContainer.Open(path, Fix);
        var pickles = container.EndingWith("data.pkl").Where(e => e.FullName.Count(c => c == '/') == 1).ToList();
        if (pickles.Count != 1)
            throw new InvalidDataException($"{path} holds {pickles.Count} data.pkl records at the archive's top folder, not one; it is not a torch.save archive. {Fix}");
        string prefix = pickles[0].FullName[..^"data.pkl".Length];
        if (container.Entries.FirstOrDefault(e => e.FullName == prefix + "byteorder") is { } byteOrder
            && Encoding.ASCII.GetString(container.Read(byteOrder, 16, Fix)) != "little")
            throw new InvalidDataException($"{path} was saved on a big-endian machine; load and re-save it on a little-endian one. {Fix}");

        using var storages = new StorageCache(container, prefix, path);
        using var built = new DisposableList();
        var globals = new Dictionary<PickleGlobal, Func<object?[], object?>?>
        {
            [new("collections", "OrderedDict")] = arguments => arguments.Length == 0 ? new PickleDict() : throw Invalid(path, "OrderedDict is called with items; only an empty one is made"),
            [new("torch._utils", "_rebuild_tensor_v2")] = arguments => built.Add(RebuildTensor(arguments, path, minimum: 6)),
            [new("torch._utils", "_rebuild_tensor")] = arguments => built.Add(RebuildTensor(arguments, path, minimum: 4)),
            [new("torch._utils", "_rebuild_parameter")] = arguments => arguments is [Tensor data, ..] ? data : throw Invalid(path, "_rebuild_parameter without a tensor"),
        };
        foreach (var name in StorageTypes.Keys) globals[new("torch", name)] = null;

        var pickle = container.Read(pickles[0], MaxPickleBytes, Fix);
        var root = new RestrictedUnpickler(pickle, path, globals, storages.Load).Load();
        if (root is not PickleDict dict)
            throw Invalid(path, $"the file holds {PickleValues.Describe(root)}, not a state dict; save the model's state_dict(), not the model or a tensor");
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, value) in dict.Items)
        {
            if (key is not string name) throw Invalid(path, $"a key is {PickleValues.Describe(key)}, not a tensor's name");
            if (value is not Tensor tensor)
                throw Invalid(path, $"entry '{name}' is {PickleValues.Describe(value)}, not a tensor; save the model's state_dict(), not a checkpoint dictionary");
            tensors[name] = tensor;
        }
        built.Keep(tensors.Values);
        return tensors;
    }

    private static Tensor RebuildTensor(object?[] arguments, string path, int minimum)
    {
        if (arguments.Length < minimum || arguments[0] is not Storage storage || arguments[1] is not long offset
            || arguments[2] is not PickleTuple size || arguments[3] is not PickleTuple stride)
            throw Invalid(path, "a tensor is rebuilt from arguments other than (storage, offset, size, stride, …)");
        var sizes = Longs(size, path);
        var strides = Longs(stride, path);
        if (sizes.Length != strides.Length || sizes.Length > 64)
            throw Invalid(path, $"a tensor has {sizes.Length} sizes and {strides.Length} strides");
        if (offset < 0 || sizes.Any(s => s < 0) || strides.Any(s => s < 0))
            throw Invalid(path, $"a tensor has a negative offset, size or stride ({offset}; [{string.Join(", ", sizes)}]; [{string.Join(", ", strides)}])");
        BigInteger count = sizes.Aggregate(BigInteger.One, (a, b) => a * b);
        BigInteger last = offset + sizes.Zip(strides).Aggregate(BigInteger.Zero, (a, p) => a + (p.First - 1) * (BigInteger)p.Second);
        if (count > 0 && (last >= storage.Count || count > storage.Count))
            throw Invalid(path, $"a tensor of size [{string.Join(", ", sizes)}], stride [{string.Join(", ", strides)}] and offset {offset} reaches beyond its storage of {storage.Count} elements");
        using var view = count == 0 ? torch.empty(sizes, storage.Data.dtype) : storage.Data.as_strided(sizes, strides, offset);
        return view.clone();
    }

    private static long[] Longs(PickleTuple tuple, string path)
        => tuple.Items.Select(item => item is long value ? value : throw Invalid(path, $"a tensor's size or stride holds {PickleValues.Describe(item)}")).ToArray();

    private static InvalidDataException Invalid(string path, string why) => new($"{path} is not a state dict this reader loads: {why}. {Fix}");

    /// <summary>One storage: its elements as a flat tensor.</summary>
    private sealed record Storage(Tensor Data, long Count);

    /// <summary>Storages by key, each read once from <c>data/KEY</c> with exactly the bytes its persistent id announces.</summary>
    private sealed class StorageCache(ZipContainer container, string prefix, string path) : IDisposable
    {
        private readonly Dictionary<string, Storage> storages = [];

        public object? Load(object? persistentId)
        {
            if (persistentId is not PickleTuple { Items: ["storage", PickleGlobal type, string key, string, long count] })
                throw Invalid(path, $"a persistent id is {PickleValues.Describe(persistentId)}, not ('storage', type, key, location, count)");
            var dtype = StorageTypes.TryGetValue(type.Name, out var known) && type.Module == "torch"
                ? known : throw Invalid(path, $"the storage type {type} is not one this reader loads");
            if (storages.TryGetValue(key, out var cached))
                return cached.Data.dtype == dtype && cached.Count == count ? cached : throw Invalid(path, $"storage '{key}' is announced twice, differently");
            var entry = container.Entries.FirstOrDefault(e => e.FullName == $"{prefix}data/{key}")
                ?? throw Invalid(path, $"storage '{key}' is missing from the archive (no {prefix}data/{key})");
            long elementSize = dtype switch
            {
                ScalarType.Float64 or ScalarType.Int64 => 8,
                ScalarType.Float32 or ScalarType.Int32 => 4,
                ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
                _ => 1,
            };
            if (count < 0 || count > entry.Length / elementSize || count * elementSize != entry.Length)
                throw Invalid(path, $"storage '{key}' announces {count} elements of {elementSize} bytes but holds {entry.Length} bytes");
            var bytes = container.Read(entry, entry.Length, Fix);
            var data = torch.empty(count, dtype);
            if (bytes.Length > 0) data.bytes = bytes;
            var storage = new Storage(data, count);
            storages[key] = storage;
            return storage;
        }

        public void Dispose()
        {
            foreach (var storage in storages.Values) storage.Data.Dispose();
        }
    }

    /// <summary>Tensors made while reading: all disposed on failure, all but the returned ones on success.</summary>
    private sealed class DisposableList : IDisposable
    {
        private readonly List<Tensor> tensors = [];
        private HashSet<object>? kept;

        public Tensor Add(Tensor tensor)
        {
            tensors.Add(tensor);
            return tensor;
        }

        public void Keep(IEnumerable<Tensor> returned) => kept = new HashSet<object>(returned, ReferenceEqualityComparer.Instance);

        public void Dispose()
        {
            foreach (var tensor in tensors)
                if (kept is null || !kept.Contains(tensor)) tensor.Dispose();
        }
    }
}
