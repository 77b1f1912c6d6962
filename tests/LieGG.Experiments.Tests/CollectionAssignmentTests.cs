using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace LieGG.Experiments.Tests;

/// <summary>
/// Every test class says where its work runs: in the test host (one shared collection, one test at a time) or in
/// processes it starts (free to run beside the rest). A class with neither would run in parallel with the test-host
/// tests by default and could perturb their seeded results.
/// </summary>
[Collection(TestHostCollection.Name)]
public sealed class CollectionAssignmentTests
{
    [Fact]
    public void Every_test_class_runs_in_the_test_host_collection_or_declares_it_runs_in_its_own_processes()
    {
        var testClasses = typeof(CollectionAssignmentTests).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttributes<FactAttribute>().Any()))
            .ToList();
        Assert.Contains(typeof(StudyKillTests), testClasses);
        var problems = new List<string>();
        foreach (var type in testClasses)
        {
            bool inTestHost = type.GetCustomAttributesData().Any(a => a.AttributeType == typeof(CollectionAttribute)
                && a.ConstructorArguments.Single().Value as string == TestHostCollection.Name);
            bool ownProcesses = type.GetCustomAttribute<RunsInOwnProcessesAttribute>() is not null;
            if (inTestHost == ownProcesses)
                problems.Add($"{type.Name}: {(inTestHost ? "both" : "neither")} [Collection(TestHostCollection.Name)] {(inTestHost ? "and" : "nor")} [RunsInOwnProcesses]");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Collections_start_longest_first_as_xunit_names_them()
    {
        // The collections as xunit's own factory makes them, so the orderer is checked against xunit's naming.
        var assembly = new TestAssembly(Reflector.Wrap(typeof(CollectionAssignmentTests).Assembly));
        var factory = new CollectionPerClassTestCollectionFactory(assembly, new NullMessageSink());
        ITestCollection For(Type type) => factory.Get(Reflector.Wrap(type));
        var host = For(typeof(StudyCommandLineTests));
        var kills = For(typeof(StudyKillTests));
        var slurm = For(typeof(SlurmStudyTests));
        var unmarked = For(typeof(FullDiskTests));

        Assert.Equal(typeof(TestHostCollection).GetCustomAttribute<TypicalDurationAttribute>()!.Seconds, LongestFirstCollectionOrderer.TypicalSeconds(host));
        Assert.Equal(typeof(StudyKillTests).GetCustomAttribute<TypicalDurationAttribute>()!.Seconds, LongestFirstCollectionOrderer.TypicalSeconds(kills));
        Assert.Null(LongestFirstCollectionOrderer.TypicalSeconds(unmarked));
        var expected = new[] { host, kills, slurm }.OrderByDescending(LongestFirstCollectionOrderer.TypicalSeconds).Append(unmarked).ToList();
        Assert.Equal(expected, new LongestFirstCollectionOrderer().OrderTestCollections([unmarked, slurm, kills, host]));
    }
}
