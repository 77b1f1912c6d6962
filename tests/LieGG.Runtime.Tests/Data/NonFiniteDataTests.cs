using LieGG.Dsl;
using LieGG.Runtime.Data;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Data;

/// <summary>A NaN or ±∞ anywhere in any split is refused before training, naming split, sample and feature.</summary>
public sealed class NonFiniteDataTests
{
    private static DataSplit Split(int n, int features, long classes = 3) => new(zeros(n, features), arange(n) % classes);

    [Fact]
    public void A_nan_input_in_the_validation_split_is_named_by_split_sample_and_feature()
    {
        var validation = Split(6, 4);
        validation.Inputs[3, 2] = float.NaN;
        validation.Inputs[5, 0] = float.PositiveInfinity;
        var error = Assert.Throws<ArgumentException>(() => new TensorDataset("toy", TaskKind.Classification, [4], 3, Split(10, 4), validation, Split(5, 4)));
        Assert.Contains("Dataset 'toy', Validation split: input 2 of sample 3 is NaN (2 non-finite values in all)", error.Message);
    }

    [Fact]
    public void An_infinite_regression_target_in_the_test_split_is_refused()
    {
        DataSplit Regression(int n) => new(zeros(n, 2), zeros(n, 1));
        var test = Regression(4);
        test.Targets[1, 0] = float.NegativeInfinity;
        var error = Assert.Throws<ArgumentException>(() => new TensorDataset("toy", TaskKind.Regression, [2], 1, Regression(8), Regression(3), test));
        Assert.Contains("Test split: target 0 of sample 1 is -∞", error.Message.Replace("-Infinity", "-∞"));
    }

    [Fact]
    public void Images_name_the_flat_pixel_index()
    {
        var train = new DataSplit(zeros(3, 4, 5), zeros(3, ScalarType.Int64));
        train.Inputs[2, 1, 3] = float.NaN;
        var error = Assert.Throws<ArgumentException>(() => new TensorDataset("img", TaskKind.Classification, [4, 5], 2, train, new DataSplit(zeros(0, 4, 5), zeros(0, ScalarType.Int64)), train));
        Assert.Contains("Train split: input 8 of sample 2 is NaN", error.Message);
    }
}
