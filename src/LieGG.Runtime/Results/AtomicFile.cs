
namespace LieGG.Runtime.Results;

/// <summary>Files written whole or not at all: a temporary file in the same folder, then a rename. A failed write (a full disk) leaves the old file, if any, as it was and names the file.</summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string contents) => Write(path, temporary => File.WriteAllText(temporary, contents));

    public static void Write(string path, Action<string> writeTemporary)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            writeTemporary(temporary);
            WriteFaults.MidWrite(path);
            File.Move(temporary, path, overwrite: true);
        }
        catch (IOException e) when (e is not (FileNotFoundException or DirectoryNotFoundException))
        {
            // The temporary's name means nothing to the reader; the file that could not be written does.
            throw new IOException($"{path} could not be written ({e.Message.Replace(temporary, "its temporary", StringComparison.Ordinal)}); nothing was replaced — free space or fix the folder and run the same command again.", e);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
        RemoveStaleTemporaries(directory);
    }

    /// <summary>How old a temporary file must be before a later write to its folder treats it as left by a killed writer.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);

    // Our own temporaries live for milliseconds; one older than StaleAfter was left by a process that was killed mid-write.
    private static void RemoveStaleTemporaries(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, ".*.tmp"))
        {
            var name = Path.GetFileName(file);
            int guid = name.Length - ".tmp".Length - 32;
            if (guid < 2 || name[guid - 1] != '.' || !name.AsSpan(guid, 32).ToString().All(Uri.IsHexDigit)) continue;
            try
            {
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > StaleAfter) File.Delete(file);
            }
            catch (IOException)
            {
                // Another process may be removing it too.
            }
        }
    }
}
