namespace LieGG.Runtime.Symmetry.Equivariance;

/// <summary>
/// The generators the continuous analysis is taken along, and the frame every layer is measured in (EQUIVARIANCE.md §1):
/// for images, h ∈ gl(2) (or 2×3 with translations) acting on plane coordinates in the input's <c>Centered</c> convention
/// (origin at the input's centre, one unit = half its shorter side); for vectors, h ∈ gl(n) acting on each copy.
/// </summary>
public sealed record EquivarianceFrame
{
    private EquivarianceFrame(int generatorRows, int generatorColumns, int height, int width)
    {
        GeneratorRows = generatorRows;
        GeneratorColumns = generatorColumns;
        Height = height;
        Width = width;
    }

    public int GeneratorRows { get; }

    public int GeneratorColumns { get; }

    /// <summary>The input image's height (0 for vectors).</summary>
    public int Height { get; }

    /// <summary>The input image's width (0 for vectors).</summary>
    public int Width { get; }

    /// <summary>d, the number of generator coordinates: every h is a vector of this length (row-major).</summary>
    public int Directions => GeneratorRows * GeneratorColumns;

    public bool IsPlane => Height > 0;

    /// <summary>Pixels per plane unit: half the input's shorter side, as <c>SpatialConvention.Centered</c> takes it.</summary>
    public double PixelsPerUnit => Math.Min(Height, Width) / 2;

    public static EquivarianceFrame Plane(int height, int width, bool affine)
    {
        if (height < 2 || width < 2) throw new ArgumentOutOfRangeException(nameof(height), $"The plane needs an input of at least 2×2 pixels, not {height}×{width}.");
        return new EquivarianceFrame(2, affine ? 3 : 2, height, width);
    }

    public static EquivarianceFrame Vectors(int dimension)
    {
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "The vector dimension must be at least 1.");
        return new EquivarianceFrame(dimension, dimension, 0, 0);
    }

    /// <summary>Plane coordinate of pixel <paramref name="index"/> of a map at this stride and phase, along an input axis of <paramref name="inputSize"/> pixels.</summary>
    public double Coordinate(int index, int stride, double phase, int inputSize) => (stride * index + phase - (inputSize - 1) / 2.0) / PixelsPerUnit;
}
