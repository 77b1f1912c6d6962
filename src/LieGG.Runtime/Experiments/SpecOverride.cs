namespace LieGG.Runtime.Experiments;

/// <summary>
/// One declared value replaced for a run, as written on the command line: <c>--set RotatedMnist.TrainCount=8000</c> —
/// the attribute and property as the declaration names them, and the value as text (parsed to the property's type
/// by <see cref="SpecOverrides.Apply"/>).
/// </summary>
public sealed record SpecOverride(string Attribute, string Property, string Value)
{
    /// <summary>"Attribute.Property", as declarations, sweeps and <c>list NAME</c> write it.</summary>
    public string Target => $"{Attribute}.{Property}";

    public override string ToString() => $"{Target}={Value}";

    /// <summary>Reads <c>Attribute.Property=value</c>; null, with why, when the text has another form.</summary>
    public static SpecOverride? TryParse(string text, out string? problem)
    {
        problem = null;
        int equals = text.IndexOf('=');
        string target = equals < 0 ? text : text[..equals];
        int dot = target.IndexOf('.');
        if (equals < 0 || dot <= 0 || dot == target.Length - 1 || target.IndexOf('.', dot + 1) >= 0 || equals == text.Length - 1)
        {
            problem = $"--set '{text}' is not of the form Attribute.Property=value (e.g. --set Train.LearningRate=3e-4).";
            return null;
        }
        return new SpecOverride(target[..dot].Trim(), target[(dot + 1)..].Trim(), text[(equals + 1)..].Trim());
    }
}
