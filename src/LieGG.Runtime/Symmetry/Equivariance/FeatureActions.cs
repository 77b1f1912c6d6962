using LieGG.Runtime.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Symmetry.Equivariance;

/// <summary>
/// The group's action on each kind of <see cref="FeatureSpace"/> (EQUIVARIANCE.md §1): the infinitesimal action along the
/// d generator coordinates, and the exact action of discrete elements.
/// </summary>
public static class FeatureActions
{
    /// <summary>
    /// 𝓛 y along every generator coordinate: [B, d, …] for features y [B, …], so that 𝓛_h y = Σ_kj h_kj · result[:, k·J + j].
    /// Maps: 𝓛_h f(p) = −∇f(p) · (h p̃), central differences in plane units (one-sided at the edges of a map that does not
    /// wrap). Vectors: (𝓛_A x)_v = A x_v. Trivial features: 0.
    /// </summary>
    public static Tensor Tangents(FeatureSpace space, Tensor features, EquivarianceFrame frame)
    {
        long batch = features.shape[0];
        var trailing = features.shape.Skip(1).ToArray();
        var shape = new[] { batch, frame.Directions }.Concat(trailing).ToArray();
        switch (space)
        {
            case TrivialSpace:
                return torch.zeros(shape, dtype: features.dtype, device: features.device);
            case VectorCopies vectors:
            {
                int n = vectors.Dimension;
                if (frame.IsPlane || frame.GeneratorRows != n)
                    throw new ArgumentException($"Features of {n}-vectors need generators in gl({n}), not {frame.GeneratorRows}×{frame.GeneratorColumns} plane generators.");
                long total = features[0].numel();
                if (total % n != 0) throw new ArgumentException($"Features of {total} values are not copies of R^{n}.");
                var copies = features.reshape(batch, total / n, n);
                var basis = torch.eye(n * n, dtype: features.dtype, device: features.device).reshape(n * n, n, n);
                // T[b, (k, j), v, k′] = E_kj[k′, j′] x_v[j′]
                return torch.einsum("ekj,bvj->bevk", basis, copies).reshape(shape);
            }
            case FeatureMap map:
                return MapTangents(map, features, frame).reshape(shape);
            default:
                throw new ArgumentException($"No action is defined on {space.GetType().Name}.", nameof(space));
        }
    }

    private static Tensor MapTangents(FeatureMap map, Tensor features, EquivarianceFrame frame)
    {
        if (!frame.IsPlane) throw new ArgumentException("A feature map needs plane generators (an image frame), not vector generators.");
        if (features.dim() < 3) throw new ArgumentException($"A feature map has at least [B, H, W] axes, not [{string.Join(", ", features.shape)}].");
        int height = (int)features.shape[^2], width = (int)features.shape[^1];
        double spacing = map.Stride / frame.PixelsPerUnit;
        var dRow = Derivative(features, -2, spacing, map.Circular);
        var dColumn = Derivative(features, -1, spacing, map.Circular);
        var rows = Coordinates(height, map, frame.Height, frame).view(height, 1);
        var columns = Coordinates(width, map, frame.Width, frame).view(1, width);
        var coordinates = new List<Tensor> { rows, columns };
        if (frame.GeneratorColumns == 3) coordinates.Add(torch.ones(1, 1, dtype: features.dtype, device: features.device));
        var directions = new List<Tensor>();
        foreach (var gradient in new[] { dRow, dColumn })
            foreach (var coordinate in coordinates)
                directions.Add(-gradient * coordinate);
        return torch.stack(directions, 1);

        Tensor Coordinates(int count, FeatureMap m, int inputSize, EquivarianceFrame f)
            => torch.tensor(Enumerable.Range(0, count).Select(i => f.Coordinate(i, m.Stride, m.Phase, inputSize)).ToArray(), dtype: features.dtype, device: features.device);
    }

    /// <summary>∂/∂(axis) in plane units: central differences, wrapping or one-sided at the two ends.</summary>
    private static Tensor Derivative(Tensor y, int axis, double spacing, bool circular)
    {
        long n = y.shape[y.dim() + axis];
        if (n < 2) return torch.zeros_like(y);
        if (circular) return (y.roll(-1, axis) - y.roll(1, axis)) / (2 * spacing);
        var first = (y.narrow(axis, 1, 1) - y.narrow(axis, 0, 1)) / spacing;
        var last = (y.narrow(axis, n - 1, 1) - y.narrow(axis, n - 2, 1)) / spacing;
        if (n == 2) return torch.cat(new[] { first, last }, axis);
        var interior = (y.narrow(axis, 2, n - 2) - y.narrow(axis, 0, n - 2)) / (2 * spacing);
        return torch.cat(new[] { first, interior, last }, axis);
    }

    /// <summary>ρ(g) y, exactly (index permutations).</summary>
    public static Tensor Apply(FeatureSpace space, Tensor features, GroupElement element)
    {
        switch (space)
        {
            case TrivialSpace:
                return features;
            case FeatureMap map:
                return ApplyToMap(map, features, element);
            default:
                throw new ArgumentException($"{element.Name} acts on images and feature maps; it has no action on {space.GetType().Name}.", nameof(space));
        }
    }

    private static Tensor ApplyToMap(FeatureMap map, Tensor y, GroupElement element)
    {
        int rowAxis = (int)y.dim() - 2, columnAxis = (int)y.dim() - 1;
        switch (element)
        {
            case Rotation90 rotation:
            {
                int k = ((rotation.Quarters % 4) + 4) % 4;
                var rotated = y.rot90(k, (rowAxis, columnAxis));
                return map.IsP4 ? OnRotationAxis(map, rotated, axis => axis.roll(k, 2)) : rotated;
            }
            case CyclicShift shift:
            {
                if (shift.Rows % map.Stride != 0 || shift.Columns % map.Stride != 0)
                    throw new ArgumentException($"A shift by ({shift.Rows}, {shift.Columns}) input pixels does not act on a map at stride {map.Stride}: use multiples of {map.Stride}.");
                return y.roll(new long[] { shift.Rows / map.Stride, shift.Columns / map.Stride }, new long[] { rowAxis, columnAxis });
            }
            case Flip:
            {
                var flipped = y.flip(columnAxis);
                if (!map.IsP4) return flipped;
                var reversed = torch.tensor(new long[] { 0, 3, 2, 1 }, device: y.device);
                return OnRotationAxis(map, flipped, axis => axis.index_select(2, reversed));
            }
            default:
                throw new ArgumentException($"Unknown group element {element}.", nameof(element));
        }
    }

    /// <summary>Applies <paramref name="transform"/> to the rotation axis viewed as axis 2 of [B, C, 4, H, W].</summary>
    private static Tensor OnRotationAxis(FeatureMap map, Tensor y, Func<Tensor, Tensor> transform)
    {
        if (map.Rotations == RotationAxis.Separate) return transform(y);
        long batch = y.shape[0], channels = y.shape[1] / 4, height = y.shape[2], width = y.shape[3];
        return transform(y.reshape(batch, channels, 4, height, width)).reshape(batch, channels * 4, height, width);
    }
}
