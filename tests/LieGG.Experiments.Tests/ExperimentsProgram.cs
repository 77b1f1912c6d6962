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
    public static (int ExitCode, string Output) Run(params string[] arguments) => Run(new Dictionary<string, string?>(), arguments);

    /// <summary>Runs it to the end with these environment variables set (null: removed).</summary>
    public static (int ExitCode, string Output) Run(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var start = StartInfo(arguments);
        foreach (var (name, value) in environment)
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var standardError = process.StandardError.ReadToEndAsync();
        string standardOutput = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, standardOutput + standardError.Result);
    }
}
