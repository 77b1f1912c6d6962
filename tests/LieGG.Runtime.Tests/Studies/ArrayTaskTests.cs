using LieGG.Runtime.Studies;

namespace LieGG.Runtime.Tests.Studies;

public sealed class ArrayTaskTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Theory]
    [InlineData("0", "0", "1", "8", 0, 8)]
    [InlineData("7", "0", "1", "8", 7, 8)]
    [InlineData("1", "1", "1", "8", 0, 8)] // --array=1-8
    [InlineData("8", "1", "1", "8", 7, 8)]
    [InlineData("14", "0", "2", "8", 7, 8)] // --array=0-14:2
    public void A_slurm_array_task_gives_its_place_from_zero_however_the_array_is_numbered(string id, string min, string step, string count, int index, int tasks)
    {
        var task = ArrayTask.FromEnvironment(Environment(("SLURM_ARRAY_TASK_ID", id), ("SLURM_ARRAY_TASK_MIN", min), ("SLURM_ARRAY_TASK_STEP", step), ("SLURM_ARRAY_TASK_COUNT", count)));
        Assert.Equal((index, tasks), (task.Index, task.Count));
        Assert.Equal(new Shard(index, tasks), Shard.Parse("auto", Environment(("SLURM_ARRAY_TASK_ID", id), ("SLURM_ARRAY_TASK_MIN", min), ("SLURM_ARRAY_TASK_STEP", step), ("SLURM_ARRAY_TASK_COUNT", count))));
    }

    [Fact]
    public void A_kubernetes_indexed_job_gives_its_index_and_the_command_line_its_count()
    {
        var pod = Environment(("JOB_COMPLETION_INDEX", "3"));
        Assert.Equal(new Shard(3, 5), Shard.Parse("auto/5", pod));
        Assert.Contains("auto/N", Assert.Throws<FormatException>(() => Shard.Parse("auto", pod)).Message);
        Assert.Contains("not below the 3 tasks", Assert.Throws<FormatException>(() => Shard.Parse("auto/3", pod)).Message);
    }

    [Fact]
    public void Outside_an_array_or_in_an_uneven_one_auto_says_what_is_missing()
    {
        Assert.Contains("neither SLURM_ARRAY_TASK_ID", Assert.Throws<FormatException>(() => Shard.Parse("auto", Environment())).Message);
        var uneven = Environment(("SLURM_ARRAY_TASK_ID", "5"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_COUNT", "3"));
        Assert.Contains("evenly spaced", Assert.Throws<FormatException>(() => Shard.Parse("auto", uneven)).Message);
        var disagreeing = Environment(("SLURM_ARRAY_TASK_ID", "0"), ("SLURM_ARRAY_TASK_COUNT", "4"));
        Assert.Contains("make them agree", Assert.Throws<FormatException>(() => Shard.Parse("auto/5", disagreeing)).Message);
        Assert.Contains("not a whole number", Assert.Throws<FormatException>(() => Shard.Parse("auto", Environment(("SLURM_ARRAY_TASK_ID", "x"), ("SLURM_ARRAY_TASK_COUNT", "4")))).Message);
    }
}
