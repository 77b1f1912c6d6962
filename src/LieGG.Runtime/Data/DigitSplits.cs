namespace LieGG.Runtime.Data;

/// <summary>
/// Which digits of a <see cref="DigitSource"/> form the training, validation and test splits, and where each came
/// from in words. Indices point into the source, so a digit's rotation angle does not depend on the split it lands in.
/// </summary>
public sealed record DigitSplits(int[] Train, int[] Validation, int[] Test, string TrainOrigin, string ValidationOrigin, string TestOrigin)
{
    /// <summary>All digits of the source in one pool, split by one seeded permutation (stream 2 of the seed).</summary>
    public static DigitSplits Pooled(DigitSource source, int seed, int train, int validation, int test)
    {
        RequirePositive(train, validation, test);
        int needed = train + validation + test;
        if (needed > source.Count)
            throw new ArgumentException($"The split asks for {needed} digits (train {train} + validation {validation} + test {test}) but {source.Description} has {source.Count}; reduce the split sizes or supply more digits.");
        var order = RotatedMnist.SplitOrder(seed, source.Count);
        string pool = $"of all {source.Count} digits of {source.Description}, pooled and split by seed {seed}";
        return new DigitSplits(order[..train], order[train..(train + validation)], order[(train + validation)..needed],
            $"{train} {pool}", $"{validation} more {pool}", $"{test} more {pool}");
    }

    /// <summary>
    /// The source's own split kept: training digits drawn by the seed from its training part, validation digits from its
    /// validation part (or, when it has none, the next ones of the training part's permutation), test digits from its test part.
    /// </summary>
    public static DigitSplits FromFileSplit(DigitSource source, int seed, int train, int validation, int test)
    {
        RequirePositive(train, validation, test);
        if (source.Train is not { } trainPart || source.Test is not { } testPart)
            throw new ArgumentException($"{source.Description} has no {(source.Train is null ? "training" : "test")} files, so its own train/test split cannot be kept; add them (train-… and t10k-/test-…), or pool and re-split its digits by the seed (--pool-splits).");
        var trainOrder = Shuffle(trainPart, seed, stream: 2);
        int fromTrain = train + (source.Validation is null ? validation : 0);
        if (fromTrain > trainPart.Count)
            throw new ArgumentException($"The split asks for {fromTrain} digits from {trainPart.Name} (train {train}{(source.Validation is null ? $" + validation {validation}, carved from it as there are no validation files" : "")}) but it holds {trainPart.Count}; reduce the split sizes.");
        int[] validationDigits;
        string validationOrigin;
        if (source.Validation is { } validationPart)
        {
            if (validation > validationPart.Count)
                throw new ArgumentException($"The split asks for {validation} validation digits but {validationPart.Name} holds {validationPart.Count}; reduce ValidationCount.");
            validationDigits = Shuffle(validationPart, seed, stream: 3)[..validation];
            validationOrigin = Drawn(validation, validationPart, seed);
        }
        else
        {
            validationDigits = trainOrder[train..(train + validation)];
            validationOrigin = $"{validation} more of {trainPart.Name} ({trainPart.Count}), disjoint from training, seed {seed} (the source has no validation files)";
        }
        if (test > testPart.Count)
            throw new ArgumentException($"The split asks for {test} test digits but {testPart.Name} holds {testPart.Count}; reduce TestCount.");
        return new DigitSplits(trainOrder[..train], validationDigits, Shuffle(testPart, seed, stream: 4)[..test],
            Drawn(train, trainPart, seed), validationOrigin, Drawn(test, testPart, seed));
    }

    private static string Drawn(int count, DigitPart part, int seed)
        => count == part.Count ? $"all {count} of {part.Name}" : $"{count} of {part.Name} ({part.Count}), drawn by seed {seed}";

    private static int[] Shuffle(DigitPart part, int seed, int stream)
    {
        var order = new SeededRandom(seed, stream).Permutation(part.Count);
        for (int i = 0; i < order.Length; i++) order[i] += part.Start;
        return order;
    }

    private static void RequirePositive(int train, int validation, int test)
    {
        if (train <= 0 || validation < 0 || test <= 0)
            throw new ArgumentException($"Split sizes must be positive (train {train}, validation {validation}, test {test}).");
    }
}
