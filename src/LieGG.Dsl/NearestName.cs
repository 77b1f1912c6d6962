using System;
using System.Collections.Generic;
using System.Linq;

// Also compiled into the analyzers (LieGG.Dsl.Generators), whose suggestions follow the same measure.
#if LIEGG_ANALYZER
namespace LieGG.Dsl.Generators.Shared;
#else
namespace LieGG.Dsl;
#endif

/// <summary>The nearest of some valid names to a mistyped one (Levenshtein distance, case-insensitive), for "did you mean" hints.</summary>
public static class NearestName
{
    /// <summary>The candidate closest to <paramref name="text"/> within a third of its length (at least <paramref name="leastAllowed"/> edits), or null; ties go to the ordinal first.</summary>
    public static string? To(string text, IEnumerable<string> candidates, int leastAllowed = 2)
    {
        var lower = text.ToLowerInvariant();
        int allowed = Math.Max(leastAllowed, text.Length / 3);
        return candidates.Select(c => (Name: c, Distance: Distance(lower, c.ToLowerInvariant())))
            .Where(c => c.Distance <= allowed)
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name)
            .FirstOrDefault();
    }

    /// <summary>" (did you mean X?)", or empty when nothing is near.</summary>
    public static string Hint(string text, IEnumerable<string> candidates) => To(text, candidates) is { } near ? $" (did you mean {near}?)" : "";

    /// <summary>Levenshtein distance.</summary>
    public static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
