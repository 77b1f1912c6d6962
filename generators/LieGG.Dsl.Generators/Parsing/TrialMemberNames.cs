using System.Collections.Generic;
using System.Linq;

namespace LieGG.Dsl.Generators.Parsing;

/// <summary>How a swept property is named on the generated Trial record (the emitter and the analyzers agree on it).</summary>
internal static class TrialMemberNames
{
    /// <summary>The property's name, or Attribute + Property where it would clash with another sweep or with Index/Seed.</summary>
    public static string Of(string attribute, string property, IEnumerable<string> sweptProperties)
        => property is "Seed" or "Index" || sweptProperties.Count(p => p == property) > 1 ? attribute + property : property;
}
