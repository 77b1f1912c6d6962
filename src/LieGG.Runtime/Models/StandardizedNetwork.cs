using LieGG.Runtime.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Models;

/// <summary>
/// A regression network that learns in standardised units, wrapped so that the whole maps the task's inputs to the task's
/// outputs: F(x) = σ_y · net(x / s) + μ_y (<see cref="Standardization"/>; EMLP's and the LieGG authors' <c>Standardize</c>).
/// The scales are buffers, so the state dict and an exported module keep them; training, the test metric and the analysis
/// all see F.
/// </summary>
public sealed class StandardizedNetwork : nn.Module<Tensor, Tensor>, ILayeredModel, ITangentModel, IEquivariantLayers
{
    /// <summary>The state-dict key prefix of the wrapped network's tensors.</summary>
    public const string NetworkKey = "network";

    private readonly nn.Module<Tensor, Tensor> network;
    private readonly Tensor input_scale;
    private readonly Tensor target_mean;
    private readonly Tensor target_std;

    public StandardizedNetwork(nn.Module<Tensor, Tensor> network, Standardization standardization, IReadOnlyList<int> inputShape)
        : base(nameof(StandardizedNetwork))
    {
        int inputs = inputShape.Aggregate(1, (a, b) => a * b);
        if (standardization.InputScale.Count != inputs)
            throw new ArgumentException($"The standardization has {standardization.InputScale.Count} input scales but the inputs have {inputs} features.", nameof(standardization));
        if (standardization.TargetMean.Count != standardization.TargetStd.Count)
            throw new ArgumentException($"The standardization has {standardization.TargetMean.Count} target means but {standardization.TargetStd.Count} standard deviations.", nameof(standardization));
        this.network = network;
        input_scale = tensor(standardization.InputScale.Select(v => (float)v).ToArray()).reshape(inputShape.Select(s => (long)s).ToArray());
        target_mean = tensor(standardization.TargetMean.Select(v => (float)v).ToArray());
        target_std = tensor(standardization.TargetStd.Select(v => (float)v).ToArray());
        RegisterComponents();
    }

    /// <summary>The wrapped network: standardised inputs to standardised outputs.</summary>
    public nn.Module<Tensor, Tensor> Network => network;

    /// <summary>The scaling as the module holds it now (after a state dict was loaded, the file's).</summary>
    public Standardization ToStandardization(string source)
        => new(Values(input_scale), Values(target_mean), Values(target_std), source);

    private static double[] Values(Tensor values) => values.reshape(-1).to_type(ScalarType.Float64).cpu().data<double>().ToArray();

    public override Tensor forward(Tensor input) => ToTask(network.forward(ToStandardized(input)));

    private Tensor ToStandardized(Tensor input) => input / input_scale.to_type(input.dtype);

    private Tensor ToTask(Tensor output) => output * target_std.to_type(output.dtype) + target_mean.to_type(output.dtype);

    public int HiddenLayerCount => network is ILayeredModel layered ? layered.HiddenLayerCount : 0;

    public Tensor ForwardHidden(Tensor input, int layer) => network is ILayeredModel layered
        ? layered.ForwardHidden(ToStandardized(input), layer)
        : throw new InvalidOperationException($"{network.GetType().Name} does not expose hidden layers.");

    public bool SupportsTangents => network is ITangentModel { SupportsTangents: true };

    /// <remarks>Tangents scale as the inputs do ([B, d, …input] / s); output tangents are multiplied by σ_y alone.</remarks>
    public Tensor ForwardWithTangents(Tensor input, Tensor tangents, out Tensor outputTangents)
    {
        if (network is not ITangentModel tangentModel)
            throw new InvalidOperationException($"{network.GetType().Name} does not propagate tangents.");
        var output = tangentModel.ForwardWithTangents(ToStandardized(input), tangents / input_scale.to_type(tangents.dtype), out var inner);
        outputTangents = inner * target_std.to_type(inner.dtype);
        return ToTask(output);
    }

    /// <summary>The wrapped network's input space (null for an MLP).</summary>
    public FeatureSpace? InputSpace => (network as IEquivariantLayers)?.InputSpace;

    /// <summary>
    /// The wrapped network's layers, the first reading x / s and the last giving task units (the scalings act on each
    /// vector as a whole, so they commute with the group and move no error between layers); a network that exposes no
    /// layers is one layer.
    /// </summary>
    public IReadOnlyList<EquivariantLayer> EquivariantLayers
    {
        get
        {
            var layers = network is IEquivariantLayers layered ? layered.EquivariantLayers.ToList() : [new EquivariantLayer("network", network.forward, FeatureSpace.Trivial)];
            var first = layers[0];
            layers[0] = first with
            {
                Forward = x => first.Forward(ToStandardized(x)),
                Tangents = first.Tangents is { } firstTangents ? (x, v) => firstTangents(ToStandardized(x), v / input_scale.to_type(v.dtype)) : null,
            };
            var last = layers[^1];
            layers[^1] = last with
            {
                Forward = x => ToTask(last.Forward(x)),
                Tangents = last.Tangents is { } lastTangents ? (x, v) => lastTangents(x, v) * target_std.to_type(v.dtype) : null,
            };
            return layers;
        }
    }
}
