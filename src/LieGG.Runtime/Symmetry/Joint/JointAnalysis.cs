using LieGG.Dsl;
using static TorchSharp.torch;

namespace LieGG.Runtime.Symmetry.Joint;

/// <summary>The joint analysis of a network end to end: the Gram of its pairs (A, B), then the metrics.</summary>
public static class JointAnalysis
{
    /// <summary>
    /// For invariant outputs the joint system is LieGG's own (one row per output, B = 0), so it runs as LieGG runs —
    /// the polarization matrix and its thin SVD — and gives LieGG's numbers exactly; otherwise the joint Gram.
    /// </summary>
    public static JointSymmetryResult Analyze(nn.Module<Tensor, Tensor> model, PolarizationInputs inputs, OutputRepresentation output, PairAlgebra? truth,
        int bootstrapResamples, int seed, JointSymmetryOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (output is InvariantOutput)
        {
            var matrix = Polarization.Compute(model, inputs, new PolarizationOptions { Reduction = OutputReduction.PerOutput, Transform = OutputTransform.None }, cancellationToken);
            var algebra = truth is null ? null : new LieAlgebra(truth.Name, truth.Basis.Select(pair => pair.A).ToList());
            return JointSymmetryAnalyzer.FromInvariance(SymmetryAnalyzer.Analyze(matrix, algebra, new SymmetryOptions
            {
                SubspaceDimension = options?.SubspaceDimension,
                RankTolerance = options?.RankTolerance,
                BootstrapResamples = bootstrapResamples,
                BootstrapSeed = seed,
                ConfidenceLevel = options?.ConfidenceLevel ?? 0.95,
                IntervalMethod = options?.IntervalMethod ?? BootstrapIntervalMethod.Basic,
            }));
        }
        var gram = JointPolarization.Compute(model, inputs, output, new JointOptions { BootstrapResamples = bootstrapResamples, BootstrapSeed = seed }, cancellationToken);
        return JointSymmetryAnalyzer.Analyze(gram, output, truth, options);
    }
}
