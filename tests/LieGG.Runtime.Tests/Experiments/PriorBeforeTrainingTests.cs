using LieGG.Runtime.Experiments;
using LieGG.Runtime.Orchestration;
using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Training;

namespace LieGG.Runtime.Tests.Experiments;

/// <summary>Data that do not fit the declared prior fail before training, not after it.</summary>
public sealed class PriorBeforeTrainingTests
{
    [Fact]
    public void A_generic_prior_that_does_not_fit_the_data_fails_before_the_first_epoch()
    {
        var spec = new ExperimentSpec
        {
            Name = "misfit",
            Dataset = new O5DatasetSpec(TrainCount: 200, ValidationCount: 20, TestCount: 20),
            Architecture = new MlpSpec(),
            Training = new TrainingOptions { Epochs = 100_000 },
            Prior = new GenericPrior(3, 3),
        };
        var stages = new List<RunStage>();
        Assert.Throws<ExperimentSetupException>(() => ExperimentRunner.Run(spec, progress: new SynchronousProgress<ExperimentProgress>(p => stages.Add(p.Stage))));
        Assert.Equal([RunStage.Data], stages);
    }

    [Fact]
    public void A_model_with_the_wrong_number_of_outputs_fails_before_the_first_epoch()
    {
        var spec = new ExperimentSpec
        {
            Name = "wrong-outputs",
            Dataset = new O5DatasetSpec(TrainCount: 200, ValidationCount: 20, TestCount: 20),
            Architecture = new CustomModelSpec("three outputs", context => TorchSharp.torch.nn.Linear(context.InputSize, 3)),
            Training = new TrainingOptions { Epochs = 100_000 },
            Prior = new GenericPrior(5, 2),
        };
        var stages = new List<RunStage>();
        var error = Assert.Throws<ExperimentSetupException>(() => ExperimentRunner.Run(spec, progress: new SynchronousProgress<ExperimentProgress>(p => stages.Add(p.Stage))));
        Assert.Contains("outputs of shape [3] per sample but dataset", error.Message);
        Assert.Equal([RunStage.Data], stages);
    }
}
