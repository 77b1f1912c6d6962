using System.Globalization;

namespace LieGG.Runtime.Studies;

/// <summary>Every n-th trial starting at i (0 ≤ i &lt; n): independent machines or array jobs split a study this way.</summary>
public sealed record Shard(int Index, int Count)
{
    public bool Includes(int trial) => trial % Count == Index;

    /// <summary>
    /// Parses "i/n", or "auto" (i and n from a Slurm job array's environment) or "auto/n" (i from a Kubernetes Indexed
    /// Job's JOB_COMPLETION_INDEX); the message of a bad value names the option and the fix.
    /// </summary>
    public static Shard Parse(string text, Func<string, string?> environment)
    {
        if (text != "auto" && !text.StartsWith("auto/", StringComparison.Ordinal)) return Parse(text);
        int? tasks = null;
        if (text != "auto")
        {
            if (!int.TryParse(text[5..], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1)
                throw new FormatException($"--shard '{text}' is not auto/n with n ≥ 1 (n: the Kubernetes Job's completions).");
            tasks = n;
        }
        try
        {
            var task = ArrayTask.FromEnvironment(environment, tasks);
            return new Shard(task.Index, task.Count);
        }
        catch (FormatException e)
        {
            throw new FormatException($"--shard {text}: {e.Message}", e);
        }
    }

    /// <summary>Parses "i/n"; the message of a bad value names the option and the fix.</summary>
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count < 1 || index >= count)
            throw new FormatException($"--shard '{text}' is not i/n with 0 ≤ i < n (e.g. 0/4 … 3/4; a Slurm array job can pass $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT).");
        return new Shard(index, count);
    }
}
