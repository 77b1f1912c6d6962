namespace LieGG.Runtime.Results;

/// <summary>
/// The names of the files a run or study folder holds, used by the writers, the readers and the command line alike
/// (the HTML pages, the trained network and the claim file are named beside their writers:
/// <c>HtmlReport.RunPage</c>, <c>TrainedNetwork.FileName</c>, <c>RunFolder.ClaimFile</c>).
/// </summary>
public static class RunFiles
{
    /// <summary>The run's record, written last: a folder holding it is finished.</summary>
    public const string ResultJson = "result.json";

    public const string ReportMarkdown = "report.md";

    /// <summary>A study's merged record, written last by the merge.</summary>
    public const string StudyJson = "study.json";

    public const string StudyMarkdown = "study.md";
}
