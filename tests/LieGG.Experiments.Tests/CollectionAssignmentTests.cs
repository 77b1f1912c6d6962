using System.Reflection;

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
        Assert.Contains(typeof(KillTests), testClasses);
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
}
