// TorchSharp's random generator (manual_seed) and its intra-op thread pool are process-wide: tests that train in this
// process would perturb each other's weights and summation order, so "same seed ⇒ same result" could not be tested.
// They share one collection and run one at a time (TestHostCollection). Tests whose work happens in processes they
// start (RunsInOwnProcessesAttribute) keep a collection per class and run beside them and beside each other.
// xunit.runner.json allows twice as many tests at once as there are cores: a process-only test mostly waits for its
// processes (a Slurm queue, a browser, a seeded kill), and with one test per core those waits left cores idle — on 2
// cores this project took 3 min 46 s at 2 tests at once (CPU 50-70 % busy in stretches) and 3 min 26 s at 4 (≈ 100 %).
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerClass)]
[assembly: TestCollectionOrderer(LieGG.Experiments.Tests.LongestFirstCollectionOrderer.TypeName, LieGG.Experiments.Tests.LongestFirstCollectionOrderer.AssemblyName)]

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
