using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Experiments;
using LieGG.Runtime.Models;
using LieGG.Runtime.Orchestration;
using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Training;

namespace LieGG.Runtime.Tests.Experiments;

/// <summary>Paper §5.4 regimes: the pre-trained part, fine-tuning (F) and frozen layer-wise training (L).</summary>
public sealed class RegimeTests
{
    private static readonly TrainingOptions Training = new() { Epochs = 3, BatchSize = 100, LearningRate = 3e-3 };

    private static ExperimentSpec Spec(Regime regime) => new()
    {
        Name = "regimes",
        Dataset = new O5DatasetSpec(300, 50, 50),
        Architecture = new MlpSpec(Hidden: 3, Width: 12),
        Training = Training,
        Prior = new GenericPrior(5, 2),
        Pretrain = new PretrainSpec(Layers: 2, Regime: regime),
    };

    private static (Mlp Model, Mlp Part) TrainBoth(Regime regime, IDataset data)
    {
        var (model, _) = ExperimentRunner.Train(Spec(regime), data, Training, seed: 4);
        // The pre-trained part, trained independently with the same seed and in the same task units: the runner must have used exactly this.
        var part = Mlp.Create(new MlpOptions(10, 1, 2, 12), seed: 4);
        Trainer.Fit(ExperimentRunner.InTaskUnits(part, data), data, Training);
        return ((Mlp)((StandardizedNetwork)model).Network, part);
    }

    [Fact]
    public void Layer_wise_regime_keeps_the_pretrained_layers_fixed()
    {
        using var data = new O5DatasetSpec(300, 50, 50).Load(new DatasetContext(0, null, false));
        var (model, part) = TrainBoth(Regime.LayerWise, data);
        Assert.Equal(part.Layers[0].weight!.data<float>().ToArray(), model.Layers[0].weight!.data<float>().ToArray());
        Assert.Equal(part.Layers[1].weight!.data<float>().ToArray(), model.Layers[1].weight!.data<float>().ToArray());
        Assert.All(model.parameters(), p => Assert.True(p.requires_grad, "layers are unfrozen after training"));
    }

    [Fact]
    public void Fine_tuning_starts_from_the_pretrained_layers_and_moves_on()
    {
        using var data = new O5DatasetSpec(300, 50, 50).Load(new DatasetContext(0, null, false));
        var (model, part) = TrainBoth(Regime.FineTune, data);
        Assert.NotEqual(part.Layers[0].weight!.data<float>().ToArray(), model.Layers[0].weight!.data<float>().ToArray());
        Assert.Equal(3, model.HiddenLayerCount);
    }

    [Fact]
    public void Pretrained_part_is_the_shallow_network_itself()
    {
        using var data = new O5DatasetSpec(300, 50, 50).Load(new DatasetContext(0, null, false));
        var (model, part) = TrainBoth(Regime.PretrainedPart, data);
        Assert.Equal(2, model.HiddenLayerCount);
        Assert.Equal(part.Layers[0].weight!.data<float>().ToArray(), model.Layers[0].weight!.data<float>().ToArray());
    }

    [Fact]
    public void Pretraining_needs_fewer_layers_than_the_network()
    {
        using var data = new O5DatasetSpec(300, 50, 50).Load(new DatasetContext(0, null, false));
        var error = Assert.Throws<InvalidOperationException>(() => ExperimentRunner.Train(Spec(Regime.FineTune) with { Pretrain = new PretrainSpec(Layers: 3) }, data, Training, 0));
        Assert.Contains("between 1 and the MLP's hidden layers − 1 (2)", error.Message);
    }
}
