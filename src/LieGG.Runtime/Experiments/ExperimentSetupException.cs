namespace LieGG.Runtime.Experiments;

/// <summary>
/// An experiment cannot start: its data cannot be read, hold NaN/∞, or do not fit its prior or ground truth, or a run
/// option does not apply to it. Raised before any training; the message names the fault and the fix (the CLI exits 2).
/// </summary>
public sealed class ExperimentSetupException : InvalidOperationException
{
    public ExperimentSetupException(string message) : base(message)
    {
    }

    public ExperimentSetupException(string message, Exception inner) : base(message, inner)
    {
    }
}
