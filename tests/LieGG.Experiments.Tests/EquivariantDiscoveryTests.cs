using System.Text.Json;
using LieGG.Dsl;
using LieGG.Runtime.Experiments;
using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Symmetry.Joint;

namespace LieGG.Experiments.Tests;

/// <summary>The declared equivariant experiments end to end: their exact controls, typed results, and <c>analyze --output-representation</c>.</summary>
[Collection(TestHostCollection.Name)]
public sealed class EquivariantDiscoveryTests : IDisposable
{
    private readonly string output = Directory.CreateTempSubdirectory("liegg-pairs-").FullName;

    public void Dispose() => Directory.Delete(output, recursive: true);

    [Fact]
    public void The_exact_O5_control_recovers_the_ten_diagonal_so5_pairs()
    {
        var joint = O5EquivariantControl.Run(new ExperimentRunOptions { Quick = true }).Joint;
        Assert.Equal("diagonal so(5)", joint.Algebra);
        Assert.Equal(10, joint.NullDimension);
        Assert.All(joint.Bias!.Take(10), b => Assert.True(b < 1e-6, $"bias {b:E3}"));
        Assert.True(joint.GapRatio >= 1e3, $"gap {joint.GapRatio:E3}");
        Assert.NotNull(joint.VarianceInterval);
    }

    [Fact]
    public void The_exact_inertia_control_recovers_co3_with_so3_inside_it_on_positions_and_tensor()
    {
        var joint = InertiaControl.Run(new ExperimentRunOptions { Quick = true }).Joint;
        Assert.Equal("diagonal co(3)", joint.Algebra);
        Assert.Equal(4, joint.NullDimension);
        Assert.All(joint.Bias!.Take(4), b => Assert.True(b < 1e-6, $"bias {b:E3}"));
        Assert.True(joint.ClosureResidual < 1e-6, $"closure {joint.ClosureResidual:E3}");

        // so(3) acting on the positions and as h ⊗ I + I ⊗ h on the tensor lies in the recovered span.
        var output = new TensorOutput(3);
        var so3 = PairAlgebra.Of(LieAlgebra.SpecialOrthogonal(3), PairTruth.Diagonal, output).Orthonormal(3, 3, 3, 3);
        var recovered = OrthonormalBasis.Create(new LieAlgebra("recovered", joint.Pairs.Take(4).Select(p =>
        {
            var row = new double[1, 18];
            for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                row[0, i * 3 + j] = p.A[i][j];
                row[0, 9 + i * 3 + j] = p.B[i][j];
            }
            return row;
        }).ToList()), 1, 18);
        Assert.All(SubspaceGeometry.PrincipalAngles(so3.Vectors, recovered.Vectors), a => Assert.True(a < 1e-6, $"angle {a:E3}"));
    }

    [Fact]
    [Trait("Category", "EndToEnd")]
    public void Analyze_finds_pairs_on_a_run_folder_and_the_invariant_representation_gives_LieGGs_numbers()
    {
        var (trained, trainLog) = ExperimentsProgram.Run("run", "o5-regression", "--quick", "--out", output);
        Assert.True(trained == 0, trainLog);
        string run = Directory.GetDirectories(Path.Combine(output, "o5-regression")).Single();

        var (exit, log) = ExperimentsProgram.Run("analyze", run, "--output-representation", "invariant", "--out", output);
        Assert.True(exit == 0, log);
        Assert.Contains("pair variance", log);
        var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory.GetDirectories(Path.Combine(output, "o5-regression")).Single(f => f.EndsWith("-analysis", StringComparison.Ordinal)), "result.json")))
            .RootElement.GetProperty("result");
        // One output: LieGG's own analysis is the per-output one, so B = 0 reproduces it to the last digit.
        var symmetry = result.GetProperty("symmetry");
        var joint = result.GetProperty("joint");
        Assert.Equal(symmetry.GetProperty("variance").GetDouble(), joint.GetProperty("variance").GetDouble());
        Assert.Equal(symmetry.GetProperty("bias").EnumerateArray().Select(b => b.GetDouble()), joint.GetProperty("bias").EnumerateArray().Select(b => b.GetDouble()));
        Assert.All(joint.GetProperty("pairs").EnumerateArray(), pair => Assert.Equal(0, pair.GetProperty("b").GetArrayLength()));
    }

    [Fact]
    [Trait("Category", "EndToEnd")]
    public void A_TorchScript_module_on_its_inputs_takes_an_output_representation_too()
    {
        string fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch");
        var (exit, log) = ExperimentsProgram.Run("analyze", Path.Combine(fixtures, "o5-invariant.pt"), "--inputs", Path.Combine(fixtures, "o5-inputs.npy"),
            "--prior", "generic:5x2", "--ground-truth", "so", "--output-representation", "invariant", "--out", output);
        Assert.True(exit == 0, log);
        var joint = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory.GetDirectories(Path.Combine(output, "o5-invariant")).Single(), "result.json")))
            .RootElement.GetProperty("result").GetProperty("joint");
        // The module computes the O(5)-invariant function in float64: ten pairs (h, 0) with h ∈ so(5), to round-off.
        Assert.Equal("so(5)", joint.GetProperty("algebra").GetString());
        Assert.Equal(10, joint.GetProperty("nullDimension").GetInt32());
        Assert.All(joint.GetProperty("bias").EnumerateArray().Take(10), b => Assert.True(b.GetDouble() < 1e-6, $"bias {b}"));
    }

    [Fact]
    [Trait("Category", "EndToEnd")]
    public void A_representation_that_does_not_fit_the_network_is_refused_before_any_analysis()
    {
        var (exit, log) = ExperimentsProgram.Run("analyze", "missing-run", "--output-representation", "vectors:0", "--out", output);
        Assert.Equal(2, exit);
        Assert.Contains("--output-representation 'vectors:0' is not vectors, vectors:C (C copies of R^n), tensor or invariant", log);

        var (trained, trainLog) = ExperimentsProgram.Run("run", "o5-regression", "--quick", "--out", output);
        Assert.True(trained == 0, trainLog);
        string run = Directory.GetDirectories(Path.Combine(output, "o5-regression")).Single();
        var (tensorExit, tensorLog) = ExperimentsProgram.Run("analyze", run, "--output-representation", "tensor", "--out", output);
        Assert.Equal(2, tensorExit);
        Assert.Contains("A rank-2 tensor on R^5 has 25 components but the network gives 1 outputs per sample", tensorLog);
        Assert.Single(Directory.GetDirectories(Path.Combine(output, "o5-regression")));
    }
}
