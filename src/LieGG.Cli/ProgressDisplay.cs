using System.Globalization;
using LieGG.Runtime.Experiments;
using LieGG.Runtime.Orchestration;
using LieGG.Runtime.Results;
using Spectre.Console;

namespace LieGG.Cli;

/// <summary>
/// Shows a run's progress: a live bar in an interactive terminal, plain one-line-per-epoch text otherwise
/// (Spectre's live display prints nothing when output is redirected, so CI logs would be empty).
/// </summary>
internal static class ProgressDisplay
{
    public static ExperimentResult Run(IAnsiConsole console, string experiment, int epochs, Func<IProgress<ExperimentProgress>, ExperimentResult> run)
    {
        if (!console.Profile.Capabilities.Interactive)
            return run(new PlainProgress(console));
        ExperimentResult? result = null;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask(experiment, maxValue: epochs);
                result = run(new LiveProgress(task, experiment));
                task.Value = task.MaxValue;
            });
        return result!;
    }

    internal static string Describe(ExperimentProgress progress) => progress.Epoch is { } e
        ? string.Create(CultureInfo.InvariantCulture,
            $"{progress.Experiment}: epoch {e.Epoch}/{e.Epochs}  loss {e.TrainLoss:G4}  validation {e.ValidationMetricName} {e.ValidationMetric:G4}{(e.IsBest ? " *" : "")}  {e.SamplesPerSecond:F0} samples/s  ETA {e.EstimatedRemaining:hh\\:mm\\:ss}")
        : $"{progress.Experiment}: {progress.Stage.Label()}";

    private sealed class PlainProgress(IAnsiConsole console) : IProgress<ExperimentProgress>
    {
        public void Report(ExperimentProgress value)
        {
            if (value.Stage == RunStage.Training && value.Epoch is null) return;
            // Straight to the writer: Spectre would wrap lines at its assumed width when output is redirected.
            console.Profile.Out.Writer.WriteLine(Describe(value));
        }
    }

    private sealed class LiveProgress(ProgressTask task, string experiment) : IProgress<ExperimentProgress>
    {
        public void Report(ExperimentProgress value)
        {
            task.Description = Markup.Escape(value.Epoch is { } e
                ? string.Create(CultureInfo.InvariantCulture, $"{experiment} epoch {e.Epoch}/{e.Epochs} loss {e.TrainLoss:G3} val {e.ValidationMetric:G3}")
                : $"{experiment}: {value.Stage.Label()}");
            if (value.Epoch is { } epoch) task.Value = epoch.Epoch;
        }
    }
}
