using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Models;
using LieGG.Runtime.Symmetry;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Models;

/// <summary>
/// Networks trained in PyTorch, brought in as TorchScript modules or safetensors state dicts, checked against what
/// PyTorch itself computed (Fixtures/pytorch, made by tools/pytorch-fixtures/make_fixtures.py).
/// </summary>
public sealed class PyTorchImportTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch", name);

    private static Dictionary<string, Tensor> Expected() => Safetensors.Load(Fixture("o5-mlp-expected.safetensors"));

    private static Mlp O5Mlp(int width = 32) => Mlp.Create(new MlpOptions(10, 1, 2, width, Activation.Swish, Bias: false), seed: 99);

    [Fact]
    public void A_pytorch_state_dict_loads_into_the_declared_mlp_and_computes_what_pytorch_computed()
    {
        using var mlp = O5Mlp();
        StateDict.Load(mlp, Fixture("o5-mlp.safetensors"));
        var expected = Expected();
        using var _ = no_grad();
        var outputs = mlp.forward(expected["inputs"].to_type(ScalarType.Float32)).to_type(ScalarType.Float64);
        Assert.True(outputs.allclose(expected["outputs"], rtol: 1e-5, atol: 1e-6), "forward outputs equal PyTorch's to float32 round-off");
    }

    [Fact]
    public void A_state_dict_pickled_by_torch_save_loads_like_its_safetensors_twin()
    {
        using var mlp = O5Mlp();
        StateDict.Load(mlp, Fixture("o5-mlp-state.pt"));
        var expected = Expected();
        using var _ = no_grad();
        var outputs = mlp.forward(expected["inputs"].to_type(ScalarType.Float32)).to_type(ScalarType.Float64);
        Assert.True(outputs.allclose(expected["outputs"], rtol: 1e-5, atol: 1e-6));
    }

    [Theory]
    [InlineData("o5-mlp.safetensors", ModelFileKind.Safetensors)]
    [InlineData("o5-mlp-state.pt", ModelFileKind.PickledStateDict)]
    [InlineData("o5-mlp.pt", ModelFileKind.TorchScript)]
    [InlineData("o5-inputs.npy", ModelFileKind.Unknown)]
    public void Model_files_are_told_apart_by_content(string file, ModelFileKind kind) => Assert.Equal(kind, ModelFile.KindOf(Fixture(file)));

    [Fact]
    public void A_torchscript_mlp_gives_pytorchs_outputs_and_polarization_rows()
    {
        using var model = TorchScriptModel.Load(Fixture("o5-mlp.pt"));
        var expected = Expected();
        var inputs = expected["inputs"].to_type(ScalarType.Float32);
        using (no_grad())
            Assert.True(model.forward(inputs).to_type(ScalarType.Float64).allclose(expected["outputs"], rtol: 1e-5, atol: 1e-6));

        var matrix = Polarization.Compute(model, inputs, new GenericPrior(5, 2), new PolarizationOptions { Transform = OutputTransform.None });
        var rows = expected["rows"].data<double>().ToArray();
        Assert.Equal(rows.Length, matrix.Values.Length);
        double scale = rows.Max(Math.Abs);
        for (int i = 0; i < rows.Length; i++) Assert.True(Math.Abs(rows[i] - matrix.Values[i]) <= 1e-5 * scale, $"row entry {i}: {matrix.Values[i]} vs PyTorch's {rows[i]}");
    }

    [Fact]
    public void An_exactly_invariant_torchscript_function_gives_so5_at_round_off()
    {
        using var model = TorchScriptModel.Load(Fixture("o5-invariant.pt"));
        using var data = O5Synthetic.Create(new O5Options { Seed = 3, TrainCount = 400, ValidationCount = 10, TestCount = 10 }).Data;

        var matrix = Polarization.Compute(model, data.Train.Inputs.to_type(ScalarType.Float64), new GenericPrior(5, 2), new PolarizationOptions { Transform = OutputTransform.None });
        var symmetry = SymmetryAnalyzer.Analyze(matrix, LieAlgebra.For(Group.SO, 5, 5), new SymmetryOptions { BootstrapResamples = 0 });

        // so(5) has dimension 10: the ten smallest directions are its generators, at float64 round-off; the eleventh is not.
        Assert.True(symmetry.Spectrum[9] < 1e-20 * symmetry.Spectrum[^1], $"λ10 = {symmetry.Spectrum[9]} against λmax = {symmetry.Spectrum[^1]}");
        Assert.True(symmetry.Spectrum[10] > 1e-3 * symmetry.Spectrum[^1]);
        Assert.All(symmetry.Bias!.Take(10), b => Assert.True(b < 1e-7, $"bias {b}"));
        Assert.All(symmetry.PrincipalAngles!, angle => Assert.True(angle < 1e-6, $"principal angle {angle}"));
    }

    [Fact]
    public void A_state_dict_of_another_architecture_is_refused_with_every_difference()
    {
        using var narrow = O5Mlp(width: 16);
        var error = Assert.Throws<InvalidDataException>(() => StateDict.Load(narrow, Fixture("o5-mlp.safetensors")));
        Assert.Contains("o5-mlp.safetensors does not fit this Mlp", error.Message);
        Assert.Contains("mis-shaped: linears.0.weight is [32, 10], the module's is [16, 10]", error.Message);
        Assert.Contains("It expects: linears.0.weight [16, 10]", error.Message);

        using var mlp = O5Mlp();
        var renamed = Safetensors.Load(Fixture("o5-mlp.safetensors"));
        renamed["layers.0.weight"] = renamed["linears.0.weight"];
        renamed.Remove("linears.0.weight");
        var names = Assert.Throws<InvalidDataException>(() => StateDict.Load(mlp, renamed, "renamed.safetensors"));
        Assert.Contains("missing: linears.0.weight", names.Message);
        Assert.Contains("unexpected: layers.0.weight", names.Message);
    }

    [Fact]
    public void Files_that_are_not_what_they_claim_are_refused_by_name()
    {
        var notScript = Assert.Throws<InvalidDataException>(() => TorchScriptModel.Load(Fixture("o5-mlp.safetensors")));
        Assert.Contains("o5-mlp.safetensors is not a TorchScript module", notScript.Message);
        Assert.Contains("torch.jit.save", notScript.Message);

        var notSafetensors = Assert.Throws<InvalidDataException>(() => Safetensors.Load(Fixture("o5-mlp.pt")));
        Assert.Contains("o5-mlp.pt is not a safetensors file", notSafetensors.Message);

        using var tuple = TorchScriptModel.Load(Fixture("tuple-output.pt"));
        var notTensor = Assert.Throws<InvalidDataException>(() => tuple.forward(torch.zeros(2, 10)));
        Assert.Contains("does not return one tensor", notTensor.Message);
    }
}
