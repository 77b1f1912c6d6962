using LieGG.Dsl;

namespace LieGG.Runtime.Studies;

/// <summary>A declared study figure (see PlotAttribute).</summary>
public sealed record StudyPlot(string X, Metric Y, string? Series = null, bool LogX = false, bool LogY = false)
{
    /// <summary>The figure's file name without extension (written as .png and .svg).</summary>
    public string FileName => $"plot-{Y}-vs-{X}{(Series is null ? "" : $"-by-{Series}")}".ToLowerInvariant();
}
