using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace LieGG.Experiments.Tests;

/// <summary>
/// Starts the test collections longest first (<see cref="TypicalDurationAttribute"/>; collections without one last, by
/// name). xunit runs as many collections at once as <c>maxParallelThreads</c> allows and starts the next when one ends,
/// so a long collection started last runs on alone at the end while the other slots sit idle: in one timed run the
/// Slurm tests (67 s) started at 173 s and ended the project at 240 s, with 66 s of CPU unused. Longest first is the
/// classic cure for that tail (at most a third above the best order, whatever the durations).
/// </summary>
public sealed class LongestFirstCollectionOrderer : ITestCollectionOrderer
{
    public const string TypeName = "LieGG.Experiments.Tests.LongestFirstCollectionOrderer";
    public const string AssemblyName = "LieGG.Experiments.Tests";

    private const string PerClassPrefix = "Test collection for ";

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections)
        => testCollections
            .Select(collection => (Collection: collection, Seconds: TypicalSeconds(collection)))
            .OrderByDescending(c => c.Seconds ?? double.NegativeInfinity)
            .ThenBy(c => c.Collection.DisplayName, StringComparer.Ordinal)
            .Select(c => c.Collection)
            .ToList();

    /// <summary>From the collection's definition (a shared collection) or its one class (a collection per class).</summary>
    internal static double? TypicalSeconds(ITestCollection collection)
    {
        var type = collection.CollectionDefinition?.ToRuntimeType() ?? ClassOf(collection.DisplayName);
        return type?.GetCustomAttribute<TypicalDurationAttribute>()?.Seconds;
    }

    private static Type? ClassOf(string displayName)
    {
        if (!displayName.StartsWith(PerClassPrefix, StringComparison.Ordinal)) return null;
        var name = displayName[PerClassPrefix.Length..];
        int suffix = name.IndexOf(' ', StringComparison.Ordinal);
        return typeof(LongestFirstCollectionOrderer).Assembly.GetType(suffix < 0 ? name : name[..suffix]);
    }
}
