namespace LieGG.Runtime.Training.Laplace;

/// <summary>
/// The eigenvalues {l_i · r_j} of a Kronecker product L ⊗ R, kept as the two factors' eigenvalues: the product itself
/// (P = |l|·|r| numbers, the tensor's parameter count) is only ever summed over, never stored as a matrix.
/// </summary>
public sealed class KroneckerEigenvalues
{
    public KroneckerEigenvalues(double[] left, double[] right)
    {
        Left = left;
        Right = right;
    }

    public double[] Left { get; }

    public double[] Right { get; }

    public long Count => (long)Left.Length * Right.Length;

    /// <summary>log det(L ⊗ R + δ I) = Σ_{i,j} log(l_i r_j + δ).</summary>
    public double LogDeterminant(double delta) => Sum(lambda => Math.Log(lambda + delta));

    /// <summary>γ(δ) = Σ_{i,j} λ / (λ + δ): the effective number of parameters the data determine.</summary>
    public double EffectiveParameters(double delta) => Sum(lambda => lambda / (lambda + delta));

    private double Sum(Func<double, double> term)
    {
        double total = 0;
        foreach (double l in Left)
        {
            double partial = 0;
            foreach (double r in Right) partial += term(l * r);
            total += partial;
        }
        return total;
    }
}
