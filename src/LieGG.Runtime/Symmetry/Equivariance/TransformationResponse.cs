using LieGG.Runtime.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Symmetry.Equivariance;

/// <summary>A classifier's test accuracy and output change at one input transformation.</summary>
/// <param name="Amount">Degrees for a rotation, pixels for a shift.</param>
/// <param name="OutputChange">Σ‖F(gx) − F(x)‖² / Σ‖F(x)‖² over the test inputs (raw outputs).</param>
public sealed record ResponsePoint(double Amount, double Accuracy, double OutputChange);

/// <summary>The standard G-CNN figure's data: accuracy and output change against input rotation angle and shift.</summary>
public sealed record TransformationResponse(int Samples, IReadOnlyList<ResponsePoint> Rotations, IReadOnlyList<ResponsePoint> Shifts)
{
    /// <summary>Every 15° from −180° to 180°.</summary>
    public static IReadOnlyList<double> DefaultAngles { get; } = Enumerable.Range(-12, 25).Select(i => 15.0 * i).ToList();

    /// <summary>
    /// Rotates each test image about its centre (bilinear; the corners the rotation uncovers take the image's border
    /// value, so a normalised background stays background) and shifts it cyclically along the columns.
    /// </summary>
    /// <param name="images">Test images [N, H, W] or [N, 1, H, W].</param>
    /// <param name="labels">Their classes [N].</param>
    public static TransformationResponse Measure(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels, IReadOnlyList<double> angles, IReadOnlyList<int> shifts, int batchSize = 256)
    {
        var shape = images.shape;
        long count = shape[0];
        int height = (int)shape[^2], width = (int)shape[^1];
        var pixels = images.reshape(count, height, width).to_type(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = torch.no_grad();
            var device = model.parameters().FirstOrDefault()?.device;
            var dtype = model.parameters().FirstOrDefault()?.dtype ?? ScalarType.Float32;
            var reference = Outputs(model, images.reshape(shape), batchSize, device, dtype);
            var expected = labels.cpu();
            ResponsePoint Point(double amount, Tensor transformed)
            {
                using var scope = torch.NewDisposeScope();
                var outputs = Outputs(model, transformed.reshape(shape), batchSize, device, dtype);
                double accuracy = outputs.argmax(1).eq(expected).to_type(ScalarType.Float64).mean().item<double>();
                double change = (outputs - reference).to_type(ScalarType.Float64).square().sum().item<double>() / Math.Max(reference.to_type(ScalarType.Float64).square().sum().item<double>(), double.Epsilon);
                return new ResponsePoint(amount, accuracy, change);
            }
            var rotations = angles.Select(angle => Point(angle, torch.tensor(RotateAboutBackground(pixels, (int)count, height, width, angle * Math.PI / 180), new long[] { count, height, width }))).ToList();
            var moved = shifts.Select(shift => Point(shift, images.reshape(count, height, width).roll(shift, 2))).ToList();
            return new TransformationResponse((int)count, rotations, moved);
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }

    private static float[] RotateAboutBackground(float[] pixels, int count, int height, int width, double radians)
    {
        int size = height * width;
        var shifted = new float[pixels.Length];
        var background = new float[count];
        for (int i = 0; i < count; i++)
        {
            background[i] = pixels[i * size];
            for (int p = 0; p < size; p++) shifted[i * size + p] = pixels[i * size + p] - background[i];
        }
        var rotated = ImageTransforms.RotateAll(shifted, height, width, Enumerable.Repeat(radians, count).ToList());
        for (int i = 0; i < count; i++)
            for (int p = 0; p < size; p++) rotated[i * size + p] += background[i];
        return rotated;
    }

    private static Tensor Outputs(nn.Module<Tensor, Tensor> model, Tensor inputs, int batchSize, Device? device, ScalarType dtype)
    {
        var parts = new List<Tensor>();
        for (long start = 0; start < inputs.shape[0]; start += batchSize)
        {
            var batch = inputs.narrow(0, start, Math.Min(batchSize, inputs.shape[0] - start)).to_type(dtype);
            parts.Add(model.forward(device is null ? batch : batch.to(device)).cpu());
        }
        return torch.cat(parts, 0);
    }
}
