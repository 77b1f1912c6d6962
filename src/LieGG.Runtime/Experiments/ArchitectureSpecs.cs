using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Models;
using LieGG.Runtime.Models.Relaxed;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Experiments;

/// <summary>How the network is built.</summary>
public abstract record ArchitectureSpec
{
    public abstract nn.Module<Tensor, Tensor> Create(ModelContext context);
}

/// <summary>An MLP of fixed width; <paramref name="TrainOnNormalizedLogits"/> puts L2 normalisation of the logits into the network, so training sees it too.</summary>
public sealed record MlpSpec(int Hidden = Defaults.MlpHidden, int Width = Defaults.MlpWidth, Activation Activation = Activation.Swish, bool Bias = false, bool TrainOnNormalizedLogits = false) : ArchitectureSpec
{
    public override nn.Module<Tensor, Tensor> Create(ModelContext context)
    {
        var mlp = Mlp.Create(new MlpOptions(context.InputSize, context.OutputSize, Hidden, Width, Activation, Bias), context.Seed);
        return TrainOnNormalizedLogits ? new L2NormalizedOutput(mlp) : mlp;
    }
}

/// <summary>An MLP whose width is the largest that fits a parameter budget at the given depth (paper §5.3).</summary>
public sealed record MlpBudgetSpec(long Parameters = Defaults.MlpBudgetParameters, int Hidden = Defaults.MlpHidden, Activation Activation = Activation.Swish, bool Bias = false, bool TrainOnNormalizedLogits = false) : ArchitectureSpec
{
    public override nn.Module<Tensor, Tensor> Create(ModelContext context)
    {
        int width = Mlp.WidthForBudget(Parameters, context.InputSize, context.OutputSize, Hidden, Bias);
        return new MlpSpec(Hidden, width, Activation, Bias, TrainOnNormalizedLogits).Create(context);
    }
}

/// <summary>The Z2CNN of Cohen &amp; Welling for 28×28 single-channel images.</summary>
public sealed record CnnSpec(int Channels = Defaults.CnnChannels, double Dropout = Defaults.CnnDropout) : ArchitectureSpec
{
    public override nn.Module<Tensor, Tensor> Create(ModelContext context)
    {
        PaperCnnInput.Require(context, "[Cnn]");
        torch.manual_seed(context.Seed);
        return new Z2Cnn(context.OutputSize, Channels, Dropout);
    }
}

/// <summary>The P4CNN of Cohen &amp; Welling for 28×28 single-channel images.</summary>
public sealed record P4CnnSpec(int Channels = Defaults.P4CnnChannels, RotationPooling RotationPooling = RotationPooling.Final, double Dropout = Defaults.CnnDropout) : ArchitectureSpec
{
    public override nn.Module<Tensor, Tensor> Create(ModelContext context)
    {
        PaperCnnInput.Require(context, "[P4Cnn]");
        torch.manual_seed(context.Seed);
        return new P4Cnn(context.OutputSize, Channels, RotationPooling, Dropout);
    }
}

internal static class PaperCnnInput
{
    public static void Require(ModelContext context, string attribute)
    {
        if (context.InputShape is not ([PaperCnn.InputSize, PaperCnn.InputSize] or [1, PaperCnn.InputSize, PaperCnn.InputSize]))
            throw new InvalidOperationException($"{attribute} is built for 28×28 single-channel images but the data has inputs of shape [{string.Join(", ", context.InputShape)}].");
    }
}

/// <summary>
/// ELLA's network of relaxed blocks (<see cref="RelaxedNetwork"/>) of width α = <paramref name="Width"/>; every
/// parameter tensor carries a Gaussian prior of precision <paramref name="PriorPrecision"/> (learned with [Laplace]).
/// </summary>
/// <param name="FcInitScale">Scales the FC pathway's initial weights (1 = ELLA's initialisation).</param>
/// <param name="ConvInitScale">Scales the CONV pathway's initial weights (1 = ELLA's initialisation).</param>
/// <param name="Combine">Each layer's ReLU of its pathways' mean (ELLA's) or sum.</param>
public sealed record RelaxedCnnSpec(int Width = Defaults.RelaxedCnnWidth, Pathways Pathways = Pathways.FactoredFC | Pathways.Conv, double PriorPrecision = Defaults.RelaxedCnnPriorPrecision, double FcInitScale = 1.0, double ConvInitScale = 1.0, PathwayCombination Combine = PathwayCombination.Mean) : ArchitectureSpec
{
    public override nn.Module<Tensor, Tensor> Create(ModelContext context)
    {
        int canvas = context.InputShape switch
        {
            [var h, var w] when h == w => h,
            [1, var h, var w] when h == w => h,
            _ => throw new InvalidOperationException($"[RelaxedCnn] needs square single-channel images but the data has inputs of shape [{string.Join(", ", context.InputShape)}]."),
        };
        if (!RelaxedNetwork.IsValidCanvas(canvas))
            throw new InvalidOperationException($"[RelaxedCnn] halves the image with stride-2 blocks down to 2×2, so its side must be a power of two ≥ 4, not {canvas}; use [QuadrantMnist(Canvas = 16)] or 32.");
        torch.manual_seed(context.Seed);
        return new RelaxedNetwork(canvas, Width, context.OutputSize, Pathways, FcInitScale, ConvInitScale, Combine);
    }
}

/// <summary>A user model factory (<c>[Model(typeof(T))]</c>) or a model-building method on the experiment.</summary>
public sealed record CustomModelSpec(string Source, Func<ModelContext, nn.Module<Tensor, Tensor>> Factory) : ArchitectureSpec
{
    public override nn.Module<Tensor, Tensor> Create(ModelContext context) => Factory(context);

    public override string ToString() => $"CustomModelSpec {{ Source = {Source} }}";

    public static CustomModelSpec FromFactory<T>() where T : IModelFactory, new()
        => new(typeof(T).FullName ?? typeof(T).Name, context => new T().Create(context));
}
