using System.Globalization;

namespace LieGG.Runtime.Symmetry.Equivariance;

/// <summary>
/// A discrete symmetry of the plane, applied to feature maps exactly, by index permutations (EQUIVARIANCE.md §1): never
/// by interpolation.
/// </summary>
public abstract record GroupElement
{
    /// <summary>How reports and CSVs name it ("rot90", "shift(0,2)").</summary>
    public abstract string Name { get; }

    /// <summary>The three non-trivial rotations of C4.</summary>
    public static IReadOnlyList<GroupElement> Rotations { get; } = [new Rotation90(1), new Rotation90(2), new Rotation90(3)];

    /// <summary>Parses "rot90", "rot180", "rot270", "flip", "shift:R,C" (input pixels); null when it is none of them.</summary>
    public static GroupElement? Parse(string text) => text switch
    {
        "rot90" => new Rotation90(1),
        "rot180" => new Rotation90(2),
        "rot270" => new Rotation90(3),
        "flip" => new Flip(),
        _ when text.StartsWith("shift:", StringComparison.Ordinal) && text[6..].Split(',') is [var r, var c]
            && int.TryParse(r, NumberStyles.Integer, CultureInfo.InvariantCulture, out int rows)
            && int.TryParse(c, NumberStyles.Integer, CultureInfo.InvariantCulture, out int columns) => new CyclicShift(rows, columns),
        _ => null,
    };
}

/// <summary>Rotation by k·90° counter-clockwise about the input's centre (torch.rot90 over the plane); on p4 maps the rotation axis also shifts by k.</summary>
public sealed record Rotation90(int Quarters) : GroupElement
{
    public override string Name => $"rot{(((Quarters % 4) + 4) % 4) * 90}";
}

/// <summary>Cyclic translation by (rows, columns) input pixels; on a map at stride S both must be multiples of S.</summary>
public sealed record CyclicShift(int Rows, int Columns) : GroupElement
{
    public override string Name => string.Create(CultureInfo.InvariantCulture, $"shift({Rows},{Columns})");
}

/// <summary>Mirror of the columns about the input's centre; on p4 maps rotation r goes to −r.</summary>
public sealed record Flip : GroupElement
{
    public override string Name => "flip";
}
