using System.Globalization;

namespace LieGG.Runtime.Studies;

/// <summary>
/// This process's place in a scheduler's array of tasks: its 0-based index and the array's size. Slurm job arrays say
/// it in SLURM_ARRAY_TASK_ID / _MIN / _COUNT (and _STEP: an array need not start at 0 nor step by 1); Kubernetes
/// Indexed Jobs give only JOB_COMPLETION_INDEX, so their count comes from the command line.
/// </summary>
public sealed record ArrayTask(int Index, int Count, string Source)
{
    /// <summary>
    /// Reads the array environment. <paramref name="count"/> is the array's size where the environment does not say it
    /// (Kubernetes); given under Slurm it must agree. The message of a failure names the variables and the fix.
    /// </summary>
    public static ArrayTask FromEnvironment(Func<string, string?> environment, int? count = null) => Read(environment, count, countNeeded: true);

    /// <summary>Only the task's 0-based index (what <c>--trial auto</c> needs): a Kubernetes Indexed Job needs no count for it.</summary>
    public static int IndexFromEnvironment(Func<string, string?> environment) => Read(environment, null, countNeeded: false).Index;

    private static ArrayTask Read(Func<string, string?> environment, int? count, bool countNeeded)
    {
        if (environment("SLURM_ARRAY_TASK_ID") is { Length: > 0 } slurmId)
        {
            int id = Number("SLURM_ARRAY_TASK_ID", slurmId);
            int min = environment("SLURM_ARRAY_TASK_MIN") is { Length: > 0 } m ? Number("SLURM_ARRAY_TASK_MIN", m) : 0;
            int step = environment("SLURM_ARRAY_TASK_STEP") is { Length: > 0 } s ? Number("SLURM_ARRAY_TASK_STEP", s) : 1;
            int tasks = environment("SLURM_ARRAY_TASK_COUNT") is { Length: > 0 } c ? Number("SLURM_ARRAY_TASK_COUNT", c)
                : throw new FormatException("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not; run under a Slurm job array (sbatch --array), or give the index explicitly.");
            if (step < 1 || (id - min) % step != 0 || (id - min) / step >= tasks || id < min)
                throw new FormatException($"Slurm array task {id} (min {min}, step {step}, count {tasks}) is not one of an evenly spaced array (e.g. --array=0-7 or 1-8 or 0-14:2); use such an array, or give the index explicitly.");
            if (count is { } given && given != tasks)
                throw new FormatException($"the Slurm array has {tasks} tasks (SLURM_ARRAY_TASK_COUNT) but the command line says {given}; drop the count (auto reads it) or make them agree.");
            return new((id - min) / step, tasks, $"Slurm array task {id} of {tasks}");
        }
        if (environment("JOB_COMPLETION_INDEX") is { Length: > 0 } kubernetesIndex)
        {
            int index = Number("JOB_COMPLETION_INDEX", kubernetesIndex);
            if (!countNeeded && count is null) return new(index, index + 1, $"Kubernetes Indexed Job completion index {index}");
            if (count is not { } completions)
                throw new FormatException("JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) does not say how many tasks there are: give it as auto/N, N the Job's completions.");
            if (index >= completions)
                throw new FormatException($"JOB_COMPLETION_INDEX {index} is not below the {completions} tasks given (auto/{completions}); give the Job's completions as N.");
            return new(index, completions, $"Kubernetes Indexed Job completion index {index} of {completions}");
        }
        throw new FormatException("'auto' reads the task's index from a job array, but neither SLURM_ARRAY_TASK_ID (Slurm) nor JOB_COMPLETION_INDEX (Kubernetes Indexed Job) is set; run it as an array task, or give the index explicitly.");
    }

    private static int Number(string variable, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new FormatException($"{variable}='{text}' is not a whole number ≥ 0.");
}
