using LieGG.Dsl;
using LieGG.Runtime.Training.Laplace;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Laplace;

/// <summary>The marginal likelihood at the trained weights: an exact-Fisher evidence is fitted again only when the weights moved.</summary>
public sealed class LaplaceTrainingTests
{
    [Fact]
    public void Exact_evidence_at_unchanged_weights_is_the_last_one_and_equals_a_fresh_fit()
    {
        using var network = KfacTestNetworks.Network(Pathways.FactoredFC | Pathways.Conv, classes: 3).to(ScalarType.Float64);
        var data = KfacTestNetworks.Data(9, classes: 3);
        using var training = new LaplaceTraining(network, data, learning: null);
        for (int i = 0; i < training.Priors.LogPrecisions.Length; i++) training.Priors.LogPrecisions[i] = 0.2 * i - 1.5;

        var first = training.Evidence(FisherKind.Exact);
        var again = training.Evidence(FisherKind.Exact);
        Assert.Same(first, again);
        using (var factors = KfacFactors.Fit(network, data, FisherKind.Exact))
        {
            var fresh = LaplaceEvidence.From(factors, training.Priors);
            Assert.Equal(fresh.Objective(training.Priors.LogPrecisions), again.Objective(training.Priors.LogPrecisions));
            Assert.Equal(fresh.EffectiveParameters(training.Priors.LogPrecisions), again.EffectiveParameters(training.Priors.LogPrecisions));
        }

        // One weight moved by a step: the factors are fitted again, at the new weights.
        using (torch.no_grad()) network.Sites[0].Bias.add_(1e-3);
        var moved = training.Evidence(FisherKind.Exact);
        Assert.NotSame(first, moved);
        Assert.NotEqual(first.NegativeLogLikelihood, moved.NegativeLogLikelihood);
        using (var factors = KfacFactors.Fit(network, data, FisherKind.Exact))
            Assert.Equal(LaplaceEvidence.From(factors, training.Priors).Objective(training.Priors.LogPrecisions), moved.Objective(training.Priors.LogPrecisions));
    }

    [Fact]
    public void Monte_carlo_evidence_is_drawn_anew_every_time()
    {
        using var network = KfacTestNetworks.Network(Pathways.Conv, classes: 3).to(ScalarType.Float64);
        var data = KfacTestNetworks.Data(9, classes: 3);
        using var training = new LaplaceTraining(network, data, learning: null, evaluationFisher: FisherKind.MonteCarlo);
        var first = training.Evidence(FisherKind.MonteCarlo);
        var second = training.Evidence(FisherKind.MonteCarlo);
        Assert.NotSame(first, second);
        // Another draw of the sampled classes, so other curvature.
        Assert.NotEqual(first.Objective(training.Priors.LogPrecisions), second.Objective(training.Priors.LogPrecisions));
    }
}
