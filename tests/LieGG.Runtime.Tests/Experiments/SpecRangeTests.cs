using System.Reflection;
using LieGG.Dsl;
using LieGG.Runtime.Experiments;
using LieGG.Runtime.Orchestration;
using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Training;

namespace LieGG.Runtime.Tests.Experiments;

/// <summary>The ranges declared on the DSL's attributes are the ones the runtime enforces on specs built in code.</summary>
public sealed class SpecRangeTests
{
    private static ExperimentSpec Valid() => new()
    {
        Name = "ranges",
        Dataset = new O5DatasetSpec(TrainCount: 200, ValidationCount: 20, TestCount: 20),
        Architecture = new MlpSpec(),
        Training = new TrainingOptions { Epochs = 1 },
        Prior = new GenericPrior(5, 2),
    };

    [Fact]
    public void Every_declared_range_reaches_a_spec_property_of_the_same_name()
    {
        foreach (var (spec, attribute) in SpecRanges.Checked)
            foreach (var property in attribute.GetProperties().Where(p => p.IsDefined(typeof(AllowedRangeAttribute))))
                Assert.True(spec.GetProperty(property.Name) is not null, $"{attribute.Name}.{property.Name} has a range but {spec.Name} has no {property.Name}.");
    }

    [Fact]
    public void Every_attribute_with_ranges_is_checked_at_run_time()
    {
        var withRanges = typeof(AllowedRangeAttribute).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Attribute)) && !t.IsAbstract && t.GetProperties().Any(p => p.IsDefined(typeof(AllowedRangeAttribute))));
        var covered = SpecRanges.Checked.Values.Append(typeof(RotatedMnistAttribute)).ToHashSet();
        Assert.DoesNotContain(withRanges, t => !covered.Contains(t));
    }

    [Fact]
    public void A_spec_out_of_range_fails_before_any_data_is_loaded_naming_attribute_property_and_range()
    {
        var spec = Valid() with { Architecture = new MlpSpec(Hidden: 100) };
        var stages = new List<RunStage>();
        var error = Assert.Throws<ExperimentSetupException>(() => ExperimentRunner.Run(spec, progress: new SynchronousProgress<ExperimentProgress>(p => stages.Add(p.Stage))));
        Assert.Empty(stages);
        Assert.Equal("Experiment 'ranges': [Mlp] Hidden = 100 is out of range; allowed: 0 to 64 hidden layers.", error.Message);
    }

    [Fact]
    public void Bounds_are_the_declared_ones_with_exclusive_minimums_excluded()
    {
        SpecRanges.Check(Valid() with { Architecture = new MlpSpec(Hidden: 64) });
        SpecRanges.Check(Valid() with { Training = new TrainingOptions { LearningRate = 10 } });
        Assert.Throws<ExperimentSetupException>(() => SpecRanges.Check(Valid() with { Training = new TrainingOptions { LearningRate = 0 } }));
        var rotated = Assert.Throws<ExperimentSetupException>(() => SpecRanges.Check(Valid() with { Dataset = new MnistDatasetSpec(Rotate: true, Blur: 11) }));
        Assert.Contains("[RotatedMnist] Blur = 11", rotated.Message);
        var declared = typeof(MlpAttribute).GetProperty(nameof(MlpAttribute.Hidden))!.GetCustomAttribute<AllowedRangeAttribute>()!;
        Assert.Equal((0, 64), (declared.Minimum, declared.Maximum));
    }
}
