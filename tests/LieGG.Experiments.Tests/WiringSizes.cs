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

    /// <summary>
    /// <see cref="Of"/> for ELLA networks, also at width α = 2 instead of the declared 4: every block keeps several
    /// channels and all its pathways, while the KFAC factors' eigendecompositions (up to 1024 × 1024 at α = 4), which
    /// dominated quick trials, shrink fourfold per side. Quick ella-table1 with two workers took 28.6 s of CPU at α = 4
    /// and 18.4 s at α = 2; ella-groups 39.9 s and 27.6 s.
    /// </summary>
    public static string[] OfEllaNetworks(string dataset) => [.. Of(dataset), "--set", "RelaxedCnn.Width=2"];
}
