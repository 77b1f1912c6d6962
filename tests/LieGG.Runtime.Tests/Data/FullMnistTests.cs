using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Experiments;

namespace LieGG.Runtime.Tests.Data;

/// <summary>The embedded 70 000 MNIST digits and the splits drawn from them (the classic rotated-MNIST protocol among them).</summary>
public sealed class FullMnistTests
{
    private static readonly Lazy<DigitSource> Full = new(DigitSource.Embedded70k);

    [Fact]
    public void The_embedded_digits_are_mnist_with_its_published_class_counts()
    {
        var source = Full.Value;
        Assert.Equal(70_000, source.Count);
        Assert.Equal(new DigitPart(0, 60_000, "MNIST training digits"), source.Train);
        Assert.Equal(new DigitPart(60_000, 10_000, "MNIST test digits"), source.Test);
        // Per-class counts of MNIST's training and test sets (LeCun, Cortes & Burges), as every MNIST loader reports them.
        int[] train = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
        int[] test = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];
        Assert.Equal(train, Enumerable.Range(0, 10).Select(d => source.Labels.Take(60_000).Count(l => l == d)));
        Assert.Equal(test, Enumerable.Range(0, 10).Select(d => source.Labels.Skip(60_000).Count(l => l == d)));
    }

    [Fact]
    public void The_classic_protocol_draws_disjoint_splits_of_its_sizes_from_all_digits()
    {
        var (train, validation, test) = MnistDatasetSpec.ClassicSizes;
        Assert.Equal((10_000, 2_000, 50_000), (train, validation, test));
        var splits = DigitSplits.Pooled(Full.Value, seed: 7, train, validation, test);
        var all = splits.Train.Concat(splits.Validation).Concat(splits.Test).ToArray();
        Assert.Equal(62_000, all.Distinct().Count());
        Assert.All(all, i => Assert.InRange(i, 0, 69_999));
        // Drawn from the pool, so both of MNIST's parts feed every split.
        Assert.Contains(splits.Test, i => i >= 60_000);
        Assert.Contains(splits.Test, i => i < 60_000);
    }

    [Fact]
    public void Mnist70k_keeps_mnists_own_test_digits_for_testing()
    {
        var splits = DigitSplits.FromFileSplit(Full.Value, seed: 1, train: 8000, validation: 1000, test: 10_000);
        Assert.All(splits.Train.Concat(splits.Validation), i => Assert.InRange(i, 0, 59_999));
        Assert.Equal(Enumerable.Range(60_000, 10_000), splits.Test.Order());
        Assert.Equal("all 10000 of MNIST test digits", splits.TestOrigin);
    }

    [Fact]
    public void A_quick_classic_run_records_where_its_digits_came_from()
    {
        var spec = new MnistDatasetSpec(Rotate: true, Digits: DigitSet.ClassicRotation, Blur: 1.5);
        using var data = (TensorDataset)spec.Load(new DatasetContext(Seed: 3, DataDirectory: null, Quick: true));
        Assert.Equal((1000, 200, 200), (data.Train.Count, data.Validation.Count, data.Test.Count));
        var provenance = data.Provenance!;
        Assert.Contains("70k", provenance.Source);
        Assert.Contains("of all 70000 digits", provenance.Train.Origin);
        Assert.StartsWith("rotated here", provenance.Rotation);
        Assert.Contains("nearest edges", provenance.Blur);
    }
}
