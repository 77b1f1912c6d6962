using System.Globalization;

namespace LieGG.Runtime.Studies;

/// <summary>One swept parameter's value in a trial, as text (invariant culture) and, when numeric, as a number.</summary>
public sealed record TrialParameter(string Name, string Value, double? Number);

/// <summary>Which study a run belongs to and where in its grid.</summary>
public sealed record TrialInfo(string Study, int Index, IReadOnlyList<TrialParameter> Parameters, int Seed)
{
    public string Key => $"trial-{Index.ToString("D4", CultureInfo.InvariantCulture)}";

    public string Label => string.Join(", ", Parameters.Select(p => $"{p.Name}={p.Value}").Append($"seed={Seed}"));
}
