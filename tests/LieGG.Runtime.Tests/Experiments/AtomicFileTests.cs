using LieGG.Runtime.Reports;
using LieGG.Runtime.Results;

namespace LieGG.Runtime.Tests.Experiments;

/// <summary>Files are replaced whole; temporaries left by a killed writer are removed by the next write to the folder.</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("liegg-atomic-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_stale_temporary_is_removed_by_the_next_write_and_a_fresh_or_foreign_one_is_kept()
    {
        string stale = Path.Combine(folder, $".report.md.{Guid.NewGuid():N}.tmp");
        string fresh = Path.Combine(folder, $".result.json.{Guid.NewGuid():N}.tmp");
        string foreign = Path.Combine(folder, ".notes.tmp");
        foreach (var file in new[] { stale, fresh, foreign }) File.WriteAllText(file, "partial");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - TimeSpan.FromHours(2));
        File.SetLastWriteTimeUtc(foreign, DateTime.UtcNow - TimeSpan.FromHours(2));

        AtomicFile.WriteAllText(Path.Combine(folder, "spectrum.csv"), "index,lambda\n");

        Assert.Equal("index,lambda\n", File.ReadAllText(Path.Combine(folder, "spectrum.csv")));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh), "a temporary another writer may still be filling is kept");
        Assert.True(File.Exists(foreign), "only this writer's temporaries are touched");
    }
}
