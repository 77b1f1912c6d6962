using System.Globalization;

namespace LieGG.Runtime.Orchestration;

/// <summary>
/// Fault injection for the tests of failing and interrupted trials, on whichever machine or scheduler runs them.
/// <c>LIEGG_FAIL_TRIAL=trial-0002</c> (trial keys, comma-separated) fails those trials as they start, as a trial whose
/// training throws would. <c>LIEGG_DELAY_TRIAL=trial-0001:60</c> makes a trial wait that many seconds after it is
/// claimed (stopped by the same signals as training), so a test can cancel or kill it mid-trial at leisure rather than
/// by racing a trial that takes two seconds. Unset, they cost one comparison per trial.
/// </summary>
public static class TrialFaults
{
    public const string FailVariable = "LIEGG_FAIL_TRIAL";
    public const string DelayVariable = "LIEGG_DELAY_TRIAL";

    private static readonly string[] Failing = Keys(FailVariable).ToArray();

    private static readonly Dictionary<string, double> Delays = Keys(DelayVariable)
        .Select(entry => entry.Split(':'))
        .Where(parts => parts.Length == 2 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        .ToDictionary(parts => parts[0], parts => double.Parse(parts[1], CultureInfo.InvariantCulture));

    private static IEnumerable<string> Keys(string variable) =>
        (Environment.GetEnvironmentVariable(variable) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static void AtStart(Studies.TrialInfo trial, CancellationToken cancellationToken)
    {
        if (Delays.TryGetValue(trial.Key, out double seconds))
            cancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(seconds));
        cancellationToken.ThrowIfCancellationRequested();
        if (Failing.Contains(trial.Key, StringComparer.Ordinal))
            throw new InvalidOperationException($"{trial.Key} failed on purpose ({FailVariable}={string.Join(',', Failing)}).");
    }
}
