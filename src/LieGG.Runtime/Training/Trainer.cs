using System.Diagnostics;
using LieGG.Dsl;
using LieGG.Runtime.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Training;

/// <summary>
/// Mini-batch training (Adam, or SGD with momentum; constant or cosine learning rate, optional linear warm-up) with validation, best-model
/// selection and divergence detection. A <see cref="ITrainingRegularizer"/> adds a penalty's gradient to every batch's and
/// acts after every epoch (ELLA's learned priors).
/// </summary>
public static class Trainer
{
    /// <summary>A batch loss this many times the first batch's stops training as diverged.</summary>
    public const double ExplosionFactor = 1e6;

    public static TrainingResult Fit(
        nn.Module<Tensor, Tensor> model,
        IDataset data,
        TrainingOptions options,
        IProgress<EpochProgress>? progress = null,
        CancellationToken cancellationToken = default,
        ITrainingRegularizer? regularizer = null)
    {
        options.Validate();
        if (data.Train.Count == 0) throw new ArgumentException($"Dataset '{data.Name}' has an empty training split.", nameof(data));
        if (options.Threads is { } threads) torch.set_num_threads(threads);
        var device = torch.device(options.Device);
        var loss = options.ResolveLoss(data.Task);
        if (loss == Loss.CrossEntropy && data.Task != TaskKind.Classification)
            throw new ArgumentException($"Cross-entropy needs class labels but dataset '{data.Name}' is a regression task; use Loss.Mse.", nameof(options));
        if (loss == Loss.Mse && data.Task == TaskKind.Classification)
            throw new ArgumentException($"MSE needs real-valued targets but dataset '{data.Name}' has class labels; use Loss.CrossEntropy.", nameof(options));

        torch.manual_seed(options.Seed);
        var shuffle = new torch.Generator((ulong)(uint)options.Seed);
        model.to(device);
        using var inputs = data.Train.Inputs.to(device);
        using var targets = data.Train.Targets.to(device);
        using var optimizer = options.Optimizer == Optimizer.Sgd
            ? (torch.optim.Optimizer)torch.optim.SGD(model.parameters(), options.LearningRate, momentum: options.Momentum, weight_decay: options.WeightDecay)
            : torch.optim.Adam(model.parameters(), lr: options.LearningRate, weight_decay: options.WeightDecay);
        long stepsPerEpoch = (data.Train.Count + options.BatchSize - 1) / options.BatchSize;
        var schedule = options.Schedule == LearningRateSchedule.Cosine
            ? torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, stepsPerEpoch * options.Epochs, options.FinalLearningRate)
            : null;
        long warmupSteps = stepsPerEpoch * options.WarmupEpochs, step = 0;

        bool higherIsBetter = data.Task == TaskKind.Classification;
        string metricName = higherIsBetter ? "accuracy" : "mse";
        bool hasValidation = data.Validation.Count > 0;
        var history = new List<EpochRecord>();
        Dictionary<string, Tensor>? best = null;
        int bestEpoch = 0, sinceImprovement = 0;
        double bestMetric = double.NaN;
        bool stoppedEarly = false;
        long n = data.Train.Count;
        double initialLoss = double.NaN, lastRate = double.NaN;
        var clock = Stopwatch.StartNew();

        try
        {
            for (int epoch = 1; epoch <= options.Epochs; epoch++)
            {
                var epochClock = Stopwatch.StartNew();
                model.train();
                double lossSum = 0;
                using var order = torch.randperm(n, generator: shuffle).to(device);
                int batch = 0;
                for (long start = 0; start < n; start += options.BatchSize, batch++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var batchStage = StageProfiler.Measure("batches");
                    using var scope = torch.NewDisposeScope();
                    long size = Math.Min(options.BatchSize, n - start);
                    var index = order.narrow(0, start, size);
                    var x = inputs.index_select(0, index);
                    var y = targets.index_select(0, index);
                    optimizer.zero_grad();
                    var prediction = model.forward(x);
                    var batchLoss = loss == Loss.CrossEntropy
                        ? nn.functional.cross_entropy(prediction, y)
                        : nn.functional.mse_loss(prediction, y.to_type(prediction.dtype));
                    double value = batchLoss.item<float>();
                    if (!double.IsFinite(value)) throw new TrainingDivergedException(epoch, batch + 1, value);
                    if (double.IsNaN(initialLoss)) initialLoss = value;
                    // A loss a million times its first value has left any sensible basin: weights are blowing up, and the
                    // network that comes out (often one with a constant output) would only look perfectly invariant.
                    else if (value > ExplosionFactor * Math.Max(initialLoss, 1e-8)) throw new TrainingDivergedException(epoch, batch + 1, value, initialLoss);
                    batchLoss.backward();
                    regularizer?.AddPenaltyGradient();
                    double warmup = step < warmupSteps ? (step + 1.0) / warmupSteps : 1;
                    lastRate = optimizer.ParamGroups.First().LearningRate * warmup;
                    if (warmup < 1) StepWarmingUp(optimizer, warmup);
                    else optimizer.step();
                    step++;
                    schedule?.step();
                    lossSum += value * size;
                }

                regularizer?.AfterEpoch(epoch, cancellationToken);
                double metric;
                using (StageProfiler.Measure("validation"))
                    metric = hasValidation ? Evaluation.Metric(model, data.Validation, data.Task, options.BatchSize * 4) : double.NaN;
                bool isBest = hasValidation && (best is null || (higherIsBetter ? metric > bestMetric : metric < bestMetric));
                if (isBest || !hasValidation)
                {
                    bestMetric = metric;
                    bestEpoch = epoch;
                    sinceImprovement = 0;
                    if (options.SelectBest && hasValidation) best = Snapshot(model, best);
                }
                else
                {
                    sinceImprovement++;
                }

                epochClock.Stop();
                history.Add(new EpochRecord(epoch, lossSum / n, metric, epochClock.Elapsed.TotalSeconds, lastRate));
                var meanEpoch = clock.Elapsed / epoch;
                progress?.Report(new EpochProgress(epoch, options.Epochs, lossSum / n, metric, metricName, isBest,
                    n / epochClock.Elapsed.TotalSeconds, clock.Elapsed, meanEpoch * (options.Epochs - epoch)));

                if (options.EarlyStoppingPatience is { } patience && sinceImprovement >= patience && epoch < options.Epochs)
                {
                    stoppedEarly = true;
                    break;
                }
            }

            if (options.SelectBest && best is not null) Restore(model, best);
            else bestEpoch = history.Count;
        }
        finally
        {
            if (best is not null) foreach (var tensor in best.Values) tensor.Dispose();
        }

        model.eval();
        return new TrainingResult(history, bestEpoch, options.SelectBest ? bestMetric : history[^1].ValidationMetric, metricName, stoppedEarly, clock.Elapsed);
    }

    // Scales the scheduled rate for this one step and restores it, so the schedule (chainable, as torch's, computing each
    // rate from the previous one) runs exactly as without warm-up.
    private static void StepWarmingUp(torch.optim.Optimizer optimizer, double factor)
    {
        var scheduled = optimizer.ParamGroups.Select(g => g.LearningRate).ToList();
        foreach (var group in optimizer.ParamGroups) group.LearningRate *= factor;
        optimizer.step();
        foreach (var (group, rate) in optimizer.ParamGroups.Zip(scheduled)) group.LearningRate = rate;
    }

    private static Dictionary<string, Tensor> Snapshot(nn.Module module, Dictionary<string, Tensor>? previous)
    {
        if (previous is not null) foreach (var tensor in previous.Values) tensor.Dispose();
        using var _ = torch.no_grad();
        return module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
    }

    private static void Restore(nn.Module module, Dictionary<string, Tensor> saved)
    {
        using var _ = torch.no_grad();
        foreach (var (name, tensor) in module.state_dict()) tensor.copy_(saved[name]);
    }
}

/// <summary>Test and validation metrics, computed in batches without gradients.</summary>
public static class Evaluation
{
    /// <summary>Accuracy in [0, 1] for classification, mean squared error for regression.</summary>
    public static double Metric(nn.Module<Tensor, Tensor> model, DataSplit split, TaskKind task, int batchSize = 2048)
        => task == TaskKind.Classification ? Accuracy(model, split, batchSize) : MeanSquaredError(model, split, batchSize);

    public static double Accuracy(nn.Module<Tensor, Tensor> model, DataSplit split, int batchSize = 2048)
    {
        long correct = 0;
        ForEachBatch(model, split, batchSize, (prediction, targets) =>
            correct += prediction.argmax(1).eq(targets).sum().item<long>());
        return split.Count == 0 ? double.NaN : (double)correct / split.Count;
    }

    /// <summary>
    /// Mean over samples of −log softmax(logits)[target] (classification), accumulated in float64: the test negative
    /// log-likelihood, which accuracy hides — how much probability a network puts on the right class.
    /// </summary>
    public static double NegativeLogLikelihood(nn.Module<Tensor, Tensor> model, DataSplit split, int batchSize = 2048)
    {
        double sum = 0;
        ForEachBatch(model, split, batchSize, (logits, targets) =>
            sum -= nn.functional.log_softmax(logits.to_type(ScalarType.Float64), 1).gather(1, targets.unsqueeze(1)).sum().item<double>());
        return split.Count == 0 ? double.NaN : sum / split.Count;
    }

    /// <summary>Mean over samples and target dimensions of (prediction − target)².</summary>
    public static double MeanSquaredError(nn.Module<Tensor, Tensor> model, DataSplit split, int batchSize = 2048)
    {
        double sum = 0;
        long elements = 0;
        ForEachBatch(model, split, batchSize, (prediction, targets) =>
        {
            sum += (prediction.to_type(ScalarType.Float64) - targets.to_type(ScalarType.Float64)).square().sum().item<double>();
            elements += targets.numel();
        });
        return elements == 0 ? double.NaN : sum / elements;
    }

    private static void ForEachBatch(nn.Module<Tensor, Tensor> model, DataSplit split, int batchSize, Action<Tensor, Tensor> visit)
    {
        bool wasTraining = model.training;
        model.eval();
        var device = model.parameters().FirstOrDefault()?.device ?? torch.CPU;
        try
        {
            using var _ = torch.no_grad();
            for (long start = 0; start < split.Count; start += batchSize)
            {
                using var scope = torch.NewDisposeScope();
                long size = Math.Min(batchSize, split.Count - start);
                var x = split.Inputs.narrow(0, start, size).to(device);
                var y = split.Targets.narrow(0, start, size).to(device);
                visit(model.forward(x), y);
            }
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }
}
