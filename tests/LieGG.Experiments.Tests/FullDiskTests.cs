using System.Diagnostics;
using LieGG.Runtime.Results;

namespace LieGG.Experiments.Tests;

/// <summary>
/// A study on a disk that fills up part-way (a small tmpfs, mounted by the test; it needs root and is skipped
/// otherwise): the trials finished before are whole, no trial looks finished that is not, and the error names the file
/// that could not be written.
/// </summary>
[Trait("Category", "EndToEnd")]
[RunsInOwnProcesses]
public sealed class FullDiskTests : IDisposable
{
    private readonly string mountPoint = Directory.CreateTempSubdirectory("liegg-full-").FullName;
    private bool mounted;

    public void Dispose()
    {
        if (mounted) Command("umount", mountPoint);
        Directory.Delete(mountPoint, recursive: true);
    }

    private static (int ExitCode, string Output) Command(string file, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            string text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, text);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }

    [SkippableFact]
    public void A_disk_that_fills_up_keeps_finished_trials_and_names_the_file()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && Environment.UserName == "root", "mounting a small tmpfs needs root on Linux");
        // One quick o5-seeds trial writes about 380 KiB (report.html included): room for two, not three.
        var (mountExit, mountOutput) = Command("mount", "-t", "tmpfs", "-o", "size=900k", "tmpfs", mountPoint);
        Skip.If(mountExit != 0, $"tmpfs could not be mounted here ({mountOutput.Trim()})");
        mounted = true;

        var (exitCode, log) = ExperimentsProgram.Run("study", "o5-seeds", "--quick", "--out", mountPoint);
        Assert.True(exitCode == 1, log);
        Assert.Matches(@"o5-seeds failed: \S*/o5-seeds/trials/trial-\d{4}/[\w.-]+ could not be written \(No space left on device", log);
        Assert.DoesNotContain(".tmp", log);

        var trials = Directory.GetDirectories(Path.Combine(mountPoint, "o5-seeds", "trials")).Order().ToList();
        var complete = trials.Where(t => File.Exists(Path.Combine(t, "result.json"))).ToList();
        Assert.NotEmpty(complete);
        Assert.True(complete.Count < trials.Count, "the disk filled during a later trial");
        var expected = Directory.GetFiles(complete[0]).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).ToHashSet();
        foreach (var trial in complete)
        {
            Assert.Equal(expected, Directory.GetFiles(trial).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).ToHashSet());
            Assert.NotNull(RunRecord.Load(Path.Combine(trial, "result.json")).Trial);
        }
        Assert.False(File.Exists(Path.Combine(mountPoint, "o5-seeds", "study.json")), "an unfinished study is not merged");
        Assert.Empty(Directory.EnumerateFiles(mountPoint, "*.tmp", SearchOption.AllDirectories));
    }
}
