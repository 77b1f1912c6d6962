using LieGG.Dsl;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LieGG.Runtime.Models;

/// <summary>Shape of a multi-layer perceptron.</summary>
/// <param name="Inputs">Scalar inputs per sample (inputs of any shape are flattened).</param>
/// <param name="Outputs">Outputs (classes or regression targets).</param>
/// <param name="Hidden">Number of hidden layers (0 = a single linear map).</param>
/// <param name="Width">Units per hidden layer.</param>
/// <param name="Activation">Nonlinearity after every hidden layer.</param>
/// <param name="Bias">Whether the linear layers have biases (the LieGG paper uses none).</param>
public sealed record MlpOptions(int Inputs, int Outputs, int Hidden, int Width, Activation Activation = Activation.Swish, bool Bias = false)
{
    /// <summary>Trainable parameters: Σ over layers of fan_in·fan_out (+ fan_out with bias).</summary>
    public long ParameterCount => Mlp.ParameterCount(Inputs, Outputs, Hidden, Width, Bias);

    public void Validate()
    {
        if (Inputs <= 0) throw new ArgumentOutOfRangeException(nameof(Inputs), Inputs, "An MLP needs at least one input.");
        if (Outputs <= 0) throw new ArgumentOutOfRangeException(nameof(Outputs), Outputs, "An MLP needs at least one output.");
        if (Hidden < 0) throw new ArgumentOutOfRangeException(nameof(Hidden), Hidden, "Hidden layer count cannot be negative.");
        if (Hidden > 0 && Width <= 0) throw new ArgumentOutOfRangeException(nameof(Width), Width, "Hidden layers need a positive width.");
    }
}

/// <summary>
/// Fully connected network: (Linear → activation) × Hidden → Linear. Layers use PyTorch's default
/// initialisation (Kaiming-uniform weights, a = √5), so a seed gives the same weights as in PyTorch's scheme.
/// </summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>, ILayeredModel, ITangentModel, IEquivariantLayers
{
    private readonly ModuleList<Linear> linears = new();
    private readonly nn.Module<Tensor, Tensor> activation;

    public Mlp(MlpOptions options) : base(nameof(Mlp))
    {
        options.Validate();
        Options = options;
        int fanIn = options.Inputs;
        for (int i = 0; i < options.Hidden; i++)
        {
            linears.Add(nn.Linear(fanIn, options.Width, hasBias: options.Bias));
            fanIn = options.Width;
        }
        linears.Add(nn.Linear(fanIn, options.Outputs, hasBias: options.Bias));
        activation = options.Activation switch
        {
            Activation.Swish => nn.SiLU(),
            Activation.ReLU => nn.ReLU(),
            Activation.Tanh => nn.Tanh(),
            Activation.GELU => nn.GELU(),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Activation, "Unknown activation."),
        };
        RegisterComponents();
    }

    /// <summary>Creates the network with its weights drawn from <paramref name="seed"/>.</summary>
    public static Mlp Create(MlpOptions options, int seed)
    {
        torch.manual_seed(seed);
        return new Mlp(options);
    }

    public MlpOptions Options { get; }

    public int HiddenLayerCount => Options.Hidden;

    /// <summary>The linear layers, input to output (for weight inspection and forward-mode polarization).</summary>
    public IReadOnlyList<Linear> Layers => linears.ToList();

    public nn.Module<Tensor, Tensor> ActivationModule => activation;

    public override Tensor forward(Tensor input)
    {
        var x = input.reshape(input.shape[0], -1);
        for (int i = 0; i < linears.Count - 1; i++) x = activation.forward(linears[i].forward(x));
        return linears[^1].forward(x);
    }

    /// <summary>Images or vectors, as the analysis's prior says: the MLP itself does not know.</summary>
    public FeatureSpace? InputSpace => null;

    /// <summary>Each (Linear → activation), then the output Linear; every hidden vector carries the trivial action, so all of a
    /// network's error is the first layer's own (the hidden layers' invariance is <c>LayerwiseAnalysis</c>'s question).</summary>
    public IReadOnlyList<EquivariantLayer> EquivariantLayers
    {
        get
        {
            var layers = new List<EquivariantLayer>();
            for (int i = 0; i < linears.Count; i++)
            {
                var linear = linears[i];
                bool first = i == 0, hidden = i < linears.Count - 1;
                layers.Add(new EquivariantLayer(hidden ? $"linear {i + 1}" : "output", x =>
                {
                    var y = linear.forward(first ? x.reshape(x.shape[0], -1) : x);
                    return hidden ? activation.forward(y) : y;
                }, FeatureSpace.Trivial));
            }
            return layers;
        }
    }

    public Tensor ForwardHidden(Tensor input, int layer)
    {
        if (layer < 0 || layer >= Options.Hidden)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"The MLP has hidden layers 0…{Options.Hidden - 1}.");
        var x = input.reshape(input.shape[0], -1);
        for (int i = 0; i <= layer; i++) x = activation.forward(linears[i].forward(x));
        return x;
    }

    public Tensor ForwardWithTangents(Tensor input, Tensor tangents, out Tensor outputTangents)
    {
        long batch = input.shape[0], directions = tangents.shape[1];
        var x = input.reshape(batch, -1);
        var t = tangents.reshape(batch * directions, -1);
        for (int i = 0; i < linears.Count; i++)
        {
            var layer = linears[i];
            var z = layer.forward(x);
            // The bias shifts values, not directions: tangents go through the weight only.
            t = t.matmul(layer.weight!.T);
            if (i == linears.Count - 1)
            {
                x = z;
                break;
            }
            x = activation.forward(z);
            t = (t.reshape(batch, directions, -1) * ActivationDerivative(z, x).unsqueeze(1)).reshape(batch * directions, -1);
        }
        outputTangents = t.reshape(batch, directions, -1);
        return x;
    }

    /// <summary>σ'(z), given z and σ(z).</summary>
    private Tensor ActivationDerivative(Tensor z, Tensor activated) => Options.Activation switch
    {
        Activation.Swish => SwishDerivative(z),
        Activation.ReLU => z.gt(0).to_type(z.dtype),
        Activation.Tanh => 1 - activated.square(),
        Activation.GELU => GeluDerivative(z),
        _ => throw new ArgumentOutOfRangeException(nameof(Options.Activation), Options.Activation, "Unknown activation."),
    };

    private static Tensor SwishDerivative(Tensor z)
    {
        var sigmoid = z.sigmoid();
        return sigmoid * (1 + z * (1 - sigmoid));
    }

    // Exact (erf) GELU, TorchSharp's default: Φ(z) + z·φ(z).
    private static Tensor GeluDerivative(Tensor z)
        => 0.5 * (1 + (z / Math.Sqrt(2)).erf()) + z * (-0.5 * z.square()).exp() / Math.Sqrt(2 * Math.PI);

    /// <summary>Copies the weights (and biases) of the first <paramref name="count"/> linear layers of <paramref name="source"/>.</summary>
    public void CopyLayersFrom(Mlp source, int count)
    {
        if (count > Math.Min(linears.Count, source.linears.Count))
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Cannot copy {count} layers between MLPs with {source.linears.Count} and {linears.Count} linear layers.");
        using var _ = torch.no_grad();
        for (int i = 0; i < count; i++)
        {
            if (!linears[i].weight!.shape.SequenceEqual(source.linears[i].weight!.shape))
                throw new ArgumentException($"Layer {i} is {string.Join("×", linears[i].weight!.shape)} here but {string.Join("×", source.linears[i].weight!.shape)} in the source.");
            linears[i].weight!.copy_(source.linears[i].weight!);
            if (linears[i].bias is { } bias && source.linears[i].bias is { } sourceBias) bias.copy_(sourceBias);
        }
    }

    /// <summary>Stops (or resumes) training of the first <paramref name="count"/> linear layers.</summary>
    public void FreezeLayers(int count, bool frozen = true)
    {
        for (int i = 0; i < count; i++)
            foreach (var parameter in linears[i].parameters()) parameter.requires_grad_(!frozen);
    }

    public static long ParameterCount(int inputs, int outputs, int hidden, int width, bool bias)
    {
        if (hidden == 0) return (long)inputs * outputs + (bias ? outputs : 0);
        long count = (long)inputs * width + (long)(hidden - 1) * width * width + (long)width * outputs;
        return bias ? count + (long)hidden * width + outputs : count;
    }

    /// <summary>
    /// The largest width whose parameter count does not exceed <paramref name="budget"/> for the given depth
    /// (paper §5.3 samples budgets of 40k…200k). Throws when even width 1 exceeds the budget.
    /// </summary>
    public static int WidthForBudget(long budget, int inputs, int outputs, int hidden, bool bias)
    {
        if (hidden <= 0) throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "A parameter budget fixes the width of hidden layers; use at least one hidden layer.");
        if (ParameterCount(inputs, outputs, hidden, 1, bias) > budget)
            throw new ArgumentOutOfRangeException(nameof(budget), budget, $"A budget of {budget} parameters is below the smallest {hidden}-hidden-layer MLP for {inputs} inputs and {outputs} outputs ({ParameterCount(inputs, outputs, hidden, 1, bias)} at width 1).");
        int low = 1, high = 1;
        while (ParameterCount(inputs, outputs, hidden, high * 2, bias) <= budget) high *= 2;
        high *= 2;
        while (high - low > 1)
        {
            int middle = low + (high - low) / 2;
            if (ParameterCount(inputs, outputs, hidden, middle, bias) <= budget) low = middle; else high = middle;
        }
        return low;
    }
}

/// <summary>Wraps a model so that its outputs are L2-normalised per sample (F / ‖F‖).</summary>
public sealed class L2NormalizedOutput : nn.Module<Tensor, Tensor>, ILayeredModel, ITangentModel
{
    private readonly nn.Module<Tensor, Tensor> inner;

    public L2NormalizedOutput(nn.Module<Tensor, Tensor> inner) : base(nameof(L2NormalizedOutput))
    {
        this.inner = inner;
        RegisterComponents();
    }

    public nn.Module<Tensor, Tensor> Inner => inner;

    public int HiddenLayerCount => inner is ILayeredModel layered ? layered.HiddenLayerCount : 0;

    public override Tensor forward(Tensor input) => nn.functional.normalize(inner.forward(input), p: 2, dim: 1);

    public Tensor ForwardHidden(Tensor input, int layer) => inner is ILayeredModel layered
        ? layered.ForwardHidden(input, layer)
        : throw new InvalidOperationException($"{inner.GetType().Name} does not expose hidden layers.");

    /// <summary>Whether the wrapped model supports forward-mode tangents.</summary>
    public bool SupportsTangents => inner is ITangentModel { SupportsTangents: true };

    public Tensor ForwardWithTangents(Tensor input, Tensor tangents, out Tensor outputTangents)
    {
        if (inner is not ITangentModel tangentModel)
            throw new InvalidOperationException($"{inner.GetType().Name} does not propagate tangents.");
        var z = tangentModel.ForwardWithTangents(input, tangents, out var innerTangents);
        return OutputTangents.L2Normalize(z, innerTangents, out outputTangents);
    }
}

/// <summary>Trained weights on disk (TorchSharp's format); writes are atomic.</summary>
public static class ModelWeights
{
    public static void Save(nn.Module module, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var temporary = path + ".tmp";
        module.save(temporary);
        File.Move(temporary, path, overwrite: true);
    }

    public static void Load(nn.Module module, string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such weights file.", path);
        try
        {
            module.load(path);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or EndOfStreamException)
        {
            throw new InvalidDataException($"{path}: the weights do not fit this {module.GetType().Name} ({e.Message}); load them into the architecture they were saved from.", e);
        }
    }
}
