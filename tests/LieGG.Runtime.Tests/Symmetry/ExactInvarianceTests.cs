using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Symmetry;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Symmetry;

/// <summary>Functions with a known symmetry group, computed exactly in float64: LieGG must recover exactly that group.</summary>
public sealed class ExactInvarianceTests
{
    private static Tensor Gaussian(int rows, int columns, int seed)
    {
        var random = new SeededRandom(seed);
        return tensor(Enumerable.Range(0, rows * columns).Select(_ => random.NextGaussian()).ToArray(), new long[] { rows, columns });
    }

    private static readonly PolarizationOptions Scalar = new() { Transform = OutputTransform.None };

    [Fact]
    public void O5_function_gives_exactly_ten_zero_eigenvalues_spanning_so5()
    {
        var inputs = Gaussian(2000, 10, seed: 1);
        var matrix = Polarization.Compute(O5Synthetic.Target, inputs, new GenericPrior(5, 2), Scalar);
        var result = SymmetryAnalyzer.Analyze(matrix, LieAlgebra.SpecialOrthogonal(5), new SymmetryOptions { BootstrapResamples = 0 });

        Assert.Equal(25, result.Spectrum.Length);
        double top = result.Spectrum[^1];
        Assert.All(result.Spectrum.Take(10), lambda => Assert.True(lambda < 1e-24 * top, $"λ = {lambda:E3} is not ~0 relative to λ_max = {top:E3}"));
        Assert.All(result.Spectrum.Skip(10), lambda => Assert.True(lambda > 1e-4 * top, $"λ = {lambda:E3} should be clearly non-zero"));
        Assert.Equal(15, result.NumericalRank);
        Assert.Equal(10, result.NullDimension);
        Assert.Equal(10, result.SubspaceDimension);

        Assert.All(result.Bias!.Take(10), b => Assert.True(b < 1e-9, $"bias {b:E3} of a null-space generator"));
        Assert.All(result.PrincipalAngles!, a => Assert.True(a < 1e-9, $"principal angle {a:E3}"));
        Assert.True(result.ClosureResidual < 1e-9);
        Assert.True(result.GapRatio > 1e18);
        // The other 15 generators are symmetric matrices: orthogonal to so(5), bias 1.
        Assert.All(result.Bias!.Skip(10), b => Assert.Equal(1, b, 6));
    }

    [Fact]
    public void Lorentz_invariant_function_recovers_so13_and_is_far_from_so4()
    {
        // f(x₁, x₂) = ⟨x₁, x₁⟩ + ⟨x₂, x₂⟩·⟨x₁, x₂⟩ with the Minkowski form ⟨a, b⟩ = a₀b₀ − a₁b₁ − a₂b₂ − a₃b₃.
        var eta = tensor(new double[] { 1, -1, -1, -1 });
        Tensor Minkowski(Tensor a, Tensor b) => (a * b * eta).sum(1);
        Tensor F(Tensor x)
        {
            var x1 = x[.., ..4];
            var x2 = x[.., 4..];
            return Minkowski(x1, x1) + Minkowski(x2, x2) * Minkowski(x1, x2);
        }
        var matrix = Polarization.Compute(F, Gaussian(1000, 8, seed: 2), new GenericPrior(4, 2), Scalar);
        var options = new SymmetryOptions { BootstrapResamples = 0 };
        var lorentz = SymmetryAnalyzer.Analyze(matrix, LieAlgebra.Lorentz(4), options);
        var so4 = SymmetryAnalyzer.Analyze(matrix, LieAlgebra.SpecialOrthogonal(4), options);

        Assert.Equal(6, lorentz.NullDimension);
        Assert.All(lorentz.Bias!.Take(6), b => Assert.True(b < 1e-9));
        Assert.All(lorentz.PrincipalAngles!, a => Assert.True(a < 1e-9));
        Assert.True(lorentz.ClosureResidual < 1e-9);

        // so(1,3) ∩ so(4) = so(3): three angles are 0, the three boosts are orthogonal to so(4).
        var angles = so4.PrincipalAngles!;
        Assert.All(angles.Take(3), a => Assert.True(a < 1e-9));
        Assert.All(angles.Skip(3), a => Assert.Equal(Math.PI / 2, a, 9));
        // Whatever basis the degenerate null space comes in, Σ B_i² over it is 3 (the boosts), so max B ≥ √½.
        Assert.Equal(3, so4.Bias!.Take(6).Sum(b => b * b), 9);
        Assert.True(so4.Bias!.Take(6).Max() >= Math.Sqrt(0.5) - 1e-9);
    }

    [Fact]
    public void Per_output_rows_sum_to_the_summed_row()
    {
        // Linearity of the Lie derivative in the output: Σ_o E_(i,o) = E_i for Transform.None.
        Tensor F(Tensor x) => torch.stack(new[] { O5Synthetic.Target(x).squeeze(1), (x[.., ..5] * x[.., 5..]).sum(1).pow(2), x.sum(1) }, 1);
        var inputs = Gaussian(50, 10, seed: 3);
        var prior = new GenericPrior(5, 2);
        var summed = Polarization.Compute(F, inputs, prior, Scalar with { BatchSize = 16 });
        var perOutput = Polarization.Compute(F, inputs, prior, Scalar with { BatchSize = 16, Reduction = OutputReduction.PerOutput });

        Assert.Equal(150, perOutput.Rows);
        for (int i = 0; i < 50; i++)
        for (int c = 0; c < 25; c++)
        {
            double sum = perOutput.Row(3 * i)[c] + perOutput.Row(3 * i + 1)[c] + perOutput.Row(3 * i + 2)[c];
            Assert.Equal(summed.Row(i)[c], sum, 1e-10 * (1 + Math.Abs(sum)));
        }
    }

    [Fact]
    public void Bootstrap_interval_brackets_the_estimate_and_is_reproducible()
    {
        Tensor F(Tensor x) => O5Synthetic.Target(x) + 0.05 * x[.., ..1] * x[.., 6..7];
        var matrix = Polarization.Compute(F, Gaussian(400, 10, seed: 4), new GenericPrior(5, 2), Scalar);
        var options = new SymmetryOptions { BootstrapResamples = 100, BootstrapSeed = 3 };
        var first = SymmetryAnalyzer.Analyze(matrix, LieAlgebra.SpecialOrthogonal(5), options);
        var second = SymmetryAnalyzer.Analyze(matrix, LieAlgebra.SpecialOrthogonal(5), options);

        Assert.Equal(first.VarianceInterval, second.VarianceInterval);
        Assert.InRange(first.Variance, first.VarianceInterval!.Lower * 0.5, first.VarianceInterval.Upper * 2);
        Assert.True(first.VarianceInterval.Lower < first.VarianceInterval.Upper);
        Assert.True(first.MinBiasInterval!.Lower <= first.MinBiasInterval.Upper);
        Assert.True(first.Variance > 0);
    }

    [Fact]
    public void L2_normalising_a_single_output_is_rejected_and_is_not_the_default_for_one()
    {
        var normalized = new PolarizationOptions { Transform = OutputTransform.L2Normalize };
        var error = Assert.Throws<ArgumentException>(() => Polarization.Compute(O5Synthetic.Target, Gaussian(4, 10, 1), new GenericPrior(5, 2), normalized));
        Assert.Contains("OutputTransform.None", error.Message);

        var byDefault = Polarization.Compute(O5Synthetic.Target, Gaussian(4, 10, 1), new GenericPrior(5, 2));
        var explicitNone = Polarization.Compute(O5Synthetic.Target, Gaussian(4, 10, 1), new GenericPrior(5, 2), Scalar);
        Assert.Equal(explicitNone.Values, byDefault.Values);
        Assert.Equal(OutputTransform.L2Normalize, new PolarizationOptions().TransformFor(10));
    }

    [Fact]
    public void Generic_prior_of_the_wrong_size_names_the_fix()
    {
        var error = Assert.Throws<ArgumentException>(() => Polarization.Compute(O5Synthetic.Target, Gaussian(4, 10, 1), new GenericPrior(3, 2), Scalar));
        Assert.Contains("GenericPrior(Dimension = 3, Copies = 2)", error.Message);
        Assert.Contains("Dimension × Copies = 10", error.Message);
    }
}
