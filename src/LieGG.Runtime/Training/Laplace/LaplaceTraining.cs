using System.Diagnostics;
using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Models.Relaxed;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Training.Laplace;

/// <summary>
/// ELLA's objective around <see cref="Trainer"/>: the per-tensor Gaussian prior enters every batch loss
/// (½ Σ δ_l ‖θ_l‖² / N); with <see cref="LaplaceOptions"/> the precisions are learned by minimising the KFAC
/// Laplace negative log marginal likelihood after the burn-in, every few epochs; without, they stay fixed (MAP).
/// Disposing it frees the copy of the weights its last exact-Fisher evidence was fitted at.
/// </summary>
public sealed class LaplaceTraining : ITrainingRegularizer, IDisposable
{
    private readonly RelaxedNetwork model;
    private readonly DataSplit train;
    private readonly LaplaceOptions? learning;
    private readonly torch.Generator sampler;
    private readonly List<MarginalLikelihoodStep> history = [];
    private readonly FisherKind evaluationFisher;
    private readonly double[] firstMoment, secondMoment;
    private int adamSteps;
    private ExactEvidence? lastExact;

    /// <param name="learning">Null: MAP with the precisions fixed at <paramref name="initialPrecision"/>.</param>
    /// <param name="evaluationFisher">The Fisher of the final evaluation (<see cref="Summarize"/>); null = the learning's, else exact.</param>
    public LaplaceTraining(RelaxedNetwork model, DataSplit train, LaplaceOptions? learning, double initialPrecision = 1.0, int seed = 0, FisherKind? evaluationFisher = null)
    {
        this.evaluationFisher = evaluationFisher ?? learning?.Fisher ?? FisherKind.Exact;
        learning?.Validate();
        this.model = model;
        this.train = train;
        this.learning = learning;
        Priors = new PriorPrecisions(model.Sites, initialPrecision);
        sampler = new torch.Generator((ulong)(uint)seed + 0x5EEDUL);
        firstMoment = new double[Priors.Tensors.Count];
        secondMoment = new double[Priors.Tensors.Count];
    }

    public PriorPrecisions Priors { get; }

    public IReadOnlyList<MarginalLikelihoodStep> History => history;

    public void AddPenaltyGradient() => Priors.AddPenaltyGradient(train.Count);

    public void AfterEpoch(int epoch, CancellationToken cancellationToken)
    {
        if (learning is null || !learning.StepsAfter(epoch)) return;
        using var stage = StageProfiler.Measure("prior precisions");
        var clock = Stopwatch.StartNew();
        var evidence = Evidence(learning.Fisher, cancellationToken);
        double before, after;
        using (StageProfiler.Measure("Adam steps on the marginal likelihood"))
        {
            before = evidence.Objective(Priors.LogPrecisions);
            for (int step = 0; step < learning.Steps; step++) AdamStep(evidence.Gradient(Priors.LogPrecisions), learning.LearningRate);
            after = evidence.Objective(Priors.LogPrecisions);
        }
        history.Add(new MarginalLikelihoodStep(epoch, before, after, evidence.NegativeLogLikelihood / evidence.Samples, clock.Elapsed.TotalSeconds));
    }

    /// <summary>
    /// Fits KFAC on the training split at the current weights and returns the marginal likelihood in ρ. An exact-Fisher
    /// evidence is deterministic in the weights, so while they have not moved since the last one (the final evaluation
    /// right after a step at the last epoch), that one is returned instead of fitting the same factors again.
    /// </summary>
    public LaplaceEvidence Evidence(FisherKind fisher, CancellationToken cancellationToken = default)
    {
        if (fisher == FisherKind.Exact && lastExact is { } last && last.IsAt(model))
        {
            using (StageProfiler.Measure("KFAC factors and eigendecompositions of the last step, at the same weights"))
                return last.Evidence;
        }
        KfacFactors factors;
        using (StageProfiler.Measure("KFAC factors"))
            factors = KfacFactors.Fit(model, train, fisher, learning?.KfacBatchSize ?? 500, sampler, cancellationToken);
        LaplaceEvidence evidence;
        using (factors)
        using (StageProfiler.Measure("eigendecompositions"))
            evidence = LaplaceEvidence.From(factors, Priors);
        if (fisher == FisherKind.Exact)
        {
            lastExact?.Dispose();
            lastExact = new ExactEvidence(evidence, model);
        }
        return evidence;
    }

    /// <summary>The final evaluation: δ, γ, shares and M at the trained weights.</summary>
    /// <param name="checkAgainstExact">Also measure KFAC against the exact GGN (<see cref="LaplaceCheck"/>) where the network is small enough.</param>
    public LaplaceResult Summarize(CancellationToken cancellationToken = default, bool checkAgainstExact = false)
    {
        LaplaceEvidence evidence;
        using (StageProfiler.Measure("final evaluation"))
            evidence = Evidence(evaluationFisher, cancellationToken);
        var gammas = evidence.EffectiveParameters(Priors.LogPrecisions);
        var tensors = Priors.Tensors.Select((t, i) => new TensorPriorResult(t.Name, t.Layer, t.Pathway, t.IsBias, t.Count, Priors.Precision(i), gammas[i], evidence.SquaredNorms[i])).ToList();
        var result = new LaplaceResult(learning is not null, evaluationFisher, history.ToList(), tensors, Shares(tensors), evidence.Objective(Priors.LogPrecisions));
        if (!checkAgainstExact) return result;
        long parameters = tensors.Sum(t => t.Parameters);
        if (parameters > LaplaceCheck.MaxParameters)
            return result with { CheckSkipped = $"{parameters} parameters; the exact GGN is checked up to {LaplaceCheck.MaxParameters}" };
        using var checkStage = StageProfiler.Measure("exact GGN check");
        // The evaluation's own KFAC serves when it used the exact Fisher, as the check's does.
        return result with { Check = LaplaceCheck.Measure(model, train, Priors, evaluationFisher == FisherKind.Exact ? evidence : null, cancellationToken) };
    }

    /// <summary>Per block: the FC (dense or factored), CONV and G-CONV pathways' shares of the block's Σγ.</summary>
    public static IReadOnlyList<LayerShare> Shares(IReadOnlyList<TensorPriorResult> tensors)
        => tensors.Where(t => t.Pathway != PathwayKind.Head)
            .GroupBy(t => t.Layer)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                double total = g.Sum(t => t.EffectiveParameters);
                double fc = g.Where(t => t.Pathway is PathwayKind.FC or PathwayKind.FactoredFC).Sum(t => t.EffectiveParameters);
                double conv = g.Where(t => t.Pathway == PathwayKind.Conv).Sum(t => t.EffectiveParameters);
                double groupConv = g.Where(t => t.Pathway == PathwayKind.GroupConv).Sum(t => t.EffectiveParameters);
                return new LayerShare(g.Key, total > 0 ? fc / total : 0, total > 0 ? conv / total : 0, total, total > 0 ? groupConv / total : 0);
            })
            .ToList();

    private void AdamStep(double[] gradient, double learningRate)
    {
        const double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
        adamSteps++;
        for (int i = 0; i < gradient.Length; i++)
        {
            firstMoment[i] = beta1 * firstMoment[i] + (1 - beta1) * gradient[i];
            secondMoment[i] = beta2 * secondMoment[i] + (1 - beta2) * gradient[i] * gradient[i];
            double mHat = firstMoment[i] / (1 - Math.Pow(beta1, adamSteps)), vHat = secondMoment[i] / (1 - Math.Pow(beta2, adamSteps));
            Priors.LogPrecisions[i] -= learningRate * mHat / (Math.Sqrt(vHat) + epsilon);
        }
    }

    public void Dispose()
    {
        lastExact?.Dispose();
        lastExact = null;
    }

    // An exact-Fisher evidence and a copy of the weights it was computed at.
    private sealed class ExactEvidence : IDisposable
    {
        private readonly Tensor[] weights;

        public ExactEvidence(LaplaceEvidence evidence, nn.Module model)
        {
            Evidence = evidence;
            using var noGrad = torch.no_grad();
            weights = model.parameters().Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
        }

        public LaplaceEvidence Evidence { get; }

        public bool IsAt(nn.Module model)
        {
            var current = model.parameters().ToArray();
            if (current.Length != weights.Length) return false;
            using var scope = torch.NewDisposeScope();
            for (int i = 0; i < current.Length; i++)
            {
                var now = current[i].detach();
                if (!now.shape.SequenceEqual(weights[i].shape) || now.dtype != weights[i].dtype || now.device_type != weights[i].device_type) return false;
                if (!now.eq(weights[i]).all().item<bool>()) return false;
            }
            return true;
        }

        public void Dispose()
        {
            foreach (var weight in weights) weight.Dispose();
        }
    }
}
