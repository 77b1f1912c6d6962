using System.Diagnostics;

namespace LieGG.Experiments.Tests;

/// <summary>The experiments program built beside the tests, started as its own process, as a user's shell would.</summary>
internal static class ExperimentsProgram
{
    public static ProcessStartInfo StartInfo(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LieGG.Experiments.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }

    /// <summary>Runs it to the end: its exit code and everything it wrote (standard output, then standard error).</summary>
    public static (int ExitCode, string Output) Run(params string[] arguments)
    {
        using var process = Process.Start(StartInfo(arguments))!;
        var standardError = process.StandardError.ReadToEndAsync();
        string standardOutput = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, standardOutput + standardError.Result);
    }
}
