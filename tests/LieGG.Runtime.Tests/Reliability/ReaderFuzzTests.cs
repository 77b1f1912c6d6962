using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using LieGG.Runtime.Data;
using LieGG.Runtime.Models;
using LieGG.Runtime.Results;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Reliability;

/// <summary>
/// Every reader of files that may come from someone else, fed thousands of deterministically mutated copies of a valid
/// file (<see cref="FileMutator"/>) and hand-made bombs. Each case must end in the loaded content or in a typed error
/// (<see cref="InvalidDataException"/> or <see cref="DataFormatException"/>) that names the file — never another
/// exception, a crash or a hang — within <see cref="TimeBound"/> and <see cref="MemoryBound"/>. The counts and the
/// worst case per format are written to the test output.
/// </summary>
public sealed class ReaderFuzzTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>The most one case may take.</summary>
    private static readonly TimeSpan TimeBound = TimeSpan.FromSeconds(2);

    /// <summary>The most one case may allocate (managed), and the most the process's peak memory may grow over a format's cases.</summary>
    private const long MemoryBound = 256L << 20;

    private const int Cases = 2000;

    private readonly string folder = Directory.CreateTempSubdirectory("liegg-fuzz-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static string Fixture(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);

    [Fact]
    public void Idx_images() => Fuzz("idx-images", ".idx", ValidIdx(gzip: false), path => IdxFile.ReadImages(path), [4, 8, 12]);

    [Fact]
    public void Idx_images_gzip() => Fuzz("idx-images-gz", ".idx.gz", ValidIdx(gzip: true), path => IdxFile.ReadImages(path));

    [Fact]
    public void Idx_labels() => Fuzz("idx-labels", ".idx", IdxLabels(), path => IdxFile.ReadLabels(path), [4]);

    [Fact]
    public void Amat() => Fuzz("amat", ".amat", ValidAmat(), path => AmatFile.Read(path));

    [Fact]
    public void Npy() => Fuzz("npy", ".npy", File.ReadAllBytes(Fixture("pytorch", "small-f32.npy")), path => NpyFile.Read(path), [8]);

    [Fact]
    public void Safetensors_state_dict() => Fuzz("safetensors", ".safetensors", File.ReadAllBytes(Fixture("pytorch", "o5-mlp.safetensors")), path => Safetensors.Load(path), [0, 4]);

    [Fact]
    public void Pickled_state_dict() => Fuzz("torch.save", ".pt", File.ReadAllBytes(Fixture("pytorch", "o5-mlp-state.pt")), ModelFile.ReadStateDict);

    /// <summary>The pickle and storages mutated inside an archive whose CRCs are made to match, so the cases reach the unpickler and the tensor checks.</summary>
    [Fact]
    public void Pickled_state_dict_contents() => Fuzz("torch.save (contents)", ".pt", File.ReadAllBytes(Fixture("pytorch", "o5-mlp-state.pt")), ModelFile.ReadStateDict,
        mutate: (bytes, mutator) => mutator.MutateEntry(bytes, name => name.EndsWith("data.pkl", StringComparison.Ordinal) ? 4 : 1));

    [Fact]
    public void Result_json() => Fuzz("result.json", ".json", File.ReadAllBytes(Fixture("results", "rotmnist-planted-fault-result.json")), RunRecord.Load);

    [Fact]
    public void Study_json() => Fuzz("study.json", ".json", File.ReadAllBytes(Fixture("results", "o5-seeds-study.json")), StudyResult.Load);

    [Fact]
    public void Bombs_end_in_typed_errors_within_the_bounds()
    {
        const int depth = 100_000;
        var bombs = new (string Name, string Extension, byte[] Bytes, Func<string, object?> Read)[]
        {
            ("result.json nested arrays", ".json", Encoding.ASCII.GetBytes(new string('[', depth) + new string(']', depth)), RunRecord.Load),
            ("result.json nested objects", ".json", Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("{\"schema\":", depth)) + "1" + new string('}', depth)), RunRecord.Load),
            ("study.json nested arrays", ".json", Encoding.ASCII.GetBytes(new string('[', depth) + new string(']', depth)), StudyResult.Load),
            ("safetensors nested header", ".safetensors", SafetensorsWithHeader(new string('[', depth) + new string(']', depth)), path => Safetensors.Load(path)),
            ("safetensors 2^62 header length", ".safetensors", BitConverter.GetBytes(1L << 62), path => Safetensors.Load(path)),
            ("torch.save 300 MiB zip bomb", ".pt", ZipBomb(300L << 20, declaredLength: null), ModelFile.ReadStateDict),
            ("torch.save zip bomb declaring 1 KiB", ".pt", ZipBomb(64L << 20, declaredLength: 1024), ModelFile.ReadStateDict),
            ("torchscript 300 MiB zip bomb", ".pt", ZipBomb(300L << 20, declaredLength: null), path => TorchScriptModel.Load(path)),
            ("torchscript zip bomb declaring 1 KiB", ".pt", ZipBomb(64L << 20, declaredLength: 1024), path => TorchScriptModel.Load(path)),
            ("idx gzip bomb", ".idx.gz", GzipBomb(), path => IdxFile.ReadImages(path)),
            ("pickle memo bomb", ".pt", PickleBomb(), ModelFile.ReadStateDict),
        };
        var failures = new List<string>();
        foreach (var (name, extension, bytes, read) in bombs)
        {
            var outcome = RunCase(name, 0, extension, bytes, read);
            output.WriteLine($"{name}: {outcome.Result} in {outcome.Time.TotalMilliseconds:F0} ms, {outcome.Allocated / (1 << 20)} MiB allocated — {outcome.Message}");
            if (outcome.Result != "refused") failures.Add($"{name}: {outcome.Result} — {outcome.Message}");
            if (outcome.Time > TimeBound) failures.Add($"{name}: took {outcome.Time.TotalMilliseconds:F0} ms");
            if (outcome.Allocated > MemoryBound) failures.Add($"{name}: allocated {outcome.Allocated >> 20} MiB");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private sealed record Outcome(string Result, string Message, TimeSpan Time, long Allocated);

    private Outcome RunCase(string format, int index, string extension, byte[] bytes, Func<string, object?> read)
    {
        var path = Path.Combine(folder, $"case-{index:D5}{extension}");
        File.WriteAllBytes(path, bytes);
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        try
        {
            using var scope = NewDisposeScope();
            var loaded = read(path);
            clock.Stop();
            DisposeLoaded(loaded);
            return new("loaded", "", clock.Elapsed, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
        }
        catch (Exception e) when (e is InvalidDataException or DataFormatException)
        {
            clock.Stop();
            return e.Message.Contains(path, StringComparison.Ordinal)
                ? new("refused", FirstLine(e.Message), clock.Elapsed, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore)
                : new("unnamed", $"{e.GetType().Name} without the file's path: {FirstLine(e.Message)}", clock.Elapsed, 0);
        }
        catch (Exception e)
        {
            clock.Stop();
            return new("crashed", $"{e.GetType().Name}: {FirstLine(e.Message)}\n{e.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("LieGG", StringComparison.Ordinal))}", clock.Elapsed, 0);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private void Fuzz(string format, string extension, byte[] valid, Func<string, object?> read, IReadOnlyList<int>? lengthFields = null,
        Func<byte[], FileMutator, byte[]>? mutate = null, int cases = Cases)
    {
        Assert.Equal("loaded", RunCase(format, 0, extension, valid, read).Result);
        ResetPeakMemory();
        long residentBefore = ProcessMemory("VmRSS");
        var mutator = new FileMutator(seed: 20261204, lengthFields);
        var failures = new List<string>();
        int loaded = 0, refused = 0;
        var worstTime = TimeSpan.Zero;
        long worstAllocation = 0;
        for (int i = 0; i < cases; i++)
        {
            var bytes = mutate is null ? mutator.Mutate(valid) : mutate(valid, mutator);
            var outcome = RunCase(format, i, extension, bytes, read);
            if (outcome.Result == "loaded") loaded++;
            else if (outcome.Result == "refused") refused++;
            else failures.Add($"case {i} ({mutator.LastKind}): {outcome.Message}");
            if (outcome.Time > worstTime) worstTime = outcome.Time;
            worstAllocation = Math.Max(worstAllocation, outcome.Allocated);
            if (outcome.Time > TimeBound) failures.Add($"case {i} ({mutator.LastKind}) took {outcome.Time.TotalMilliseconds:F0} ms");
        }
        long peakGrowth = ProcessMemory("VmHWM") - residentBefore;
        output.WriteLine($"{format}: {cases} cases — {loaded} loaded, {refused} refused with the file named, {failures.Count} other; " +
            $"worst {worstTime.TotalMilliseconds:F1} ms, worst allocation {worstAllocation / 1024.0 / 1024.0:F1} MiB, peak memory growth {peakGrowth / 1024.0 / 1024.0:F1} MiB");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases of {format} failed:\n" + string.Join("\n", failures.Take(15)));
        Assert.True(worstAllocation <= MemoryBound, $"{format}: a case allocated {worstAllocation >> 20} MiB");
        Assert.True(peakGrowth <= MemoryBound, $"{format}: the process's peak memory grew by {peakGrowth >> 20} MiB");
    }

    private static void DisposeLoaded(object? loaded)
    {
        switch (loaded)
        {
            case IDisposable disposable: disposable.Dispose(); break;
            case Dictionary<string, Tensor> tensors:
                foreach (var tensor in tensors.Values) tensor.Dispose();
                break;
        }
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0];

    /// <summary>Resets the process's peak resident memory (VmHWM) to its current size (Linux 4.0+); elsewhere it stays.</summary>
    private static void ResetPeakMemory()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or not allowed: the peak then includes earlier tests, which only makes the bound stricter.
        }
    }

    /// <summary>A /proc/self/status field in bytes; 0 where there is none.</summary>
    private static long ProcessMemory(string field)
    {
        if (!File.Exists("/proc/self/status")) return 0;
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    private static byte[] ValidIdx(bool gzip)
    {
        var pixels = Enumerable.Range(0, 5 * 4 * 4).Select(i => (byte)(i * 7)).ToArray();
        var header = new byte[16];
        BinaryPrimitives.WriteInt32BigEndian(header, IdxFile.ImagesMagic);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), 5);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), 4);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), 4);
        byte[] raw = [.. header, .. pixels];
        if (!gzip) return raw;
        using var compressed = new MemoryStream();
        using (var stream = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) stream.Write(raw);
        return compressed.ToArray();
    }

    private static byte[] IdxLabels()
    {
        var header = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, IdxFile.LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), 6);
        return [.. header, 0, 1, 2, 3, 4, 5];
    }

    private static byte[] ValidAmat()
    {
        var text = new StringBuilder();
        for (int image = 0; image < 3; image++)
            text.Append(string.Join(' ', Enumerable.Range(0, 784).Select(i => ((i * 31 + image) % 100 / 100.0).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture))))
                .Append(' ').Append(image).Append(".0\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private static byte[] SafetensorsWithHeader(string header)
    {
        var json = Encoding.ASCII.GetBytes(header);
        return [.. BitConverter.GetBytes((long)json.Length), .. json];
    }

    /// <summary>A torch.save-shaped archive whose one extra entry is <paramref name="length"/> zero bytes deflated (about a thousandth of that on disk).</summary>
    private static byte[] ZipBomb(long length, int? declaredLength)
    {
        using var file = new MemoryStream();
        using (var archive = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
        {
            var entry = archive.CreateEntry("archive/data/0", CompressionLevel.SmallestSize);
            using var stream = entry.Open();
            var zeros = new byte[1 << 20];
            for (long written = 0; written < length; written += zeros.Length) stream.Write(zeros);
        }
        var bytes = file.ToArray();
        if (declaredLength is { } declared)
        {
            // Lie about the size in the local header (offset 22) and the central directory record (offset 24).
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), declared);
            int central = bytes.AsSpan().LastIndexOf("PK\u0001\u0002"u8);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(central + 24), declared);
        }
        return bytes;
    }

    /// <summary>An IDX header announcing 2³¹−1 images, then 1 GiB of zeros, gzipped to about 1 MiB.</summary>
    private static byte[] GzipBomb()
    {
        using var compressed = new MemoryStream();
        using (var stream = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var header = new byte[16];
            BinaryPrimitives.WriteInt32BigEndian(header, IdxFile.ImagesMagic);
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), int.MaxValue);
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), 28);
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), 28);
            stream.Write(header);
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 1024; i++) stream.Write(zeros);
        }
        return compressed.ToArray();
    }

    /// <summary>A pickle that appends one list to itself 10⁶ times through the memo: a billion-laughs shape, linear here.</summary>
    private static byte[] PickleBomb()
    {
        var pickle = new Models.PickleBuilder().Proto(2).Op((byte)']').Op((byte)'q', 0);
        for (int i = 0; i < 1_000_000; i++) pickle.Op((byte)'h', 0).Op((byte)'a');
        pickle.Stop();
        var path = Path.GetTempFileName();
        try
        {
            Models.PickleBuilder.WriteArchive(path, pickle.ToArray(), new Dictionary<string, byte[]>());
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
