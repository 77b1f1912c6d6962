// TorchSharp's random generator (manual_seed) and its intra-op thread pool are process-wide: tests that
// train in parallel would perturb each other's weights and summation order, so "same seed ⇒ same result"
// could not be tested. Run the tests of this assembly one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

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
