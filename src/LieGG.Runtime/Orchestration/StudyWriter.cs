using LieGG.Runtime.Plots;
using LieGG.Runtime.Reports;
using LieGG.Runtime.Results;
using LieGG.Runtime.Studies;

namespace LieGG.Runtime.Orchestration;

/// <summary>Writes the study's figures, trials.csv, study.md, study.html and, last, study.json into a study folder (each atomically, deterministic content).</summary>
public static class StudyWriter
{
    /// <param name="trials">The trials' run records, for figures that need more than the table (the flow strip).</param>
    public static void Write(StudyResult study, string folder, IReadOnlyList<StudyPlot>? plots = null, ReportFormat? format = null, IReadOnlyList<RunRecord>? trials = null)
    {
        var figures = StudyPlots.Render(study, plots ?? [], trials);
        foreach (var (name, bytes) in figures) AtomicFile.Write(Path.Combine(folder, name), temporary => File.WriteAllBytes(temporary, bytes));
        AtomicFile.WriteAllText(Path.Combine(folder, "trials.csv"), StudyReport.Csv(study));
        AtomicFile.WriteAllText(Path.Combine(folder, RunFiles.StudyMarkdown), StudyReport.Markdown(study, format ?? ReportFormat.Full, FigureFiles.Images(figures.Keys)));
        AtomicFile.WriteAllText(Path.Combine(folder, HtmlReport.StudyPage), HtmlReport.Study(study, figures, format));
        // Last, so a folder with study.json holds the whole merge (as result.json does for a run).
        AtomicFile.WriteAllText(Path.Combine(folder, RunFiles.StudyJson), study.ToJson());
    }
}
