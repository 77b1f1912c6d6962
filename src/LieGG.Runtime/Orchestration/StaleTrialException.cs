
namespace LieGG.Runtime.Orchestration;

/// <summary>A study folder holds finished trials of another declaration or run mode; nothing was trained.</summary>
public sealed class StaleTrialException(string message) : InvalidOperationException(message);
