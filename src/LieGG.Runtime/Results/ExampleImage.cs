
namespace LieGG.Runtime.Results;

/// <summary>One input image (row-major), as the model saw it.</summary>
public sealed record ExampleImage(int Height, int Width, float[] Pixels);
