namespace LieGG.Experiments.Tests;

/// <summary>
/// The tests that train, analyse or load networks in the test host itself: TorchSharp's seed and thread pool are the
/// process's, so these run one at a time (beside the tests marked <see cref="RunsInOwnProcessesAttribute"/>).
/// </summary>
[CollectionDefinition(Name)]
[TypicalDuration(150)]
public sealed class TestHostCollection
{
    public const string Name = "TorchSharp in the test host";
}
