using System.Reflection;
using System.Runtime.InteropServices;

namespace LieGG.Runtime;

/// <summary>
/// Points TorchSharp, SkiaSharp and HarfBuzzSharp at the native libraries of a build output, for hosts that have no
/// <c>.deps.json</c> to find them by (notebooks, scripts). The build's libLibTorchSharp.so carries the Debian 12 fix;
/// a package the host fetches by itself would not.
/// </summary>
public static class NativeLibraries
{
    private static readonly object Gate = new();
    private static string? loadedFrom;

    /// <param name="buildOutput">A build output folder of this repository (holding <c>runtimes/linux-x64/native</c> or the libraries themselves).</param>
    public static void LoadFrom(string buildOutput)
    {
        lock (Gate)
        {
            var folder = new[] { Path.Combine(buildOutput, "runtimes", "linux-x64", "native"), buildOutput }
                .Select(Path.GetFullPath).FirstOrDefault(f => File.Exists(Path.Combine(f, "libLibTorchSharp.so")))
                ?? throw new DirectoryNotFoundException($"{buildOutput}: no libLibTorchSharp.so here or under runtimes/linux-x64/native; build the repository first (dotnet build) and name its bin/Debug/net10.0 folder.");
            if (loadedFrom is not null)
            {
                if (loadedFrom != folder) throw new InvalidOperationException($"The native libraries were loaded from {loadedFrom} already; a process can hold one set.");
                return;
            }
            // TorchSharp looks for its own library among those already loaded; libtorch_cpu first, as it depends on it.
            NativeLibrary.Load(Path.Combine(folder, "libtorch_cpu.so"));
            NativeLibrary.Load(Path.Combine(folder, "libLibTorchSharp.so"));
            // SkiaSharp and HarfBuzzSharp (ScottPlot's figures) probe fixed paths only: resolve them here.
            Resolve(typeof(SkiaSharp.SKTypeface).Assembly, "libSkiaSharp", Path.Combine(folder, "libSkiaSharp.so"));
            Resolve(typeof(HarfBuzzSharp.Blob).Assembly, "libHarfBuzzSharp", Path.Combine(folder, "libHarfBuzzSharp.so"));
            loadedFrom = folder;
        }
    }

    private static void Resolve(Assembly assembly, string name, string path)
    {
        if (!File.Exists(path)) return;
        NativeLibrary.SetDllImportResolver(assembly, (requested, _, _) => requested == name || requested == name + ".so" ? NativeLibrary.Load(path) : IntPtr.Zero);
    }
}
