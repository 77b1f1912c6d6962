namespace LieGG.Runtime.Data;

/// <summary>A data file that cannot be used as it is. The message names the file and what is wrong with it.</summary>
public sealed class DataFormatException : IOException
{
    public DataFormatException(string filePath, string problem, Exception? inner = null)
        : base($"{filePath}: {problem}", inner)
    {
        FilePath = filePath;
        Problem = problem;
    }

    public string FilePath { get; }

    public string Problem { get; }
}
