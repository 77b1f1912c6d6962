namespace LieGG.Runtime.Symmetry.Equivariance;

/// <summary>
/// A quadratic form in the generator coordinates, as a symmetric d × d matrix (row-major): the value for a generator h
/// is vec(h)ᵀ G vec(h), so one matrix gives the error along every h at once.
/// </summary>
public sealed record GeneratorGram(int Directions, double[] Values)
{
    public double Of(IReadOnlyList<double> generator)
    {
        if (generator.Count != Directions) throw new ArgumentException($"A generator here has {Directions} coordinates, not {generator.Count}.", nameof(generator));
        double sum = 0;
        for (int a = 0; a < Directions; a++)
            for (int b = 0; b < Directions; b++)
                sum += generator[a] * Values[a * Directions + b] * generator[b];
        return sum;
    }

    internal static GeneratorGram Symmetrised(int d, double[] values)
    {
        var symmetric = new double[d * d];
        for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++)
                symmetric[a * d + b] = (values[a * d + b] + values[b * d + a]) / 2;
        return new GeneratorGram(d, symmetric);
    }
}

/// <summary>
/// One layer's continuous equivariance over the analysed samples, for every generator at once (means over samples):
/// <paramref name="Own"/> of its own residual r_ℓ = J_{f_ℓ} 𝓛 x_{ℓ−1} − 𝓛 x_ℓ; <paramref name="Scale"/> of ‖J_{f_ℓ} 𝓛 x_{ℓ−1}‖² +
/// ‖𝓛 x_ℓ‖², the denominator of the relative error; <paramref name="Contribution"/> of c_ℓ · e, whose sum over layers is
/// the analysed output's error e² (EQUIVARIANCE.md §3).
/// </summary>
public sealed record ContinuousLayer(string Name, string Space, GeneratorGram Own, GeneratorGram Scale, GeneratorGram Contribution, IReadOnlyList<ContinuousLayer> Parts);

/// <summary>
/// Continuous equivariance of a network and each of its layers along every generator of <see cref="Frame"/>.
/// <see cref="Analysed"/> is the Gram of the analysed output's residual e = uᵀ(J_F 𝓛 x − 𝓛 F(x)) with u = (1, …, 1): with a
/// trivial output it is exactly LieGG's EᵀE / N (polarization with summed outputs, <c>Centered</c> coordinates).
/// <see cref="AnalysedScale"/> is the Gram of ‖uᵀJ_F 𝓛 x‖² + ‖uᵀ𝓛 F(x)‖², its relative error's denominator.
/// </summary>
public sealed record ContinuousEquivariance(EquivarianceFrame Frame, int Samples, GeneratorGram Analysed, GeneratorGram AnalysedScale, IReadOnlyList<ContinuousLayer> Layers)
{
    /// <summary>Every number of the analysis along one generator h (d coordinates, any norm; the errors scale with ‖h‖²).</summary>
    public GeneratorEquivariance Along(string name, IReadOnlyList<double> generator)
    {
        double analysed = Analysed.Of(generator);
        return new GeneratorEquivariance(name, generator.ToArray(), Ratio(analysed, AnalysedScale.Of(generator)), analysed,
            Layers.Select(layer => Layer(layer, isPart: false)).ToList());

        LayerEquivariance Layer(ContinuousLayer layer, bool isPart)
        {
            double own = layer.Own.Of(generator);
            return new LayerEquivariance(layer.Name, layer.Space, own, Ratio(own, layer.Scale.Of(generator)),
                !isPart && analysed > 0 ? layer.Contribution.Of(generator) / analysed : null,
                layer.Parts.Select(part => Layer(part, isPart: true)).ToList());
        }
    }

    /// <summary>LieGG's H1 of the same network: the unit generator the analysed output is most invariant to.</summary>
    public double[] MostInvariantGenerator()
    {
        int d = Frame.Directions;
        var matrix = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(d, d, (a, b) => Analysed.Values[a * d + b]);
        var evd = matrix.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        int smallest = 0;
        for (int i = 1; i < d; i++) if (evd.EigenValues[i].Real < evd.EigenValues[smallest].Real) smallest = i;
        var vector = evd.EigenVectors.Column(smallest).Normalize(2);
        // A sign of its own: the largest coordinate positive, so reports do not flip between runs.
        int largest = vector.AbsoluteMaximumIndex();
        return (vector[largest] < 0 ? -vector : vector).ToArray();
    }

    private static double Ratio(double error, double scale) => scale > 0 ? error / scale : 0;
}

/// <summary>A layer's (or pathway's) equivariance along one generator or for one group element.</summary>
/// <param name="Own">Mean over samples of its own squared residual (‖J 𝓛 x − 𝓛 f(x)‖², or ‖f(ρx) − ρ f(x)‖²).</param>
/// <param name="OwnRelative">Own error relative to its scale: 0 = equivariant (continuous: ≤ 2; discrete: against ‖f(x)‖²).</param>
/// <param name="Share">This layer's share of the analysed output's error: Σ over layers = 1 exactly (a share can be negative
/// when layers cancel); null for pathways and where the output's error is zero.</param>
public sealed record LayerEquivariance(string Name, string Space, double Own, double OwnRelative, double? Share, IReadOnlyList<LayerEquivariance> Parts);

/// <summary>The continuous analysis along one generator.</summary>
/// <param name="EndToEndRelative">The analysed output's residual relative to its scale (1 for an invariant output whenever it is not 0).</param>
/// <param name="Analysed">Mean squared residual of the analysed (summed) output: LieGG's vec(h)ᵀ(EᵀE/N)vec(h) for an invariant output.</param>
public sealed record GeneratorEquivariance(string Probe, double[] Generator, double EndToEndRelative, double Analysed, IReadOnlyList<LayerEquivariance> Layers);

/// <summary>The discrete analysis for one group element: e(g) = Σ‖F(ρx) − ρF(x)‖² / Σ‖F(x)‖², and per layer.</summary>
public sealed record DiscreteEquivariance(string Element, int Samples, double EndToEndRelative, IReadOnlyList<LayerEquivariance> Layers);
