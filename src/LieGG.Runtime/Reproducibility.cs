using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LieGG.Runtime;

/// <summary>
/// Makes runs with the same seed bit-identical. libtorch's MKL chooses kernels by buffer alignment unless
/// MKL_CBWR is set, so two runs of one seed could differ in the last float32 bits (and after training, in the
/// 8th digit of every metric). MKL_CBWR=AUTO fixes the code path per machine at full speed (COMPATIBLE
/// would halve it). It must reach the native environment before MKL's first call, hence a module
/// initializer; a value the user set is kept.
/// </summary>
public static class Reproducibility
{
    public const string Variable = "MKL_CBWR";
    public const string Value = "AUTO";

#pragma warning disable CA2255 // Deliberate: must run before libtorch initialises MKL.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize() => Ensure();

    /// <summary>Sets MKL_CBWR=AUTO unless already set. Call it before the first TorchSharp operation if TorchSharp is used before this library.</summary>
    public static void Ensure()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 }) return;
        Environment.SetEnvironmentVariable(Variable, Value);
        // .NET keeps its own copy of the environment on Unix; native code reads the process environment.
        if (!OperatingSystem.IsWindows()) _ = NativeMethods.setenv(Variable, Value, 0);
    }

    private static class NativeMethods
    {
        [DllImport("libc", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        internal static extern int setenv(string name, string value, int overwrite);
    }
}
