using System.Text.RegularExpressions;

namespace LieGG.Cli;

/// <summary>Selects experiments by exact name or glob (<c>*</c>, <c>?</c>) and suggests near matches for typos.</summary>
public static class NameMatcher
{
    public static IReadOnlyList<string> Select(string pattern, IEnumerable<string> names)
    {
        if (!pattern.Contains('*') && !pattern.Contains('?'))
            return names.Where(n => string.Equals(n, pattern, StringComparison.OrdinalIgnoreCase)).ToList();
        var regex = new Regex("^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        return names.Where(n => regex.IsMatch(n)).ToList();
    }

    /// <summary>Names within a small edit distance of <paramref name="pattern"/>, or containing it, closest first.</summary>
    public static IReadOnlyList<string> Suggest(string pattern, IEnumerable<string> names)
    {
        var plain = pattern.Replace("*", "").Replace("?", "").ToLowerInvariant();
        int allowed = Math.Max(2, plain.Length / 3);
        return names
            .Select(n => (Name: n, Distance: Distance(plain, n.ToLowerInvariant())))
            .Where(c => c.Distance <= allowed || (plain.Length >= 2 && c.Name.Contains(plain, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name)
            .Take(3)
            .ToList();
    }

    /// <summary>Levenshtein distance.</summary>
    public static int Distance(string a, string b) => LieGG.Dsl.NearestName.Distance(a, b);
}
