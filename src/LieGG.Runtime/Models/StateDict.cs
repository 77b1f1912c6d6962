using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Models;

/// <summary>A module's tensors by name (parameters and buffers, as PyTorch's <c>state_dict()</c>), saved to and loaded from safetensors.</summary>
public static class StateDict
{
    /// <summary>Writes the module's state dict to <paramref name="path"/> (safetensors).</summary>
    public static void Save(nn.Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
        => Safetensors.Save(module.state_dict(), path, metadata);

    /// <summary>
    /// Copies <paramref name="tensors"/> into the module's parameters and buffers. Every tensor must be there with its
    /// shape, and nothing else: otherwise nothing is copied and the error lists the missing, unexpected and mis-shaped
    /// tensors beside what the module expects.
    /// </summary>
    /// <param name="source">The file the tensors came from, for the message.</param>
    public static void Load(nn.Module module, IReadOnlyDictionary<string, Tensor> tensors, string source)
    {
        var expected = module.state_dict();
        var missing = expected.Keys.Where(k => !tensors.ContainsKey(k)).ToList();
        var unexpected = tensors.Keys.Where(k => !expected.ContainsKey(k)).ToList();
        var misShaped = expected.Where(e => tensors.TryGetValue(e.Key, out var t) && !t.shape.SequenceEqual(e.Value.shape))
            .Select(e => $"{e.Key} is [{string.Join(", ", tensors[e.Key].shape)}], the module's is [{string.Join(", ", e.Value.shape)}]").ToList();
        if (missing.Count + unexpected.Count + misShaped.Count > 0)
        {
            var problems = new List<string>();
            if (missing.Count > 0) problems.Add($"missing: {string.Join(", ", missing)}");
            if (unexpected.Count > 0) problems.Add($"unexpected: {string.Join(", ", unexpected)}");
            if (misShaped.Count > 0) problems.Add($"mis-shaped: {string.Join("; ", misShaped)}");
            throw new InvalidDataException(
                $"{source} does not fit this {module.GetType().Name} — {string.Join("; ", problems)}. It expects: " +
                string.Join(", ", expected.Select(e => $"{e.Key} [{string.Join(", ", e.Value.shape)}]")) +
                ". Export the state dict of the same architecture, with these names.");
        }
        using var _ = torch.no_grad();
        foreach (var (name, target) in expected)
        {
            using var value = tensors[name].to(target.device).to_type(target.dtype);
            target.copy_(value);
        }
    }

    /// <summary>Loads a state dict file — safetensors, or pickled by <c>torch.save</c> — into the module (see <see cref="Load(nn.Module, IReadOnlyDictionary{string, Tensor}, string)"/>).</summary>
    public static void Load(nn.Module module, string path)
    {
        var tensors = ModelFile.ReadStateDict(path);
        try
        {
            Load(module, tensors, path);
        }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
    }
}
