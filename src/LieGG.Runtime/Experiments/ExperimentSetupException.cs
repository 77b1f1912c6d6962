namespace LieGG.Runtime.Experiments;

/// <summary>
/// An experiment cannot start: its data cannot be read, hold NaN/∞, or do not fit its prior or ground truth. Raised
/// before any training; the message names the fault and the fix (the CLI exits 2).
/// </summary>
public sealed class ExperimentSetupException(string message, Exception inner) : InvalidOperationException(message, inner);
