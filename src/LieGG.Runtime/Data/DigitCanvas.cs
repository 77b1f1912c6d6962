namespace LieGG.Runtime.Data;

/// <summary>Digits pasted onto a larger blank canvas (ELLA's quadrant task and Table 3 datasets), normalised as MNIST.</summary>
internal static class DigitCanvas
{
    /// <summary>Fails naming the dataset when the digits cannot fill the requested splits.</summary>
    public static void RequireDigits(string dataset, MnistDigits digits, int train, int validation, int test)
    {
        int needed = train + validation + test;
        if (needed > digits.Count)
            throw new ArgumentException($"{dataset} asks for {needed} digits (train {train} + validation {validation} + test {test}) but {digits.Source} has {digits.Count}; reduce the split sizes or supply more digits with --data-dir.");
    }

    /// <summary>
    /// [count, canvas, canvas] images: digit i (<paramref name="size"/>², unit range) at its top-left corner
    /// <paramref name="placeAt"/>(i), zeros elsewhere, normalised by <see cref="QuadrantMnist.Mean"/> and <see cref="QuadrantMnist.Std"/>.
    /// </summary>
    public static float[] Paste(float[] small, int count, int size, int canvas, Func<int, (int Top, int Left)> placeAt)
    {
        var images = new float[count * canvas * canvas];
        Array.Fill(images, Normalise(0));
        for (int i = 0; i < count; i++)
        {
            var (top, left) = placeAt(i);
            for (int r = 0; r < size; r++)
                for (int c = 0; c < size; c++)
                    images[(i * canvas + top + r) * canvas + left + c] = Normalise(small[(i * size + r) * size + c]);
        }
        return images;
    }

    private static float Normalise(double unit) => (float)((unit - QuadrantMnist.Mean) / QuadrantMnist.Std);
}
