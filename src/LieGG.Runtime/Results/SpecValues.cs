using LieGG.Runtime.Experiments;

namespace LieGG.Runtime.Results;

/// <summary>One value of a recorded spec as every text view shows it (report Settings, export and comparison columns, stale-trial differences).</summary>
/// <param name="Group">Where it sits in the spec (dataset, architecture, training, …).</param>
/// <param name="Attribute">The attribute that declares it, as declarations and --set name it.</param>
public sealed record SpecValue(string Group, string Attribute, string Property, string Value)
{
    /// <summary>"Attribute.Property", as --set and list NAME write it.</summary>
    public string Target => $"{Attribute}.{Property}";

    /// <summary>"group.Property", the export column (stable across architectures of the same group).</summary>
    public string Column => $"{Group}.{Property}";
}

/// <summary>The text views of an <see cref="ExperimentSpec"/>: one list of values, computed from the typed spec alone.</summary>
public static class SpecValues
{
    /// <summary>
    /// Every value of <paramref name="spec"/>: per part its kind (<c>dataset.kind = MnistDatasetSpec</c>) and each value --set
    /// can replace, in declaration order; custom datasets, models and algebras by their type.
    /// </summary>
    public static IReadOnlyList<SpecValue> Of(ExperimentSpec spec)
    {
        var values = new List<SpecValue>();
        var parts = SpecPart.Of(spec);
        var settable = SpecOverrides.Settable(spec);
        foreach (var part in parts)
        {
            values.Add(new SpecValue(part.Group, part.Attribute, "kind", part.Value.GetType().Name));
            values.AddRange(settable.Where(p => p.Attribute == part.Attribute).Select(p => new SpecValue(part.Group, part.Attribute, p.Property, p.Shown)));
        }
        switch (spec.Dataset)
        {
            case CustomDatasetSpec custom:
                values.Insert(0, new SpecValue("dataset", "Dataset", "Source", custom.TypeName));
                break;
            case InputFileDatasetSpec inputs:
                values.Insert(0, new SpecValue("dataset", "Inputs", "Path", inputs.Path));
                break;
        }
        if (spec.Architecture is CustomModelSpec model)
            values.Add(new SpecValue("architecture", "Model", "Source", model.Source));
        if (spec.GroundTruth is CustomGroundTruth algebra)
            values.Add(new SpecValue("groundTruth", "GroundTruth", "Algebra", algebra.TypeName));
        return values;
    }

    /// <summary>The first value in which two specs differ, as "Attribute.Property was a, the declaration now says b"; null when they agree.</summary>
    public static string? FirstDifference(ExperimentSpec recorded, ExperimentSpec expected)
    {
        var a = Of(recorded).ToDictionary(v => v.Column, v => v.Value);
        var b = Of(expected).ToDictionary(v => v.Column, v => v.Value);
        foreach (var key in a.Keys.Union(b.Keys))
        {
            a.TryGetValue(key, out var x);
            b.TryGetValue(key, out var y);
            if (x != y) return $"{key} was {x ?? "unset"}, the declaration now says {y ?? "unset"}";
        }
        return null;
    }
}
