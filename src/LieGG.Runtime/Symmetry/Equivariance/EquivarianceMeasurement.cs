using LieGG.Dsl;
using LieGG.Runtime.Models;
using static TorchSharp.torch;

namespace LieGG.Runtime.Symmetry.Equivariance;

/// <summary>
/// Runs the equivariance analysis a declaration asks for on a trained network: chooses the frame from the symmetry prior,
/// the generators from the ground truth (and LieGG's H1 of the same network), and the discrete elements.
/// </summary>
public static class EquivarianceMeasurement
{
    /// <param name="elements">Discrete elements to measure.</param>
    /// <param name="exact">Elements every layer must keep to round-off (measured too).</param>
    public static EquivarianceResult Measure(nn.Module<Tensor, Tensor> model, Tensor inputs, ISymmetryPrior prior, ILieAlgebra? groundTruth, OutputTransform transform,
        ElementSelection elements, ElementSelection exact, bool continuous = true, CancellationToken cancellationToken = default)
    {
        EquivarianceFrame frame;
        FeatureSpace input;
        switch (prior)
        {
            case SpatialPrior:
                var (height, width) = SpatialPrior.ImageSize(inputs.shape);
                frame = EquivarianceFrame.Plane(height, width, affine: true);
                input = FeatureSpace.Image();
                break;
            case GenericPrior { Scalars: > 0 } withScalars:
                throw new ArgumentException($"The layer-by-layer equivariance analysis acts on inputs that are copies of R^n only; the {withScalars.Description} has {withScalars.Scalars} scalars before them. Use the joint analysis ([OutputRepresentation]) for such inputs.");
            case GenericPrior generic:
                frame = EquivarianceFrame.Vectors(generic.Dimension);
                input = new VectorCopies(generic.Dimension);
                break;
            default:
                throw new ArgumentException($"The equivariance analysis needs the spatial or the generic prior, not the {prior.Description}.");
        }
        var network = LayeredNetwork.For(model, input, transform);
        var generators = new List<GeneratorEquivariance>();
        if (continuous)
        {
            var analysis = EquivarianceAnalysis.Continuous(network, inputs, frame, cancellationToken: cancellationToken);
            if (groundTruth is not null)
                foreach (var (basis, index) in groundTruth.Basis.Select((b, i) => (b, i)))
                    generators.Add(analysis.Along(NameOf(groundTruth, basis, index, frame), Embedded(basis, frame)));
            generators.Add(analysis.Along("LieGG H1", analysis.MostInvariantGenerator()));
        }
        if (!frame.IsPlane && !exact.IsEmpty)
            throw new ArgumentException("Exact discrete elements (rotations, shifts, flips) act on images; the generic prior's vectors have none.");
        var exactElements = frame.IsPlane ? exact.Resolve(network) : [];
        var discrete = frame.IsPlane ? elements.Resolve(network).Concat(exactElements).Distinct().ToList() : [];
        var measured = discrete.Count > 0 ? EquivarianceAnalysis.Discrete(network, inputs, discrete, cancellationToken: cancellationToken) : [];
        double epsilon = inputs.dtype == ScalarType.Float64 && model.parameters().All(p => p.dtype == ScalarType.Float64) ? Math.Pow(2, -52) : Math.Pow(2, -23);
        double tolerance = Math.Pow(64 * network.Layers.Count * epsilon, 2);
        return new EquivarianceResult((int)inputs.shape[0], tolerance, generators, measured, exactElements.Select(e => e.Name).ToList());
    }

    /// <summary>A ground-truth basis matrix in the frame's coordinates (2×2 in the 2×3 affine frame: no translation).</summary>
    private static double[] Embedded(double[,] basis, EquivarianceFrame frame)
    {
        var vector = new double[frame.Directions];
        for (int r = 0; r < basis.GetLength(0); r++)
            for (int c = 0; c < basis.GetLength(1); c++)
                vector[r * frame.GeneratorColumns + c] = basis[r, c];
        return vector;
    }

    private static string NameOf(ILieAlgebra algebra, double[,] basis, int index, EquivarianceFrame frame)
    {
        if (frame.IsPlane)
        {
            bool translation = basis[0, 0] == 0 && basis[0, 1] == 0 && basis[1, 0] == 0 && basis[1, 1] == 0;
            if (translation && basis.GetLength(1) == 3) return basis[0, 2] != 0 && basis[1, 2] == 0 ? "translation (rows)" : basis[1, 2] != 0 && basis[0, 2] == 0 ? "translation (columns)" : "translation";
            if (basis[0, 0] == 0 && basis[1, 1] == 0 && basis[0, 1] == -basis[1, 0] && (basis.GetLength(1) == 2 || (basis[0, 2] == 0 && basis[1, 2] == 0))) return "rotation";
        }
        return algebra.Basis.Count == 1 ? algebra.Name : $"{algebra.Name} basis {index + 1}";
    }
}
