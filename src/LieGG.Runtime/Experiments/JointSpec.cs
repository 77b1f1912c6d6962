using LieGG.Dsl;
using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Symmetry.Joint;

namespace LieGG.Runtime.Experiments;

/// <summary>
/// The joint analysis of pairs (A, B) (<c>[OutputRepresentation]</c>; EQUIVARIANCE.md §5): how the group acts on the
/// outputs, and which pairs of the ground truth the learned ones are compared with.
/// </summary>
/// <param name="Kind">How B acts on the outputs.</param>
/// <param name="Copies"><see cref="OutputSpace.Vectors"/>: copies of Rⁿ in the output.</param>
/// <param name="Truth">The pair algebra built from the ground truth.</param>
public sealed record JointSpec(OutputSpace Kind, int Copies = 1, PairTruth Truth = PairTruth.Diagonal)
{
    /// <summary>The representation on the outputs of a network analysed with <paramref name="prior"/>.</summary>
    public OutputRepresentation Resolve(ISymmetryPrior prior) => Kind switch
    {
        OutputSpace.Invariant => new InvariantOutput(),
        OutputSpace.Vectors when prior is GenericPrior generic => new VectorOutput(generic.Dimension, Copies),
        OutputSpace.Tensor when prior is GenericPrior generic => new TensorOutput(generic.Dimension),
        _ => throw new ArgumentException($"[OutputRepresentation(OutputSpace.{Kind})] acts on copies of the input's space Rⁿ, which the {prior.Description} does not have; use [GenericPrior] for vector data, or OutputSpace.Invariant."),
    };

    /// <summary>The pair algebra of <paramref name="algebra"/> on <paramref name="output"/>; null without a ground truth.</summary>
    public PairAlgebra? PairsOf(ILieAlgebra? algebra, OutputRepresentation output) => algebra is null ? null : PairAlgebra.Of(algebra, Truth, output);
}
