using System.Collections;
using System.IO.Compression;
using static TorchSharp.torch;

namespace LieGG.Runtime.Models;

/// <summary>What a saved model file holds.</summary>
public enum ModelFileKind
{
    /// <summary>A safetensors state dict.</summary>
    Safetensors,
    /// <summary>A TorchScript module (<c>torch.jit.save</c>): code and weights.</summary>
    TorchScript,
    /// <summary>A state dict pickled by <c>torch.save(model.state_dict(), path)</c>.</summary>
    PickledStateDict,
    Unknown,
}

/// <summary>Tells saved models apart by their content, and reads state dicts of either kind.</summary>
public static class ModelFile
{
    public static ModelFileKind KindOf(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such model file.", path);
        if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) return ModelFileKind.Safetensors;
        try
        {
            using var archive = ZipFile.OpenRead(path);
            var names = archive.Entries.Select(e => e.FullName).ToList();
            // Both are zip archives with data.pkl; only TorchScript carries its code.
            if (names.Any(n => n.Contains("/code/", StringComparison.Ordinal))) return ModelFileKind.TorchScript;
            if (names.Any(n => n.EndsWith("/data.pkl", StringComparison.Ordinal))) return ModelFileKind.PickledStateDict;
        }
        catch (InvalidDataException)
        {
            // Not a zip archive.
        }
        return ModelFileKind.Unknown;
    }

    /// <summary>The tensors of a state dict saved as safetensors or by <c>torch.save</c>, by name, on the CPU.</summary>
    public static Dictionary<string, Tensor> ReadStateDict(string path)
    {
        switch (KindOf(path))
        {
            case ModelFileKind.Safetensors:
                return Safetensors.Load(path);
            case ModelFileKind.PickledStateDict:
                Hashtable table;
                try
                {
                    table = TorchSharp.PyBridge.PyTorchUnpickler.UnpickleStateDict(path);
                }
                catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
                {
                    throw new InvalidDataException($"{path} could not be read as a pickled state dict ({e.Message}); save it with torch.save(model.state_dict(), path) or as safetensors.", e);
                }
                var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
                foreach (DictionaryEntry entry in table)
                {
                    if (entry.Value is not Tensor tensor)
                        throw new InvalidDataException($"{path}: entry '{entry.Key}' is not a tensor; save the model's state_dict(), not the model or a checkpoint dictionary.");
                    tensors[(string)entry.Key] = tensor;
                }
                return tensors;
            case ModelFileKind.TorchScript:
                throw new InvalidDataException($"{path} is a TorchScript module, not a state dict; analyse it as it is (analyze {Path.GetFileName(path)} --experiment NAME uses its own code).");
            default:
                throw new InvalidDataException($"{path} is neither a safetensors file nor a PyTorch zip archive; save the state dict with safetensors.torch.save_file or torch.save(model.state_dict(), path).");
        }
    }
}
