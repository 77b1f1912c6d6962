using System.Diagnostics;

namespace LieGG.Runtime;

/// <summary>
/// Fault injection for the kill tests. With <c>LIEGG_KILL_DURING_WRITE=&lt;file name&gt;</c> in its environment, the
/// process kills itself (SIGKILL) in the middle of writing a file of that name — its temporary written, the rename not
/// yet done — so a test can prove what a kill at exactly that moment leaves behind, which a kill at a random time
/// reaches only by luck (a write takes milliseconds). Unset, it costs one comparison per file written.
/// </summary>
public static class WriteFaults
{
    public const string Variable = "LIEGG_KILL_DURING_WRITE";

    private static readonly string? Target = Environment.GetEnvironmentVariable(Variable);

    /// <summary>Called by every writer between writing a file's temporary and renaming it over <paramref name="path"/>.</summary>
    public static void MidWrite(string path)
    {
        if (Target is not null && string.Equals(Path.GetFileName(path), Target, StringComparison.Ordinal))
            Process.GetCurrentProcess().Kill();
    }
}
