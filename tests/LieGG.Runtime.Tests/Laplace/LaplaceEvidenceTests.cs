using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Models.Relaxed;
using LieGG.Runtime.Training.Laplace;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Laplace;

/// <summary>The marginal likelihood's log-determinants, gradient and fixed point against independent computations.</summary>
public sealed class LaplaceEvidenceTests
{
    private static double DenseLogDet(Tensor matrix) => torch.linalg.slogdet(matrix).Item2.item<double>();

    [Fact]
    public void Kronecker_log_determinants_equal_dense_log_determinants_of_the_explicit_blocks()
    {
        using var network = KfacTestNetworks.Network(Pathways.FactoredFC | Pathways.Conv).to(ScalarType.Float64);
        var data = KfacTestNetworks.Data(5);
        using var factors = KfacFactors.Fit(network, data, FisherKind.Exact);
        var priors = new PriorPrecisions(network.Sites);
        var evidence = LaplaceEvidence.From(factors, priors);
        for (int l = 0; l < priors.Tensors.Count; l++)
        {
            var tensor = priors.Tensors[l];
            var site = factors.Sites.Single(s => ReferenceEquals(s.Site, tensor.Site));
            // Explicit curvature block: B ⊗ blockdiag(A) / N for a weight, B · copies for a bias.
            var a = torch.block_diag(Enumerable.Range(0, (int)site.A.shape[0]).Select(i => site.A[i]).ToArray());
            var block = tensor.IsBias ? site.B * tensor.Site.Copies : torch.kron(site.B, a) / factors.Samples;
            Assert.Equal(tensor.Count, block.shape[0]);
            foreach (double delta in new[] { 1e-3, 0.7, 40.0 })
            {
                double expected = DenseLogDet(block + delta * eye(block.shape[0], dtype: ScalarType.Float64));
                double actual = evidence.Curvature[l].LogDeterminant(delta);
                Assert.True(Math.Abs(expected - actual) <= 1e-8 * Math.Max(1, Math.Abs(expected)), $"{tensor.Name}, δ = {delta}: dense {expected:R}, Kronecker {actual:R}");
            }
        }
    }

    [Fact]
    public void Closed_form_gradient_matches_a_central_finite_difference_of_the_objective()
    {
        using var network = KfacTestNetworks.Network(Pathways.FactoredFC | Pathways.Conv).to(ScalarType.Float64);
        var data = KfacTestNetworks.Data(7);
        using var factors = KfacFactors.Fit(network, data, FisherKind.Exact);
        var priors = new PriorPrecisions(network.Sites);
        var evidence = LaplaceEvidence.From(factors, priors);
        var rho = Enumerable.Range(0, priors.Tensors.Count).Select(i => -1.5 + 0.37 * i % 3).ToArray();
        var gradient = evidence.Gradient(rho);
        const double h = 1e-5;
        for (int l = 0; l < rho.Length; l++)
        {
            var plus = (double[])rho.Clone();
            var minus = (double[])rho.Clone();
            plus[l] += h;
            minus[l] -= h;
            double numeric = (evidence.Objective(plus) - evidence.Objective(minus)) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[l]) <= 1e-6 * Math.Max(1e-3, Math.Abs(numeric)), $"{priors.Tensors[l].Name}: finite difference {numeric:E6}, closed form {gradient[l]:E6}");
        }
    }

    [Fact]
    public void Iterating_the_precision_updates_reaches_MacKays_fixed_point()
    {
        var random = new Random(4);
        double[] Positive(int n) => Enumerable.Range(0, n).Select(_ => Math.Exp(3 * random.NextDouble() - 2)).ToArray();
        var curvature = new[] { new KroneckerEigenvalues(Positive(6), Positive(4)), new KroneckerEigenvalues(Positive(3), [5.0]), new KroneckerEigenvalues(Positive(8), Positive(8)) };
        var norms = new[] { 2.5, 0.3, 11.0 };
        var evidence = new LaplaceEvidence(curvature, norms, negativeLogLikelihood: 17.0, samples: 50);
        var rho = new double[3];
        for (int step = 0; step < 20_000; step++)
        {
            var gradient = evidence.Gradient(rho);
            for (int l = 0; l < rho.Length; l++) rho[l] -= 1.0 * gradient[l];
        }
        var gamma = evidence.EffectiveParameters(rho);
        for (int l = 0; l < rho.Length; l++)
        {
            double delta = Math.Exp(rho[l]);
            Assert.True(Math.Abs(delta - gamma[l] / norms[l]) <= 1e-8 * delta, $"tensor {l}: δ = {delta:R}, γ/‖θ‖² = {gamma[l] / norms[l]:R}");
        }
    }

    /// <summary>Softmax regression, one linear layer (a single KFAC site).</summary>
    private sealed class SoftmaxRegression : nn.Module<Tensor, Tensor>, IKfacNetwork
    {
        private readonly KfacLinear linear;

        public SoftmaxRegression(int inputs, int classes) : base(nameof(SoftmaxRegression))
        {
            linear = new KfacLinear(inputs, classes, 0, "linear");
            RegisterComponents();
        }

        public IReadOnlyList<KfacSite> Sites => [linear.Site];

        public void SetCapture(bool capturing)
        {
            linear.Site.Capturing = capturing;
            if (!capturing) linear.Site.ClearCapture();
        }

        public override Tensor forward(Tensor input) => linear.forward(input);
    }

    [Fact]
    public void For_one_sample_of_softmax_regression_KFAC_is_the_exact_GGN()
    {
        torch.manual_seed(3);
        using var model = new SoftmaxRegression(5, 4).to(ScalarType.Float64);
        using (torch.no_grad()) model.Sites[0].Bias.normal_(0, 0.5);
        var x = randn(new long[] { 1, 5 }, ScalarType.Float64, generator: new torch.Generator(8));
        var data = new DataSplit(x, tensor(new long[] { 2 }));
        using var factors = KfacFactors.Fit(model, data, FisherKind.Exact);
        var evidence = LaplaceEvidence.From(factors, new PriorPrecisions(model.Sites));

        // The exact GGN of the weight: Jᵀ (diag p − ppᵀ) J with J = ∂logits/∂vec(W) from autograd, one logit at a time.
        var weight = model.Sites[0].Weight;
        var logits = model.forward(x);
        var jacobian = torch.stack(Enumerable.Range(0, 4).Select(o => torch.autograd.grad(new[] { logits[0, o] }, new[] { (Tensor)weight }, retain_graph: true)[0].flatten()).ToArray());
        var p = nn.functional.softmax(logits.detach(), 1)[0];
        var ggn = jacobian.T.matmul(torch.diag(p) - torch.outer(p, p)).matmul(jacobian);
        foreach (double delta in new[] { 1e-2, 1.0 })
        {
            double expected = DenseLogDet(ggn + delta * eye(ggn.shape[0], dtype: ScalarType.Float64));
            Assert.Equal(expected, evidence.Curvature[0].LogDeterminant(delta), 9);
        }
    }

    [Fact]
    public void Training_penalty_gradient_is_autograds_gradient_of_each_tensors_weighted_square()
    {
        using var network = KfacTestNetworks.Network(Pathways.FactoredFC | Pathways.Conv | Pathways.GroupConv).to(ScalarType.Float64);
        var priors = PriorsWithDistinctPrecisions(network, step: 0.1, first: -1);
        const long samples = 7;
        var x = torch.randn(new long[] { 3, 4, 4 }, ScalarType.Float64, generator: new torch.Generator(5));

        // The reference: autograd through the loss plus ½ Σ_l δ_l ‖θ_l‖² / N, tensor by tensor.
        var penalty = priors.Tensors.Select((t, i) => t.Value.square().sum() * (priors.Precision(i) / (2.0 * samples))).Aggregate((a, b) => a + b);
        var expected = LossGradients(network, priors, x, penalty);
        var written = LossGradientsWithWrittenOutPenalty(network, priors, x, samples);
        for (int i = 0; i < priors.Tensors.Count; i++) TensorComparison.AssertClose(expected[i], written[i], 1e-12);

        // A tensor without a gradient yet gets the penalty's alone.
        network.zero_grad();
        foreach (var p in network.parameters()) p.grad = null;
        priors.AddPenaltyGradient(samples);
        for (int i = 0; i < priors.Tensors.Count; i++)
            TensorComparison.AssertClose(priors.Tensors[i].Value.detach() * (priors.Precision(i) / samples), priors.Tensors[i].Value.grad!, 1e-12);
    }

    [Fact]
    public void Training_penalty_gradient_in_float32_is_autograds_to_the_bit()
    {
        // Training replays the same steps as when the penalty was differentiated: the gradient must match autograd's
        // rounding exactly, not to a tolerance — a last-bit difference per step grows into another network in 50 epochs.
        using var network = KfacTestNetworks.Network(Pathways.FC | Pathways.Conv, canvas: 8, width: 2);
        var priors = PriorsWithDistinctPrecisions(network, step: 0.37, first: -2);
        const long samples = 8000;
        var x = torch.randn(new long[] { 5, 8, 8 }, generator: new torch.Generator(9));

        // The penalty as training differentiated it: one weighted sum of every tensor, float32 precisions.
        var flat = torch.cat(priors.Tensors.Select(t => t.Value.flatten()).ToArray());
        var precisions = torch.tensor(priors.Tensors.Select((_, i) => priors.Precision(i)).ToArray(), ScalarType.Float32)
            .repeat_interleave(torch.tensor(priors.Tensors.Select(t => t.Count).ToArray()));
        var expected = LossGradients(network, priors, x, (flat.square() * precisions).sum() * (0.5 / samples));
        var written = LossGradientsWithWrittenOutPenalty(network, priors, x, samples);
        for (int i = 0; i < priors.Tensors.Count; i++)
            Assert.True(expected[i].equal(written[i]).all().item<bool>(), $"{priors.Tensors[i].Name}: not autograd's gradient to the bit");
    }

    private static PriorPrecisions PriorsWithDistinctPrecisions(RelaxedNetwork network, double step, double first)
    {
        var priors = new PriorPrecisions(network.Sites);
        for (int i = 0; i < priors.LogPrecisions.Length; i++) priors.LogPrecisions[i] = step * i + first;
        return priors;
    }

    // The gradients of a stand-in loss (the outputs' squared sum) plus the penalty, through autograd.
    private static Tensor[] LossGradients(RelaxedNetwork network, PriorPrecisions priors, Tensor x, Tensor penalty)
    {
        network.zero_grad();
        (network.forward(x).square().sum() + penalty).backward();
        return priors.Tensors.Select(t => t.Value.grad!.clone()).ToArray();
    }

    private static Tensor[] LossGradientsWithWrittenOutPenalty(RelaxedNetwork network, PriorPrecisions priors, Tensor x, long samples)
    {
        network.zero_grad();
        network.forward(x).square().sum().backward();
        priors.AddPenaltyGradient(samples);
        return priors.Tensors.Select(t => t.Value.grad!.clone()).ToArray();
    }
}
