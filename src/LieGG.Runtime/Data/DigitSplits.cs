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
    /// The source's own split kept: each split is its file's digits, or, where fewer are asked, that many drawn by the
    /// seed from it. A source without validation files gives validation digits from its training part — the asked
    /// number, at most a sixth of the part (MNIST's 50 000 / 10 000 and rotated MNIST's 10 000 / 2 000 proportion) — and
    /// trains on at most the rest. The origins say which split was capped by its file and which was drawn.
    /// </summary>
    public static DigitSplits FromFileSplit(DigitSource source, int seed, int train, int validation, int test)
    {
        RequirePositive(train, validation, test);
        if (source.Train is not { } trainPart || source.Test is not { } testPart)
            throw new ArgumentException($"{source.Description} has no {(source.Train is null ? "training" : "test")} files, so its own train/test split cannot be kept; add them (train-… and t10k-/test-…), or pool and re-split its digits by the seed (--pool-splits).");
        var trainOrder = Shuffle(trainPart, seed, stream: 2);
        int[] validationDigits;
        string validationOrigin;
        int trainTaken;
        if (source.Validation is { } validationPart)
        {
            int taken = Math.Min(validation, validationPart.Count);
            validationDigits = Shuffle(validationPart, seed, stream: 3)[..taken];
            validationOrigin = Drawn(taken, validation, validationPart, seed);
            trainTaken = Math.Min(train, trainPart.Count);
        }
        else
        {
            int carved = Math.Min(validation, trainPart.Count / MaxCarvedFraction);
            trainTaken = Math.Min(train, trainPart.Count - carved);
            if (trainTaken <= 0)
                throw new ArgumentException($"{trainPart.Name} holds {trainPart.Count} digits, too few to give both training and validation digits; add validation files (val-…) or more training digits.");
            validationDigits = trainOrder[trainTaken..(trainTaken + carved)];
            validationOrigin = $"{carved} more of {trainPart.Name} ({trainPart.Count}), disjoint from training, seed {seed} (the source has no validation files{(carved < validation ? $"; {validation} asked, at most a sixth of the training file" : "")})";
        }
        int testTaken = Math.Min(test, testPart.Count);
        return new DigitSplits(trainOrder[..trainTaken], validationDigits, Shuffle(testPart, seed, stream: 4)[..testTaken],
            Drawn(trainTaken, train, trainPart, seed), validationOrigin, Drawn(testTaken, test, testPart, seed));
    }

    /// <summary>Without validation files, at most 1/this of the training file becomes validation digits.</summary>
    public const int MaxCarvedFraction = 6;

    private static string Drawn(int count, int asked, DigitPart part, int seed)
        => count == part.Count ? $"all {count} of {part.Name}{(asked > count ? $" (the file's split; {asked} asked)" : "")}" : $"{count} of {part.Name} ({part.Count}), drawn by seed {seed}";

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
