namespace LieGG.Dsl;

/// <summary>
/// The values a numeric DSL property accepts, stated once where the property is declared: the analyzers check
/// declared and swept values against it at compile time (LGG2001, LGG4103), and the runtime checks specs built or
/// changed in code against the same range before any training.
/// </summary>
/// <param name="minimum">The smallest allowed value (excluded when <see cref="ExclusiveMinimum"/>).</param>
/// <param name="maximum">The largest allowed value.</param>
/// <param name="allowed">The range in words, for messages, e.g. "a count from 1 to 10 000 000".</param>
[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class AllowedRangeAttribute(double minimum, double maximum, string allowed) : Attribute
{
    public double Minimum { get; } = minimum;

    public double Maximum { get; } = maximum;

    public string Allowed { get; } = allowed;

    public bool ExclusiveMinimum { get; set; }

    public bool Allows(double value) => (ExclusiveMinimum ? value > Minimum : value >= Minimum) && value <= Maximum;
}
