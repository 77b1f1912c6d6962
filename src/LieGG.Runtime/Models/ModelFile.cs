using LieGG.Runtime.Models.Serialization;
using static TorchSharp.torch;

namespace LieGG.Runtime.Models;

/// <summary>What a saved model file holds.</summary>
public enum ModelFileKind
{
    /// <summary>A safetensors state dict.</summary>
    Safetensors,
    /// <summary>A TorchScript module (<c>torch.jit.save</c>): code and weights.</summary>
    TorchScript,
    /// <summary>A state dict pickled by <c>torch.save(model.state_dict(), path)</c>; read as tensors and plain containers only (<see cref="PickledStateDict"/>).</summary>
    PickledStateDict,
    Unknown,
}

/// <summary>Tells saved models apart by their content, and reads state dicts of either kind.</summary>
public static class ModelFile
{
    /// <exception cref="InvalidDataException">The file is a damaged zip archive; the message names it.</exception>
    public static ModelFileKind KindOf(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such model file.", path);
        if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) return ModelFileKind.Safetensors;
        if (!ZipContainer.LooksLikeZip(path)) return ModelFileKind.Unknown;
        using var archive = ZipContainer.Open(path, "Save it again with torch.save or torch.jit.save.");
        var names = archive.Entries.Select(e => e.FullName).ToList();
        // Both are zip archives with data.pkl; only TorchScript carries its code.
        if (names.Any(n => n.Contains("/code/", StringComparison.Ordinal))) return ModelFileKind.TorchScript;
        if (names.Any(n => n.EndsWith("/data.pkl", StringComparison.Ordinal))) return ModelFileKind.PickledStateDict;
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
                return PickledStateDict.Read(path);
            case ModelFileKind.TorchScript:
                throw new InvalidDataException($"{path} is a TorchScript module, not a state dict; analyse it as it is (analyze {Path.GetFileName(path)} --experiment NAME uses its own code).");
            default:
                throw new InvalidDataException($"{path} is neither a safetensors file nor a PyTorch zip archive; save the state dict with safetensors.torch.save_file or torch.save(model.state_dict(), path).");
        }
    }
}
