using LieGG.Dsl;

namespace LieGG.Runtime.Studies;

/// <summary>A declared study figure (see PlotAttribute).</summary>
public sealed record StudyPlot(string X, Metric Y, string? Series = null, bool LogX = false, bool LogY = false)
{
    public string FileName => $"plot-{Y}-vs-{X}{(Series is null ? "" : $"-by-{Series}")}.png".ToLowerInvariant();
}
