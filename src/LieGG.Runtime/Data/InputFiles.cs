using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Data;

/// <summary>Inputs alone (no labels) from a file: a NumPy <c>.npy</c> array, or IDX images (pixels scaled to [0, 1]).</summary>
public static class InputFiles
{
    public static Tensor Read(string path)
    {
        var name = Path.GetFileName(path);
        if (name.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) return NpyFile.Read(path);
        if (name.Contains("idx3", StringComparison.OrdinalIgnoreCase))
        {
            var images = IdxFile.ReadImages(path);
            return torch.tensor(ImageTransforms.ToUnitRange(images.Pixels), new long[] { images.Count, images.Rows, images.Columns });
        }
        throw new InvalidDataException($"{path}: inputs are read from a NumPy array (.npy) or IDX images (…-images-idx3-ubyte[.gz]); convert the file to one of them.");
    }
}
