// TorchSharp's random generator (manual_seed) and its intra-op thread pool are process-wide: tests that train in this
// process would perturb each other's weights and summation order, so "same seed ⇒ same result" could not be tested.
// They share one collection and run one at a time (TestHostCollection). Tests whose work happens in processes they
// start (RunsInOwnProcessesAttribute) keep a collection per class and run beside them and beside each other.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerClass)]

namespace LieGG.Tests.Setup
{
    internal static class Reproducible
    {
        // Before any test touches TorchSharp directly (the runtime's own initializer may run later).
#pragma warning disable CA2255
        [System.Runtime.CompilerServices.ModuleInitializer]
#pragma warning restore CA2255
        internal static void Initialize() => LieGG.Runtime.Reproducibility.Ensure();
    }
}
