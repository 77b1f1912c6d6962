using LieGG.Runtime.Experiments;
using LieGG.Runtime.Models;
using LieGG.Runtime.Results;
using static TorchSharp.torch;

namespace LieGG.Runtime.Orchestration;

/// <summary>The network a run trained, rebuilt from its folder: the declared architecture with the saved weights.</summary>
public static class TrainedNetwork
{
    /// <summary>The name every run gives its state dict (safetensors) inside its folder.</summary>
    public const string FileName = "model.safetensors";

    /// <summary>The network of the run in <paramref name="runFolder"/>, declared by <paramref name="spec"/> (e.g. a generated <c>MyExperiment.Spec</c>).</summary>
    public static nn.Module<Tensor, Tensor> Load(string runFolder, ExperimentSpec spec)
        => Load(runFolder, RunRecord.Load(Path.Combine(runFolder, RunFiles.ResultJson)), spec);

    /// <summary>
    /// Builds <paramref name="spec"/>'s architecture for the data the run used and loads the run's weights into it. The
    /// caller owns the module. Fails with <see cref="InvalidDataException"/> when the folder has no weights or they do
    /// not fit the architecture.
    /// </summary>
    public static nn.Module<Tensor, Tensor> Load(string runFolder, RunRecord record, ExperimentSpec spec)
    {
        var result = record.Result;
        if (result.ModelFile is not { } file)
            throw new InvalidDataException($"{runFolder}: this run kept no trained weights ({FileName}; runs made before they were saved lack it); run it again to analyse it.");
        if (result.InputShape is not { } shape)
            throw new InvalidDataException($"{runFolder}/result.json does not record the input shape the network was built for; run it again.");
        var model = spec.Architecture.Create(new ModelContext(shape, result.OutputSize, result.Task, result.Seed));
        // A standardised task's network was saved with its scaling (the file's values replace these on loading).
        if (result.Standardization is { } standardization) model = new StandardizedNetwork(model, standardization, shape);
        try
        {
            LoadWeights(model, Path.Combine(runFolder, file));
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        return model;
    }

    /// <summary>
    /// Loads a state dict into <paramref name="model"/>; into a <see cref="StandardizedNetwork"/> a file without the wrapper's
    /// tensors is loaded as the wrapped network alone (a network saved before the wrapper existed, or exported bare), keeping
    /// the scaling the wrapper was built with.
    /// </summary>
    public static void LoadWeights(nn.Module<Tensor, Tensor> model, string path)
    {
        if (model is StandardizedNetwork wrapped)
        {
            var tensors = ModelFile.ReadStateDict(path);
            try
            {
                bool bare = !tensors.Keys.Any(k => k.StartsWith(StandardizedNetwork.NetworkKey + ".", StringComparison.Ordinal));
                StateDict.Load(bare ? wrapped.Network : model, tensors, path);
            }
            finally
            {
                foreach (var tensor in tensors.Values) tensor.Dispose();
            }
            return;
        }
        StateDict.Load(model, path);
    }
}
