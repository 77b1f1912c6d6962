using LieGG.Runtime.Models;
using LieGG.Runtime.Models.Serialization;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Models;

/// <summary>
/// State dicts pickled by <c>torch.save</c> are read as <c>torch.load(weights_only=True)</c> reads them: tensors and plain
/// containers only. Hostile pickles (the classic <c>os.system</c> payloads, object construction) are refused by name
/// before anything is built, and tensors are checked against their storages.
/// </summary>
public sealed class PickledStateDictTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("liegg-pickle-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static byte[] Floats(params float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    private string Archive(PickleBuilder pickle, Dictionary<string, byte[]>? storages = null)
    {
        var path = Path.Combine(folder, $"model-{Guid.NewGuid():N}.pt");
        PickleBuilder.WriteArchive(path, pickle.ToArray(), storages ?? []);
        return path;
    }

    [Fact]
    public void Views_read_their_own_elements_of_a_shared_storage()
    {
        // One storage 0…5; 'a' is its transpose-view [[0,3],[1,4],[2,5]] (size 3×2, stride 1,3); 'b' is elements 4, 5.
        var pickle = new PickleBuilder().Proto(2).BeginDict()
            .Str("a").Tensor("FloatStorage", "0", 6, 0, [3, 2], [1, 3])
            .Str("b").Tensor("FloatStorage", "0", 6, 4, [2], [1])
            .EndDict().Stop();
        var tensors = PickledStateDict.Read(Archive(pickle, new() { ["0"] = Floats(0, 1, 2, 3, 4, 5) }));
        Assert.Equal(["a", "b"], tensors.Keys);
        Assert.Equal([0f, 3f, 1f, 4f, 2f, 5f], tensors["a"].data<float>().ToArray());
        Assert.Equal([3L, 2L], tensors["a"].shape);
        Assert.Equal([4f, 5f], tensors["b"].data<float>().ToArray());
        foreach (var tensor in tensors.Values) tensor.Dispose();
    }

    [Theory]
    [InlineData("os", "system")]
    [InlineData("builtins", "eval")]
    [InlineData("subprocess", "Popen")]
    [InlineData("torch", "load")]
    public void A_global_outside_tensors_and_containers_is_refused_by_name(string module, string name)
    {
        // pickle.dumps of an object whose __reduce__ returns (module.name, ('id',)): what a malicious .pt holds.
        var pickle = new PickleBuilder().Proto(2).Global(module, name).Mark().Str("id").Tuple().Reduce().Stop();
        var error = Assert.Throws<InvalidDataException>(() => ModelFile.ReadStateDict(Archive(pickle)));
        Assert.Contains($"the global {module}.{name}", error.Message);
        Assert.Contains("refuses", error.Message);
        Assert.Contains("model-", error.Message);
    }

    [Fact]
    public void A_protocol_4_stack_global_is_checked_like_a_global()
    {
        var pickle = new PickleBuilder().Proto(4).Op(0x8c, 2).Op("os"u8.ToArray()).Op(0x8c, 6).Op("system"u8.ToArray()).Op(0x93)
            .Op(0x8c, 2).Op("id"u8.ToArray()).Op(0x85).Reduce().Stop();
        var error = Assert.Throws<InvalidDataException>(() => ModelFile.ReadStateDict(Archive(pickle)));
        Assert.Contains("the global os.system", error.Message);
    }

    [Theory]
    [InlineData((byte)0x81, "NEWOBJ")]
    [InlineData((byte)'o', "OBJ")]
    [InlineData((byte)0x82, "EXT")]
    public void Object_construction_is_refused(byte opcode, string named)
    {
        var pickle = new PickleBuilder().Proto(2).Global("collections", "OrderedDict").EmptyTuple().Op(opcode, 1).Stop();
        var error = Assert.Throws<InvalidDataException>(() => ModelFile.ReadStateDict(Archive(pickle)));
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void A_storage_type_may_be_named_but_not_called()
    {
        var pickle = new PickleBuilder().Proto(2).Global("torch", "FloatStorage").Mark().Int(1000000).Tuple().Reduce().Stop();
        var error = Assert.Throws<InvalidDataException>(() => ModelFile.ReadStateDict(Archive(pickle)));
        Assert.Contains("a call of torch.FloatStorage", error.Message);
    }

    [Theory]
    [InlineData(6, 0, new[] { 7 }, new[] { 1 }, "reaches beyond its storage of 6 elements")]
    [InlineData(6, 5, new[] { 2 }, new[] { 1 }, "reaches beyond its storage of 6 elements")]
    [InlineData(6, 0, new[] { 1000000, 1000000 }, new[] { 0, 0 }, "reaches beyond its storage")]
    [InlineData(6, 0, new[] { 3 }, new[] { -1 }, "negative offset, size or stride")]
    [InlineData(7, 0, new[] { 2 }, new[] { 1 }, "announces 7 elements of 4 bytes but holds 24 bytes")]
    public void A_tensor_must_lie_within_its_storage(int announced, int offset, int[] size, int[] stride, string expected)
    {
        var pickle = new PickleBuilder().Proto(2).BeginDict().Str("w").Tensor("FloatStorage", "0", announced, offset, size, stride).EndDict().Stop();
        var error = Assert.Throws<InvalidDataException>(() => PickledStateDict.Read(Archive(pickle, new() { ["0"] = Floats(0, 1, 2, 3, 4, 5) })));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_damaged_archive_is_named_before_any_pickle_is_read()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch", "o5-mlp-state.pt");
        var bytes = File.ReadAllBytes(path);
        // Flip one bit inside the first storage's bytes (after the data.pkl entry): the CRC no longer matches.
        int at = bytes.AsSpan().IndexOf("o5-mlp-state/data/0"u8) + "o5-mlp-state/data/0"u8.Length + 100;
        bytes[at] ^= 0x10;
        var damaged = Path.Combine(folder, "damaged.pt");
        File.WriteAllBytes(damaged, bytes);
        var error = Assert.Throws<InvalidDataException>(() => ModelFile.ReadStateDict(damaged));
        Assert.Contains("damaged.pt is not a sound PyTorch archive", error.Message);
        Assert.Contains("CRC-32", error.Message);
    }
}
