using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Models;
using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Symmetry.Joint;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Symmetry.Joint;

/// <summary>The joint analysis of pairs (A, B) against functions whose pairs are known exactly, computed in float64.</summary>
public sealed class JointSymmetryTests
{
    private static Tensor Gaussian(int rows, int columns, int seed)
    {
        var random = new SeededRandom(seed);
        return tensor(Enumerable.Range(0, rows * columns).Select(_ => random.NextGaussian()).ToArray(), new long[] { rows, columns });
    }

    private static JointGram Gram(Func<Tensor, Tensor> function, Tensor inputs, ISymmetryPrior prior, OutputRepresentation output, int resamples = 0)
    {
        using var prepared = PolarizationInputs.Prepare(inputs, prior);
        return JointPolarization.Compute(function, prepared, output, new JointOptions { BatchSize = 256, BootstrapResamples = resamples, BootstrapSeed = 3 });
    }

    /// <summary>A random two-layer tanh network in float64, seeded.</summary>
    private static Func<Tensor, Tensor> RandomNetwork(int inputs, int outputs, int seed, int hidden = 16)
    {
        var random = new SeededRandom(seed);
        var w1 = tensor(Enumerable.Range(0, hidden * inputs).Select(_ => random.NextGaussian() / Math.Sqrt(inputs)).ToArray(), new long[] { hidden, inputs });
        var w2 = tensor(Enumerable.Range(0, outputs * hidden).Select(_ => random.NextGaussian() / Math.Sqrt(hidden)).ToArray(), new long[] { outputs, hidden });
        var b1 = tensor(Enumerable.Range(0, hidden).Select(_ => 0.3 * random.NextGaussian()).ToArray());
        return x => (x.mm(w1.T) + b1).tanh().mm(w2.T);
    }

    [Fact]
    public void The_exactly_equivariant_O5_function_recovers_the_ten_diagonal_so5_pairs()
    {
        var output = new VectorOutput(5);
        var gram = Gram(O5EquivariantSynthetic.Target, Gaussian(2000, 10, seed: 1), new GenericPrior(5, 2), output);
        var result = JointSymmetryAnalyzer.Analyze(gram, output, PairAlgebra.Of(LieAlgebra.SpecialOrthogonal(5), PairTruth.Diagonal, output));

        Assert.Equal(50, result.Spectrum.Length);
        Assert.Equal(10, result.NullDimension);
        Assert.Equal(10, result.SubspaceDimension);
        Assert.All(result.Bias!.Take(10), b => Assert.True(b < 1e-6, $"bias {b:E3} of a null pair"));
        Assert.All(result.PrincipalAngles!, a => Assert.True(a < 1e-6, $"principal angle {a:E3}"));
        Assert.True(result.GapRatio >= 1e3, $"gap {result.GapRatio:E3}");
        Assert.True(result.ClosureResidual < 1e-6, $"closure {result.ClosureResidual:E3}");
        // A null pair is (h, h): A and B agree entry by entry, and A is antisymmetric.
        foreach (var pair in result.Pairs.Take(10))
            for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++)
            {
                Assert.Equal(pair.A[i][j], pair.B[i][j], 6);
                Assert.Equal(-pair.A[j][i], pair.A[i][j], 6);
            }
    }

    [Fact]
    public void A_network_with_invariant_outputs_recovers_pairs_whose_B_is_zero()
    {
        static Tensor Invariants(Tensor x)
        {
            var x1 = x[.., ..5];
            var x2 = x[.., 5..];
            var n1 = x1.norm(1, keepdim: true);
            var n2 = x2.norm(1, keepdim: true);
            var dot = (x1 * x2).sum(1, keepdim: true);
            return torch.cat(new[] { n1, n2, dot, n1 * n2, n1.sin() + dot * n2 }, 1);
        }
        var output = new VectorOutput(5);
        var gram = Gram(Invariants, Gaussian(1500, 10, seed: 2), new GenericPrior(5, 2), output);
        var so5 = LieAlgebra.SpecialOrthogonal(5);
        var invariance = JointSymmetryAnalyzer.Analyze(gram, output, PairAlgebra.Of(so5, PairTruth.InputOnly, output));
        var equivariance = JointSymmetryAnalyzer.Analyze(gram, output, PairAlgebra.Of(so5, PairTruth.Diagonal, output));

        Assert.Equal(10, invariance.NullDimension);
        Assert.All(invariance.Pairs.Take(10), pair => Assert.True(Norm(pair.B) < 1e-6, $"‖B‖ = {Norm(pair.B):E3}"));
        Assert.All(invariance.Bias!.Take(10), b => Assert.True(b < 1e-6, $"bias against so(5) ⊕ 0: {b:E3}"));
        // Against the diagonal the same pairs lie at 45°: (h, 0) is 1/√2 from (h, h)/√2's span.
        Assert.All(equivariance.Bias!.Take(10), b => Assert.Equal(Math.Sqrt(0.5), b, 6));
    }

    [Fact]
    public void A_random_network_has_no_pairs_near_the_group_and_no_gap()
    {
        var output = new VectorOutput(5);
        var gram = Gram(RandomNetwork(10, 5, seed: 4), Gaussian(1000, 10, seed: 5), new GenericPrior(5, 2), output);
        var result = JointSymmetryAnalyzer.Analyze(gram, output, PairAlgebra.Of(LieAlgebra.SpecialOrthogonal(5), PairTruth.Diagonal, output));

        Assert.Equal(0, result.NullDimension);
        Assert.True(result.MinBias > 0.5, $"min bias {result.MinBias:E3}");
        Assert.True(result.GapRatio < 10, $"gap {result.GapRatio:E3}");
    }

    [Fact]
    public void Joint_rows_equal_brute_force_Jacobians_for_vector_and_tensor_outputs()
    {
        var inputs = Gaussian(40, 6, seed: 6);
        var prior = new GenericPrior(3, 2);
        foreach (OutputRepresentation output in new OutputRepresentation[] { new VectorOutput(3, 2), new TensorOutput(3) })
        {
            int m = output is TensorOutput ? 9 : 6;
            var network = RandomNetwork(6, m, seed: 7);
            var gram = Gram(network, inputs, prior, output);
            var expected = BruteForceGram(network, inputs, output, m);
            double scale = expected.Max(Math.Abs);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(gram.Values[i] - expected[i]) <= 1e-12 * scale, $"{output.Description}: entry {i}: {gram.Values[i]} vs {expected[i]}");
        }
    }

    /// <summary>
    /// Σ rᵀr from rows built entry by entry: the Jacobian by one backward pass per output, A's coefficient Σ_v ∂F_o/∂x_v[k]·x_v[j],
    /// B's from the definition of the action (vectors: δ_kk′·F_u[j]; tensors: δ_ak·T_jb + δ_bk·T_aj).
    /// </summary>
    private static double[] BruteForceGram(Func<Tensor, Tensor> network, Tensor inputs, OutputRepresentation output, int m)
    {
        const int n = 3, copies = 2;
        int d = 2 * n * n;
        var gram = new double[d * d];
        for (int s = 0; s < inputs.shape[0]; s++)
        {
            var x = inputs[s].unsqueeze(0).detach().requires_grad_(true);
            var y = network(x);
            var f = y.detach().reshape(-1).data<double>().ToArray();
            var xs = x.detach().reshape(-1).data<double>().ToArray();
            for (int o = 0; o < m; o++)
            {
                var g = torch.autograd.grad(new[] { y[0, o] }, new[] { x }, retain_graph: true)[0].reshape(-1).data<double>().ToArray();
                var row = new double[d];
                for (int k = 0; k < n; k++)
                for (int j = 0; j < n; j++)
                {
                    double a = 0;
                    for (int v = 0; v < copies; v++) a += g[v * n + k] * xs[v * n + j];
                    row[k * n + j] = a;
                    double b;
                    if (output is TensorOutput)
                    {
                        int ta = o / n, tb = o % n;
                        b = (ta == k ? f[j * n + tb] : 0) + (tb == k ? f[ta * n + j] : 0);
                    }
                    else
                    {
                        int u = o / n, kk = o % n;
                        b = kk == k ? f[u * n + j] : 0;
                    }
                    row[n * n + k * n + j] = -b;
                }
                for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++)
                    gram[i * d + j] += row[i] * row[j];
            }
        }
        return gram;
    }

    [Fact]
    public void With_B_fixed_to_zero_the_Gram_is_LieGGs_per_output_polarization_and_the_analysis_is_LieGGs_own()
    {
        var inputs = Gaussian(300, 10, seed: 8);
        var prior = new GenericPrior(5, 2);
        var network = RandomNetwork(10, 3, seed: 9);
        var options = new PolarizationOptions { Reduction = OutputReduction.PerOutput, Transform = OutputTransform.None };
        var matrix = Polarization.Compute(network, inputs, prior, options);
        var gram = Gram(network, inputs, prior, new InvariantOutput());
        Assert.Equal(matrix.Rows, gram.Rows);
        int d = 25;
        var ete = new double[d * d];
        for (int r = 0; r < matrix.Rows; r++)
        {
            var row = matrix.Row(r);
            for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                ete[i * d + j] += row[i] * row[j];
        }
        double scale = ete.Max(Math.Abs);
        for (int i = 0; i < ete.Length; i++) Assert.True(Math.Abs(gram.Values[i] - ete[i]) <= 1e-12 * scale, $"entry {i}");

        var so5 = LieAlgebra.SpecialOrthogonal(5);
        var liegg = SymmetryAnalyzer.Analyze(matrix, so5);
        var fromGram = JointSymmetryAnalyzer.Analyze(gram, new InvariantOutput(), PairAlgebra.Of(so5, PairTruth.InputOnly, new InvariantOutput()), new JointSymmetryOptions { Scaling = JointScaling.None });
        for (int i = 0; i < d; i++) Assert.True(Math.Abs(liegg.Spectrum[i] - fromGram.Spectrum[i]) <= 1e-12 * liegg.Spectrum[^1], $"λ_{i}");
        for (int i = 0; i < d; i++) Assert.Equal(liegg.Bias![i], fromGram.Bias![i], 6);

        // The invariant route of the end-to-end analysis is LieGG's computation itself: equal, not merely close.
        using var module = new FunctionModel(network);
        using var prepared = PolarizationInputs.Prepare(inputs, prior);
        var joint = JointAnalysis.Analyze(module, prepared, new InvariantOutput(), PairAlgebra.Of(so5, PairTruth.InputOnly, new InvariantOutput()), 0, 0);
        Assert.Equal(liegg.Spectrum, joint.Spectrum);
        Assert.Equal(liegg.Bias, joint.Bias);
        Assert.Equal(liegg.Variance, joint.Variance);
        Assert.All(joint.Pairs, pair => Assert.Empty(pair.B));
    }

    [Fact]
    public void Balanced_scaling_equalises_the_blocks_and_changing_units_changes_no_pair()
    {
        var inputs = Gaussian(400, 10, seed: 10);
        var prior = new GenericPrior(5, 2);
        var output = new VectorOutput(5);
        var network = RandomNetwork(10, 5, seed: 11);
        var gram = Gram(network, inputs, prior, output);
        var result = JointSymmetryAnalyzer.Analyze(gram, output);

        // √(mean diagonal) of each block, recomputed here.
        double MeanDiagonal(int from, int to) => Enumerable.Range(from, to - from).Average(i => gram.Values[i * 50 + i]);
        Assert.Equal(Math.Sqrt(MeanDiagonal(0, 25)), result.InputScale, 10);
        Assert.Equal(Math.Sqrt(MeanDiagonal(25, 50)), result.OutputScale, 10);
        Assert.NotEqual(result.InputScale, result.OutputScale, 3);

        // Outputs in units 1000× smaller and inputs 100× larger: both blocks carry the output's units, so the balanced
        // spectrum (unit-free) and the pairs do not move.
        var rescaled = Gram(x => 1000 * network(x / 100), inputs * 100, prior, output);
        var again = JointSymmetryAnalyzer.Analyze(rescaled, output);
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(result.Spectrum[i], again.Spectrum[i], 1e-8 * result.Spectrum[^1]);
            Assert.True(Distance(result.Pairs[i], again.Pairs[i]) < 1e-7, $"pair {i} moved by {Distance(result.Pairs[i], again.Pairs[i]):E3}");
        }

        // Scaling changes which approximate pair is smallest, never an exact null space.
        var exact = Gram(O5EquivariantSynthetic.Target, Gaussian(800, 10, seed: 12), prior, output);
        var truth = PairAlgebra.Of(LieAlgebra.SpecialOrthogonal(5), PairTruth.Diagonal, output);
        foreach (var scaling in new[] { JointScaling.Balanced, JointScaling.None })
            Assert.All(JointSymmetryAnalyzer.Analyze(exact, output, truth, new JointSymmetryOptions { Scaling = scaling }).Bias!.Take(10), b => Assert.True(b < 1e-6));
    }

    [Fact]
    public void A_bootstrap_Gram_is_the_Gram_of_the_resampled_inputs()
    {
        var inputs = Gaussian(120, 10, seed: 13);
        var prior = new GenericPrior(5, 2);
        var output = new VectorOutput(5);
        var network = RandomNetwork(10, 5, seed: 14);
        var gram = Gram(network, inputs, prior, output, resamples: 3);

        // The draws JointPolarization makes (seed 3, the bootstrap stream), resample by resample.
        var random = new SeededRandom(3, stream: 7);
        for (int r = 0; r < 3; r++)
        {
            var indices = Enumerable.Range(0, 120).Select(_ => (long)random.NextInt(120)).ToArray();
            var expected = Gram(network, inputs.index_select(0, tensor(indices)), prior, output).Values;
            double scale = expected.Max(Math.Abs);
            for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(gram.Resampled[r][i] - expected[i]) <= 1e-11 * scale, $"resample {r}, entry {i}");
        }
        var result = JointSymmetryAnalyzer.Analyze(gram, output, PairAlgebra.Of(LieAlgebra.SpecialOrthogonal(5), PairTruth.Diagonal, output));
        Assert.NotNull(result.VarianceInterval);
        Assert.Equal(3, result.VarianceInterval!.Resamples);
        Assert.True(result.VarianceInterval.Lower <= result.VarianceInterval.Upper);
    }

    [Fact]
    public void Feature_maps_on_their_own_grid_share_the_input_frame_and_the_wrong_phase_shows()
    {
        // Linear images: every difference is exact, so subsampling by 2 is equivariant to all of gl(2) exactly — as pairs
        // (h, h) only when the output grid sits where the subsampling puts it (stride 2, phase 0).
        var random = new SeededRandom(15);
        var images = torch.zeros(new long[] { 30, 29, 29 }, dtype: ScalarType.Float64);
        var rows = torch.arange(29, dtype: ScalarType.Float64).reshape(29, 1);
        var columns = torch.arange(29, dtype: ScalarType.Float64).reshape(1, 29);
        for (int i = 0; i < 30; i++) images[i] = random.NextGaussian() + random.NextGaussian() * rows + random.NextGaussian() * columns;
        Tensor Subsample(Tensor x) => x[.., TensorIndex.Slice(0, null, 2), TensorIndex.Slice(0, null, 2)];
        var prior = new SpatialPrior(SpatialConvention.Centered);
        var gl2 = new LieAlgebra("gl(2)", [new double[,] { { 1, 0 }, { 0, 0 } }, new double[,] { { 0, 1 }, { 0, 0 } }, new double[,] { { 0, 0 }, { 1, 0 } }, new double[,] { { 0, 0 }, { 0, 1 } }]);

        var aligned = new FeatureMapOutput(Stride: 2, Phase: 0);
        var result = JointSymmetryAnalyzer.Analyze(Gram(Subsample, images, prior, aligned), aligned, PairAlgebra.Of(gl2, PairTruth.Diagonal, aligned));
        Assert.Equal(4, result.NullDimension);
        Assert.All(result.Bias!.Take(4), b => Assert.True(b < 1e-9, $"bias {b:E3}"));

        var shifted = new FeatureMapOutput(Stride: 2, Phase: 1);
        var wrong = JointSymmetryAnalyzer.Analyze(Gram(Subsample, images, prior, shifted), shifted, PairAlgebra.Of(gl2, PairTruth.Diagonal, shifted));
        // One pixel off is a translation by (δ, δ): the pairs with h·(1, 1)ᵀ = 0 still hold, the other two do not.
        Assert.Equal(2, wrong.NullDimension);
        Assert.True(wrong.PrincipalAngles!.Max() > 1e-3, $"a grid one pixel off still spans the diagonal gl(2) (largest angle {wrong.PrincipalAngles!.Max():E3})");
    }

    [Fact]
    public void An_output_that_does_not_carry_the_representation_is_refused_naming_the_fix()
    {
        var error = Assert.Throws<ArgumentException>(() => Gram(x => x[.., ..4], Gaussian(10, 10, seed: 16), new GenericPrior(5, 2), new VectorOutput(5)));
        Assert.Contains("5 outputs but the network gives 4", error.Message);
        var tensorError = Assert.Throws<ArgumentException>(() => new TensorOutput(3).RequireFits([1, 8], new GenericPrior(3, 2)));
        Assert.Contains("9 components but the network gives 8", tensorError.Message);
        var dimension = Assert.Throws<ArgumentException>(() => new VectorOutput(3).RequireFits([1, 3], new GenericPrior(5, 2)));
        Assert.Contains("Dimension = 5", dimension.Message);
        Assert.Throws<ArgumentException>(() => PairAlgebra.Of(LieAlgebra.SpecialOrthogonal(5), PairTruth.Diagonal, new InvariantOutput()));
    }

    [Fact]
    public void Closure_is_zero_for_a_pair_algebra_whatever_its_basis_and_measures_what_leaves_a_span()
    {
        var gram = new JointGram(1, 1, 3, 3, 3, 3, new double[18 * 18], 2.2e-16, []);
        double[] Pair(double[,] h)
        {
            var v = new double[18];
            for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                v[i * 3 + j] = v[9 + i * 3 + j] = h[i, j];
            return v;
        }
        var co3 = LieAlgebra.ConformalOrthogonal(3).Basis.Select(Pair).ToList();
        // A rotated basis of co(3) that mixes the identity into every vector: still closed.
        var random = new SeededRandom(17);
        var mixed = Enumerable.Range(0, 4).Select(_ => { var c = Enumerable.Range(0, 4).Select(_ => random.NextGaussian()).ToArray(); return Enumerable.Range(0, 18).Select(i => c.Select((w, k) => w * co3[k][i]).Sum()).ToArray(); }).ToList();
        Assert.True(JointSymmetryAnalyzer.ClosureResidual(Orthonormal(mixed), gram) < 1e-12);
        // Two rotations of so(3) alone: their bracket is the third rotation, entirely outside the span.
        Assert.Equal(1, JointSymmetryAnalyzer.ClosureResidual(Orthonormal(co3.Take(2)), gram), 12);
    }

    private static IReadOnlyList<double[]> Orthonormal(IEnumerable<double[]> vectors)
        => OrthonormalBasis.Create(new LieAlgebra("span", vectors.Select(v => { var m = new double[1, v.Length]; for (int i = 0; i < v.Length; i++) m[0, i] = v[i]; return m; }).ToList()), 1, 18).Vectors;

    private static double Norm(double[][] matrix) => Math.Sqrt(matrix.Sum(row => row.Sum(v => v * v)));

    private static double Distance(GeneratorPair a, GeneratorPair b)
        => Math.Sqrt(a.A.Zip(b.A).Concat(a.B.Zip(b.B)).Sum(rows => rows.First.Zip(rows.Second).Sum(p => (p.First - p.Second) * (p.First - p.Second))));
}
