using LieGG.Dsl;
using LieGG.Runtime.Symmetry;

namespace LieGG.Runtime.Experiments;

/// <summary>The ground-truth algebra the learned generators are compared with.</summary>
public abstract record GroundTruthSpec
{
    public abstract ILieAlgebra Resolve(ISymmetryPrior prior);
}

public sealed record BuiltInGroundTruth(Group Group) : GroundTruthSpec
{
    public override ILieAlgebra Resolve(ISymmetryPrior prior) => LieAlgebra.For(Group, prior.GeneratorRows, prior.GeneratorColumns);
}

public sealed record CustomGroundTruth(string TypeName, Func<ILieAlgebra> Factory) : GroundTruthSpec
{
    public override ILieAlgebra Resolve(ISymmetryPrior prior) => Factory();

    public override string ToString() => $"CustomGroundTruth {{ Type = {TypeName} }}";
}
