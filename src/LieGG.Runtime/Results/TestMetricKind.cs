namespace LieGG.Runtime.Results;

/// <summary>What a run's test metric measures: accuracy for classification, mean squared error for regression, none for an analysis without targets.</summary>
/// <remarks>Read case-insensitively, so result files that wrote "accuracy" / "mse" / "none" load unchanged.</remarks>
public enum TestMetricKind
{
    None,
    Accuracy,
    Mse,
}

public static class TestMetricKinds
{
    /// <summary>How reports and the console label it ("test accuracy", "test MSE").</summary>
    public static string Label(this TestMetricKind kind) => kind switch
    {
        TestMetricKind.Accuracy => "test accuracy",
        TestMetricKind.Mse => "test MSE",
        _ => "no test metric",
    };

    /// <summary>Its short lower-case name, as TensorBoard tags and comparison cells write it ("accuracy", "mse").</summary>
    public static string Tag(this TestMetricKind kind) => kind.ToString().ToLowerInvariant();

    public static TestMetricKind For(LieGG.Dsl.TaskKind task) => task == LieGG.Dsl.TaskKind.Classification ? TestMetricKind.Accuracy : TestMetricKind.Mse;
}
