using System.Globalization;

namespace LieGG.Runtime.Reports;

/// <summary>How numbers are written in reports: invariant culture, fixed significant digits.</summary>
public sealed record ReportFormat(int SignificantDigits, bool IncludeMachineFacts)
{
    /// <summary>For people: 6 significant digits, timings and versions included.</summary>
    public static ReportFormat Full { get; } = new(6, IncludeMachineFacts: true);

    /// <summary>For snapshot tests: 3 significant digits, no timings, dates or machine facts.</summary>
    public static ReportFormat Snapshot { get; } = new(3, IncludeMachineFacts: false);

    public string Number(double value) => value switch
    {
        double.NaN => "NaN",
        double.PositiveInfinity => "∞",
        double.NegativeInfinity => "−∞",
        0 => "0",
        _ => Rounded(value).ToString("G" + SignificantDigits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
    };

    public string Number(double? value) => value is { } v ? Number(v) : "–";

    // Rounding before formatting keeps values like 0.099999 from rendering differently across platforms.
    private double Rounded(double value)
    {
        int magnitude = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        double scale = Math.Pow(10, SignificantDigits - 1 - magnitude);
        return double.IsFinite(scale) && scale > 0 ? Math.Round(value * scale) / scale : value;
    }
}
