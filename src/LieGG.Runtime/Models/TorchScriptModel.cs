using System.Runtime.InteropServices;
using LieGG.Runtime.Models.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Models;

/// <summary>
/// A TorchScript module saved by PyTorch (<c>torch.jit.save</c>) as a network of this runtime: one tensor in, one tensor
/// out. Gradients flow through it, so it can be analysed like any trained network.
/// </summary>
public sealed class TorchScriptModel : nn.Module<Tensor, Tensor>
{
    private readonly jit.ScriptModule<Tensor, Tensor> script;

    private TorchScriptModel(jit.ScriptModule<Tensor, Tensor> script, string path) : base("TorchScript")
    {
        // Not registered as a submodule: a script module cannot be walked again while a parent disposes it.
        this.script = script;
        Path = path;
    }

    /// <summary>The file it was loaded from.</summary>
    public string Path { get; }

    /// <summary>Loads a TorchScript file onto the CPU, in evaluation mode.</summary>
    /// <exception cref="InvalidDataException">The file is not a TorchScript module (e.g. a pickled state dict from <c>torch.save</c>).</exception>
    /// <remarks>A TorchScript file carries its own code, and loading it runs that code's class definitions as PyTorch does; load only files you trust as you would a program.</remarks>
    public static TorchScriptModel Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such TorchScript file.", path);
        if (!ZipContainer.LooksLikeZip(path))
            throw new InvalidDataException($"{path} is not a TorchScript module (not a zip archive). {TorchScriptFix} A state dict (torch.save(model.state_dict())) needs safetensors and --experiment for its architecture.");
        // libtorch parses the archive natively; only an archive whose every entry is whole and matches its CRC reaches it.
        using (ZipContainer.Open(path, TorchScriptFix)) { }
        jit.ScriptModule<Tensor, Tensor> script;
        try
        {
            script = jit.load<Tensor, Tensor>(path);
        }
        catch (Exception e) when (e is ExternalException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidDataException($"{path} is not a TorchScript module ({FirstLine(e.Message)}). Save the model with torch.jit.save(torch.jit.script(model), path) — or torch.jit.trace — in PyTorch; a state dict (torch.save(model.state_dict())) needs safetensors and --experiment for its architecture.", e);
        }
        var model = new TorchScriptModel(script, path);
        model.eval();
        return model;
    }

    public override Tensor forward(Tensor input)
    {
        try
        {
            return script.call(input);
        }
        catch (InvalidCastException e)
        {
            throw new InvalidDataException($"{Path}: the TorchScript module's forward does not return one tensor; wrap it so that forward(x) returns a tensor of shape [N, outputs].", e);
        }
    }

    public override IEnumerable<TorchSharp.Modules.Parameter> parameters(bool recurse = true) => script.parameters(recurse);

    public override void train(bool on = true)
    {
        script.train(on);
        base.train(on);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) script.Dispose();
        base.Dispose(disposing);
    }

    private const string TorchScriptFix = "Save the model with torch.jit.save(torch.jit.script(model), path) in PyTorch.";

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
