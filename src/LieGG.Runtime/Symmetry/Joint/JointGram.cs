namespace LieGG.Runtime.Symmetry.Joint;

/// <summary>
/// The d × d Gram G = Σ rᵀr of the joint rows r = [J_F(x)·T_A, −T_B(F(x))] (d = d_A + d_B; one row per sample and output
/// component), summed in float64, and the same Gram under each bootstrap resample of the samples.
/// </summary>
/// <param name="Samples">Samples N.</param>
/// <param name="OutputsPerSample">Output components m per sample: rows = N·m.</param>
/// <param name="Epsilon">Unit roundoff of the arithmetic that produced the rows (float32 or float64 derivatives).</param>
/// <param name="Resampled">Bootstrap Grams, one per resample (same layout), or empty.</param>
public sealed record JointGram(
    int Samples,
    int OutputsPerSample,
    int InputRows,
    int InputColumns,
    int OutputRows,
    int OutputColumns,
    double[] Values,
    double Epsilon,
    IReadOnlyList<double[]> Resampled)
{
    public long Rows => (long)Samples * OutputsPerSample;

    public int InputDirections => InputRows * InputColumns;

    public int OutputDirections => OutputRows * OutputColumns;

    public int Directions => InputDirections + OutputDirections;
}
