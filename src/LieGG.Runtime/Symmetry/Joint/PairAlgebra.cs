using LieGG.Dsl;

namespace LieGG.Runtime.Symmetry.Joint;

/// <summary>
/// A ground-truth algebra of pairs (A, B) — a subalgebra of gl_A ⊕ gl_B — given by basis pairs; the learned pairs'
/// bias and principal angles are measured against its span in the flattened coordinates (vec A, vec B).
/// </summary>
public sealed record PairAlgebra(string Name, IReadOnlyList<(double[,] A, double[,] B)> Basis)
{
    /// <summary>The pairs <paramref name="truth"/> builds from 𝔥, with B of <paramref name="output"/>'s shape.</summary>
    public static PairAlgebra Of(ILieAlgebra algebra, PairTruth truth, OutputRepresentation output)
    {
        if (truth == PairTruth.Diagonal)
        {
            if (output is InvariantOutput)
                throw new ArgumentException($"The pair algebra 'diagonal {algebra.Name}' moves the output, but the output representation is invariant; compare invariant outputs with PairTruth.InputOnly.");
            var first = algebra.Basis[0];
            if (first.GetLength(0) != output.GeneratorRows || first.GetLength(1) != output.GeneratorColumns)
                throw new ArgumentException(
                    $"The diagonal of {algebra.Name} pairs {first.GetLength(0)}×{first.GetLength(1)} matrices with themselves, but the output representation's B is {output.GeneratorRows}×{output.GeneratorColumns}; declare an output representation on the input's space.");
            return new PairAlgebra($"diagonal {algebra.Name}", algebra.Basis.Select(h => (h, h)).ToList());
        }
        var zero = new double[output.GeneratorRows, output.GeneratorColumns];
        return new PairAlgebra(output.Directions == 0 ? algebra.Name : $"{algebra.Name} ⊕ 0", algebra.Basis.Select(h => (h, zero)).ToList());
    }

    /// <summary>An orthonormal basis of the span in (vec A, vec B) coordinates, checked against the shapes of A and B.</summary>
    public OrthonormalBasis Orthonormal(int inputRows, int inputColumns, int outputRows, int outputColumns)
    {
        int dA = inputRows * inputColumns, dB = outputRows * outputColumns;
        var flattened = Basis.Select((pair, i) =>
        {
            if (pair.A.GetLength(0) != inputRows || pair.A.GetLength(1) != inputColumns || pair.B.GetLength(0) != outputRows || pair.B.GetLength(1) != outputColumns)
                throw new ArgumentException(
                    $"Pair algebra '{Name}': basis pair {i} is ({pair.A.GetLength(0)}×{pair.A.GetLength(1)}, {pair.B.GetLength(0)}×{pair.B.GetLength(1)}) but the pairs are ({inputRows}×{inputColumns}, {outputRows}×{outputColumns}).");
            var row = new double[1, dA + dB];
            for (int r = 0; r < inputRows; r++)
            for (int c = 0; c < inputColumns; c++)
                row[0, r * inputColumns + c] = pair.A[r, c];
            for (int r = 0; r < outputRows; r++)
            for (int c = 0; c < outputColumns; c++)
                row[0, dA + r * outputColumns + c] = pair.B[r, c];
            return row;
        }).ToList();
        return OrthonormalBasis.Create(new LieAlgebra(Name, flattened), 1, dA + dB);
    }
}
