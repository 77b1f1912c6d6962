namespace LieGG.Experiments.Tests;

/// <summary>
/// The overrides for a test that checks wiring and layer structure, not learned numbers: a tenth of the quick training
/// split (100 digits), 50 validation and test digits (the rotation and shift responses run over the test digits) and 8
/// inputs per layer equivariance check. Layer equivariance is a property of the layers, so it holds at any size.
/// </summary>
internal static class WiringSizes
{
    /// <param name="dataset">The dataset attribute the experiment declares: RotatedMnist, QuadrantMnist, CanvasMnist.</param>
    public static string[] Of(string dataset) =>
        ["--set", $"{dataset}.TrainCount=1000", "--set", $"{dataset}.ValidationCount=50", "--set", $"{dataset}.TestCount=50", "--set", "Equivariance.Samples=8"];
}
