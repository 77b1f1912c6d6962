namespace LieGG.Experiments.Tests;

/// <summary>
/// How long a test collection's tests take together, typically, when the whole suite runs on two cores (seconds, from
/// the suite's own timings). Only <see cref="LongestFirstCollectionOrderer"/> reads it: a stale value changes when a
/// collection starts, never what it checks.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class TypicalDurationAttribute(double seconds) : Attribute
{
    public double Seconds { get; } = seconds;
}
