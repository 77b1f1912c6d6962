using LieGG.Dsl;
using LieGG.Runtime.Data;
using static TorchSharp.torch;

namespace LieGG.Runtime.Experiments;

/// <summary>What a dataset source is told when an experiment loads its data.</summary>
/// <param name="Seed">The run's seed (splits, generated data).</param>
/// <param name="DataDirectory">A directory the user named with --data-dir, or null.</param>
/// <param name="Quick">A smoke-size run: keep the data small.</param>
/// <param name="Prerotated">--prerotated: the data directory's images are rotated digits, to be used as they are.</param>
/// <param name="PoolSplits">--pool-splits: pool the data directory's train/validation/test files and split them by the seed.</param>
public sealed record DatasetContext(int Seed, string? DataDirectory, bool Quick, bool Prerotated = false, bool PoolSplits = false);

/// <summary>A user dataset for <c>[Dataset(typeof(T))]</c>: T implements this and has a public parameterless constructor.</summary>
public interface IDatasetSource
{
    IDataset Load(DatasetContext context);
}

/// <summary>What a model factory is told when an experiment builds its network.</summary>
public sealed record ModelContext(IReadOnlyList<int> InputShape, int OutputSize, TaskKind Task, int Seed)
{
    public int InputSize => InputShape.Aggregate(1, (a, b) => a * b);
}

/// <summary>A user architecture for <c>[Model(typeof(T))]</c>: T implements this and has a public parameterless constructor.</summary>
public interface IModelFactory
{
    nn.Module<Tensor, Tensor> Create(ModelContext context);
}
