using System.Runtime.CompilerServices;

namespace LieGG.Testing;

/// <summary>
/// Compares text with a committed snapshot file under Snapshots/. A mismatch or a missing snapshot fails and
/// writes &lt;name&gt;.received.txt beside it; nothing is accepted silently. To accept, review the received
/// file and rename it, or run once with LIEGG_ACCEPT_SNAPSHOTS=1 outside CI.
/// </summary>
public static class TextSnapshot
{
    public static void Match(string actual, string name, [CallerFilePath] string callerFile = "")
    {
        var directory = Path.Combine(Path.GetDirectoryName(callerFile)!, "Snapshots");
        var expectedPath = Path.Combine(directory, name + ".txt");
        var receivedPath = Path.Combine(directory, name + ".received.txt");
        actual = actual.Replace("\r\n", "\n");
        bool inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        bool accept = !inCi && Environment.GetEnvironmentVariable("LIEGG_ACCEPT_SNAPSHOTS") == "1";

        if (File.Exists(expectedPath) && File.ReadAllText(expectedPath).Replace("\r\n", "\n") == actual)
        {
            if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return;
        }
        Directory.CreateDirectory(directory);
        if (accept)
        {
            File.WriteAllText(expectedPath, actual);
            return;
        }
        File.WriteAllText(receivedPath, actual);
        Assert.Fail(File.Exists(expectedPath)
            ? $"Snapshot {name} differs; see {receivedPath}."
            : $"Snapshot {name} is missing{(inCi ? " (CI never creates snapshots)" : "")}; review {receivedPath} and rename it to {name}.txt.");
    }
}
