using System.Reflection;
using System.Runtime.InteropServices;

namespace LieGG.Runtime.Results;

/// <summary>Versions of what produced a run.</summary>
public sealed record RunVersions(string LieGG, string TorchSharp, string Dotnet, string Os)
{
    public static RunVersions Current() => new(
        typeof(RunRecord).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
        typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown",
        Environment.Version.ToString(),
        RuntimeInformation.OSDescription);
}
