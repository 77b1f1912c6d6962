namespace LieGG.Experiments.Tests;

/// <summary>
/// Marks a test class whose commands run in processes it starts (the experiments program, Slurm, a browser, a notebook
/// kernel) and that touches no TorchSharp state of the test host, so it may run beside every other collection. A class
/// carries either this or <c>[Collection(TestHostCollection.Name)]</c>; <see cref="CollectionAssignmentTests"/> checks it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RunsInOwnProcessesAttribute : Attribute;
