using LieGG.Dsl;

namespace LieGG.Runtime.Experiments;

/// <summary>How the trained network is analysed.</summary>
/// <param name="Transform">Output transform; null = L2 normalisation for classifiers, none for regression.</param>
/// <param name="Samples">Training samples in the polarization matrix; 0 = all.</param>
/// <param name="Bootstrap">Bootstrap resamples for the confidence intervals.</param>
/// <param name="Equivariance">The layer-by-layer equivariance analysis; null = none.</param>
/// <param name="Joint">The joint analysis of pairs (A, B) acting on input and output; null = none.</param>
/// <param name="Units">A standardised regression task's units for the test metric and the analysis.</param>
public sealed record AnalysisSpec(
    OutputReduction Outputs = OutputReduction.Sum,
    OutputTransform? Transform = null,
    bool LayerWise = false,
    int Samples = 0,
    int Bootstrap = Defaults.AnalysisBootstrap,
    EquivarianceSpec? Equivariance = null,
    JointSpec? Joint = null,
    RegressionUnits Units = RegressionUnits.Task)
{
    public OutputTransform ResolveTransform(TaskKind task, int outputs)
        => Transform ?? (task == TaskKind.Classification && outputs > 1 ? OutputTransform.L2Normalize : OutputTransform.None);

    public override string ToString()
        => $"AnalysisSpec {{ Outputs = {Outputs}, Transform = {Transform?.ToString() ?? "auto"}, LayerWise = {LayerWise}, Samples = {Samples}, Bootstrap = {Bootstrap}{(Equivariance is null ? "" : $", Equivariance = {Equivariance}")}{(Joint is null ? "" : $", Joint = {Joint}")}{(Units == RegressionUnits.Task ? "" : $", Units = {Units}")} }}";
}
