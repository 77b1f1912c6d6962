namespace LieGG.Runtime.Results;

/// <summary>
/// A run's own folder, <c>&lt;output&gt;/&lt;experiment&gt;/&lt;run-id&gt;[-n]</c>, claimed before any work: a marker file
/// created with <see cref="FileMode.CreateNew"/> (atomic on every file system .NET supports) decides which run owns a
/// folder, so two runs started in the same second — in one process or two — never share one; the later takes the
/// next free suffix.
/// </summary>
public sealed class RunFolder
{
    /// <summary>The marker that says a run owns its folder.</summary>
    public const string ClaimFile = ".run-claim";

    private RunFolder(string path, string runId)
    {
        Path = path;
        RunId = runId;
    }

    public string Path { get; }

    /// <summary>The folder's name: the requested run id, or it with a suffix -2, -3, … when that was taken.</summary>
    public string RunId { get; }

    /// <exception cref="IOException">The output directory cannot hold run folders (it is a file, read-only, …); the message names it.</exception>
    public static RunFolder Claim(string outputDirectory, string experiment, string runId)
    {
        if (File.Exists(outputDirectory))
            throw new IOException($"The output directory '{outputDirectory}' is a file; name a directory (it is created if missing).");
        string parent = System.IO.Path.Combine(outputDirectory, experiment);
        try
        {
            Directory.CreateDirectory(parent);
            for (int attempt = 1; ; attempt++)
            {
                string id = attempt == 1 ? runId : $"{runId}-{attempt}";
                string folder = System.IO.Path.Combine(parent, id);
                if (File.Exists(folder)) continue;
                Directory.CreateDirectory(folder);
                try
                {
                    using var marker = new FileStream(System.IO.Path.Combine(folder, ClaimFile), FileMode.CreateNew, FileAccess.Write);
                    marker.Write(System.Text.Encoding.UTF8.GetBytes($"{Environment.ProcessId} {DateTimeOffset.UtcNow:O}\n"));
                    return new RunFolder(folder, id);
                }
                catch (IOException) when (File.Exists(System.IO.Path.Combine(folder, ClaimFile)))
                {
                    // Another run owns it: try the next suffix.
                }
            }
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException($"The output directory '{outputDirectory}' is not writable ({e.Message}); choose a writable directory.", e);
        }
        catch (IOException e)
        {
            throw new IOException($"The output directory '{outputDirectory}' cannot hold run folders: {e.Message} Choose a writable directory.", e);
        }
    }

    /// <summary>Gives the folder up after a failed run, when nothing but the claim is in it.</summary>
    public void Release()
    {
        try
        {
            if (Directory.EnumerateFileSystemEntries(Path).All(entry => System.IO.Path.GetFileName(entry) == ClaimFile))
            {
                Directory.Delete(Path, recursive: true);
                // The experiment's folder too, when this claim created it and nothing else is there.
                if (System.IO.Path.GetDirectoryName(Path) is { } experiment && !Directory.EnumerateFileSystemEntries(experiment).Any())
                    Directory.Delete(experiment);
            }
        }
        catch (IOException)
        {
            // Leaving an empty claimed folder behind is harmless.
        }
    }
}
