using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Experiments;
using LieGG.Runtime.Models;
using LieGG.Runtime.Orchestration;
using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Training;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Training;

public sealed class TrainerTests
{
    private static O5Dataset SmallO5() => O5Synthetic.Create(new O5Options { Seed = 2, TrainCount = 600, ValidationCount = 100, TestCount = 100 });

    private static readonly TrainingOptions Quick = new() { Epochs = 4, BatchSize = 100, LearningRate = 3e-3, Seed = 9 };

    [Fact]
    public void Same_seed_gives_identical_training()
    {
        using var o5 = SmallO5();
        using var a = Mlp.Create(new MlpOptions(10, 1, 2, 16), seed: 1);
        using var b = Mlp.Create(new MlpOptions(10, 1, 2, 16), seed: 1);
        var first = Trainer.Fit(a, o5.Data, Quick);
        var second = Trainer.Fit(b, o5.Data, Quick);

        Assert.Equal(first.History.Select(h => h.TrainLoss), second.History.Select(h => h.TrainLoss));
        foreach (var (p, q) in a.parameters().Zip(b.parameters())) Assert.True(TensorComparison.SameValues(p, q));
    }

    [Fact]
    public void Different_shuffle_seed_changes_training()
    {
        using var o5 = SmallO5();
        using var a = Mlp.Create(new MlpOptions(10, 1, 2, 16), seed: 1);
        using var b = Mlp.Create(new MlpOptions(10, 1, 2, 16), seed: 1);
        var first = Trainer.Fit(a, o5.Data, Quick);
        var second = Trainer.Fit(b, o5.Data, Quick with { Seed = 10 });
        Assert.NotEqual(first.History[^1].TrainLoss, second.History[^1].TrainLoss);
    }

    [Fact]
    public void Training_reduces_the_loss_and_reports_progress_every_epoch()
    {
        using var o5 = SmallO5();
        using var model = Mlp.Create(new MlpOptions(10, 1, 2, 32), seed: 1);
        var reports = new List<EpochProgress>();
        var result = Trainer.Fit(model, o5.Data, Quick with { Epochs = 30 }, new SynchronousProgress<EpochProgress>(reports.Add));

        Assert.Equal(Enumerable.Range(1, 30), reports.Select(r => r.Epoch));
        Assert.True(result.History[^1].TrainLoss < 0.5 * result.History[0].TrainLoss);
        Assert.All(reports, r => Assert.True(r.SamplesPerSecond > 0));
        Assert.Equal(TimeSpan.Zero, reports[^1].EstimatedRemaining);
        Assert.Equal("mse", reports[0].ValidationMetricName);
    }

    [Fact]
    public void Best_validation_epoch_is_the_one_the_model_ends_with()
    {
        using var o5 = SmallO5();
        using var model = Mlp.Create(new MlpOptions(10, 1, 2, 32), seed: 1);
        // A high learning rate makes the validation error noisy, so the best epoch is rarely the last.
        var result = Trainer.Fit(model, o5.Data, Quick with { Epochs = 12, LearningRate = 3e-2 });

        double best = result.History.Min(h => h.ValidationMetric);
        Assert.Equal(best, result.BestValidationMetric);
        Assert.Equal(result.History.First(h => h.ValidationMetric == best).Epoch, result.BestEpoch);
        Assert.Equal(best, Evaluation.MeanSquaredError(model, o5.Data.Validation), 10);
    }

    [Fact]
    public void Divergence_stops_with_the_epoch_and_batch()
    {
        // (NaN in the data is refused earlier, when the dataset is built.) SGD at 1e12 overflows float32 in a few steps.
        using var data = new TensorDataset("exploding", TaskKind.Regression, [10], 1,
            new DataSplit(randn(300, 10), randn(300, 1)), new DataSplit(randn(10, 10), randn(10, 1)), new DataSplit(randn(10, 10), randn(10, 1)));
        using var model = Mlp.Create(new MlpOptions(10, 1, 1, 8), seed: 0);

        var error = Assert.Throws<TrainingDivergedException>(() => Trainer.Fit(model, data, Quick with { Epochs = 2, Optimizer = Optimizer.Sgd, LearningRate = 1e12, Momentum = 0 }));

        Assert.Equal(1, error.Epoch);
        Assert.InRange(error.Batch, 2, 3);
        Assert.False(double.IsFinite(error.Loss));
    }

    [Fact]
    public void A_finite_loss_a_million_times_its_start_is_divergence_too()
    {
        using var data = new TensorDataset("exploding", TaskKind.Regression, [10], 1,
            new DataSplit(randn(300, 10), randn(300, 1)), new DataSplit(randn(10, 10), randn(10, 1)), new DataSplit(randn(10, 10), randn(10, 1)));
        using var model = Mlp.Create(new MlpOptions(10, 1, 1, 8), seed: 0);

        var error = Assert.Throws<TrainingDivergedException>(() => Trainer.Fit(model, data, Quick with { Epochs = 2, Optimizer = Optimizer.Sgd, LearningRate = 300, Momentum = 0 }));

        Assert.True(double.IsFinite(error.Loss), $"loss {error.Loss}");
        Assert.Contains("it started at", error.Message);
        Assert.Contains("epoch 1, batch", error.Message);
        Assert.Contains("epoch 1, batch", error.Message);
    }

    [Fact]
    public void Cancellation_stops_training()
    {
        using var o5 = SmallO5();
        using var model = Mlp.Create(new MlpOptions(10, 1, 1, 8), seed: 0);
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<EpochProgress>(p => { if (p.Epoch == 2) cancellation.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => Trainer.Fit(model, o5.Data, Quick with { Epochs = 10 }, progress, cancellation.Token));
    }

    [Fact]
    public void Classification_uses_cross_entropy_and_accuracy()
    {
        // Two well-separated Gaussian classes: any sensible classifier reaches full accuracy.
        var random = new SeededRandom(4);
        DataSplit Make(int n)
        {
            var labels = Enumerable.Range(0, n).Select(i => (long)(i % 2)).ToArray();
            var x = labels.SelectMany(l => Enumerable.Range(0, 4).Select(_ => (float)(random.NextGaussian() * 0.3 + (l == 0 ? -2 : 2)))).ToArray();
            return new DataSplit(tensor(x, new long[] { n, 4 }), tensor(labels));
        }
        using var data = new TensorDataset("blobs", TaskKind.Classification, [4], 2, Make(200), Make(50), Make(50));
        using var model = Mlp.Create(new MlpOptions(4, 2, 1, 8), seed: 0);

        var result = Trainer.Fit(model, data, Quick with { Epochs = 20, BatchSize = 20, LearningRate = 1e-2 });

        Assert.Equal("accuracy", result.ValidationMetricName);
        Assert.Equal(1.0, Evaluation.Accuracy(model, data.Test));
    }

    [Fact]
    public void Test_negative_log_likelihood_is_the_mean_log_sum_exp_minus_the_label_logit()
    {
        // A linear map with known weights: the logits are x·Wᵀ + b, so −log p(y) = log Σ_k exp(z_k) − z_y by hand.
        var x = new double[,] { { 1.0, -2.0 }, { 0.5, 0.25 }, { -3.0, 4.0 } };
        long[] labels = [2, 0, 1];
        var weight = new double[,] { { 0.3, -1.2 }, { 2.0, 0.7 }, { -0.4, 0.9 } };
        double[] bias = [0.1, -0.5, 0.25];
        using var model = nn.Linear(2, 3, dtype: ScalarType.Float64);
        using (no_grad())
        {
            model.weight!.copy_(tensor(weight));
            model.bias!.copy_(tensor(bias));
        }
        double expected = 0;
        for (int n = 0; n < 3; n++)
        {
            var z = Enumerable.Range(0, 3).Select(k => x[n, 0] * weight[k, 0] + x[n, 1] * weight[k, 1] + bias[k]).ToArray();
            expected += Math.Log(z.Sum(Math.Exp)) - z[labels[n]];
        }
        var split = new DataSplit(tensor(x), tensor(labels));
        // Batches of two: the mean is over samples, not over batches.
        Assert.Equal(expected / 3, Evaluation.NegativeLogLikelihood(model, split, batchSize: 2), 12);
    }

    [Fact]
    public void Mismatched_loss_is_rejected_before_training()
    {
        using var o5 = SmallO5();
        using var model = Mlp.Create(new MlpOptions(10, 1, 1, 8), seed: 0);
        var error = Assert.Throws<ArgumentException>(() => Trainer.Fit(model, o5.Data, Quick with { Loss = Loss.CrossEntropy }));
        Assert.Contains("use Loss.Mse", error.Message);
    }

    // Loss w² on one sample (x = 1, y = 0) has gradient 2w, so each SGD step at rate η multiplies w by 1 − 2η: the
    // whole trajectory is known in closed form for any sequence of rates.
    [Theory]
    [InlineData(LearningRateSchedule.Constant, 0)]
    [InlineData(LearningRateSchedule.Constant, 2)]
    [InlineData(LearningRateSchedule.Cosine, 0)]
    [InlineData(LearningRateSchedule.Cosine, 2)]
    [InlineData(LearningRateSchedule.Cosine, 4)]
    public void Warmup_scales_each_step_of_the_unchanged_schedule_linearly(LearningRateSchedule schedule, int warmup)
    {
        const double rate = 0.1;
        const int epochs = 4;
        var one = new DataSplit(ones(1, 1), zeros(1, 1));
        using var data = new TensorDataset("square", TaskKind.Regression, [1], 1, one, one, one);
        using var model = TorchSharp.torch.nn.Linear(1, 1, hasBias: false);
        using (no_grad()) model.weight!.fill_(1.0);

        var trained = Trainer.Fit(model, data, Quick with
        {
            Epochs = epochs, BatchSize = 1, Optimizer = Optimizer.Sgd, Momentum = 0, LearningRate = rate, Schedule = schedule, FinalLearningRate = 0, WarmupEpochs = warmup, SelectBest = false,
        });

        double expected = 1;
        for (int t = 0; t < epochs; t++)
        {
            double scheduled = schedule == LearningRateSchedule.Cosine ? rate * (1 + Math.Cos(Math.PI * t / epochs)) / 2 : rate;
            double factor = t < warmup ? (t + 1.0) / warmup : 1;
            expected *= 1 - 2 * scheduled * factor;
            // One step per epoch: the recorded rate is that step's.
            Assert.Equal(scheduled * factor, trained.History[t].LearningRate, 9);
        }
        Assert.Equal(expected, model.weight!.item<float>(), 5);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(5)]
    public void Warmup_longer_than_training_or_negative_is_refused(int warmup)
    {
        using var o5 = SmallO5();
        using var model = Mlp.Create(new MlpOptions(10, 1, 1, 8), seed: 0);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(model, o5.Data, Quick with { WarmupEpochs = warmup }));
        Assert.Equal("WarmupEpochs", error.ParamName);
    }

    [Fact]
    public void A_shortened_run_warms_up_over_at_most_all_of_it()
    {
        var spec = new ExperimentSpec
        {
            Name = "long-warmup",
            Dataset = new O5DatasetSpec(200, 50, 50),
            Architecture = new MlpSpec(Hidden: 1, Width: 8),
            Training = Quick with { Epochs = 10, WarmupEpochs = 10 },
            Prior = new GenericPrior(5, 2),
        };
        var result = ExperimentRunner.Run(spec, new ExperimentRunOptions { Epochs = 2 });
        Assert.Equal(2, result.Training.History.Count);
    }
}
