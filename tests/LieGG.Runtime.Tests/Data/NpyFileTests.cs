using LieGG.Runtime.Data;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Data;

/// <summary>.npy arrays written by numpy.save (Fixtures/pytorch, tools/pytorch-fixtures/make_fixtures.py).</summary>
public sealed class NpyFileTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch", name);

    [Fact]
    public void Numpy_arrays_read_with_their_shape_dtype_and_values()
    {
        using var small = NpyFile.Read(Fixture("small-f32.npy"));
        Assert.Equal(ScalarType.Float32, small.dtype);
        Assert.Equal([2L, 3], small.shape);
        Assert.Equal([0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f], small.data<float>().ToArray());

        using var inputs = NpyFile.Read(Fixture("o5-inputs.npy"));
        Assert.Equal(ScalarType.Float64, inputs.dtype);
        Assert.Equal([200L, 10], inputs.shape);
    }

    [Fact]
    public void Fortran_order_and_other_files_are_refused_with_the_fix()
    {
        var fortran = Assert.Throws<InvalidDataException>(() => NpyFile.Read(Fixture("small-fortran.npy")));
        Assert.Contains("Fortran order", fortran.Message);
        Assert.Contains("numpy.ascontiguousarray", fortran.Message);
        var other = Assert.Throws<InvalidDataException>(() => NpyFile.Read(Fixture("o5-mlp.safetensors")));
        Assert.Contains("o5-mlp.safetensors is not a .npy array", other.Message);
    }
}
