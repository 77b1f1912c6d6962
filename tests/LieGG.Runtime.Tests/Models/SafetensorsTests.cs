using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using LieGG.Runtime.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Models;

public sealed class SafetensorsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("liegg-safetensors-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void The_file_is_laid_out_as_the_format_says()
    {
        var path = Path.Combine(folder, "two.safetensors");
        Safetensors.Save(new Dictionary<string, Tensor>
        {
            ["b"] = torch.tensor(new[] { 1.5f, -2f }),
            ["a"] = torch.tensor(new long[] { 7, 8, 9 }, new long[] { 3, 1 }),
        }, path, new Dictionary<string, string> { ["note"] = "x" });

        var bytes = File.ReadAllBytes(path);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0UL, headerLength % 8);
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLength).TrimEnd(' '));
        var a = header.RootElement.GetProperty("a");
        Assert.Equal("I64", a.GetProperty("dtype").GetString());
        Assert.Equal([3, 1], a.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal([0, 24], a.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal([24, 32], header.RootElement.GetProperty("b").GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal("x", header.RootElement.GetProperty("__metadata__").GetProperty("note").GetString());
        var data = bytes.AsSpan(8 + (int)headerLength);
        Assert.Equal(32, data.Length);
        Assert.Equal(7L, BinaryPrimitives.ReadInt64LittleEndian(data));
        Assert.Equal(-2f, BinaryPrimitives.ReadSingleLittleEndian(data[28..]));
    }

    [Fact]
    public void Every_supported_dtype_round_trips_exactly()
    {
        var path = Path.Combine(folder, "all.safetensors");
        var tensors = new Dictionary<string, Tensor>
        {
            ["f32"] = torch.randn(3, 4, generator: new Generator(1)),
            ["f64"] = torch.randn(5, dtype: ScalarType.Float64, generator: new Generator(2)),
            ["bf16"] = torch.randn(6, generator: new Generator(3)).to_type(ScalarType.BFloat16),
            ["f16"] = torch.randn(2, 2, generator: new Generator(4)).to_type(ScalarType.Float16),
            ["i64"] = torch.arange(10L).reshape(2, 5),
            ["u8"] = torch.tensor(new byte[] { 0, 255, 3 }),
            ["bool"] = torch.tensor(new[] { true, false }),
        };
        Safetensors.Save(tensors, path);
        var loaded = Safetensors.Load(path, out var metadata);

        Assert.Empty(metadata);
        Assert.Equal(tensors.Keys.Order(), loaded.Keys.Order());
        foreach (var (name, tensor) in tensors)
        {
            Assert.Equal(tensor.dtype, loaded[name].dtype);
            Assert.Equal(tensor.shape, loaded[name].shape);
            Assert.True(tensor.eq(loaded[name]).all().item<bool>(), name);
        }
    }

    [Fact]
    public void A_truncated_file_is_refused_by_name()
    {
        var path = Path.Combine(folder, "cut.safetensors");
        Safetensors.Save(new Dictionary<string, Tensor> { ["w"] = torch.ones(100) }, path);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^40]);
        var error = Assert.Throws<InvalidDataException>(() => Safetensors.Load(path));
        Assert.Contains("cut.safetensors is not a safetensors file", error.Message);
        Assert.Contains("tensor 'w'", error.Message);
    }
}
