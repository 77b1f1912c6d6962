namespace LieGG.Runtime.Tests.Experiments;

/// <summary>
/// --set Attribute.Property=value: typed parsing, the declared ranges and cross-property rules (the analyzers' own), every
/// bad override reported at once with the nearest valid name, and the canonical form a run records.
/// </summary>
public sealed class SpecOverrideTests
{
    private static ExperimentSpec RotatedDigits() => new()
    {
        Name = "digits",
        Dataset = new MnistDatasetSpec(Rotate: true, Digits: DigitSet.ClassicRotation, Blur: 1.5),
        Architecture = new MlpSpec(Hidden: 5, Width: 128),
        Training = new TrainingOptions { Epochs = 200, Seed = 2022 },
        Prior = new SpatialPrior(SpatialConvention.Reference),
        GroundTruth = new BuiltInGroundTruth(Group.SO),
    };

    private static ExperimentSpec Ella() => new()
    {
        Name = "ella",
        Dataset = new QuadrantMnistDatasetSpec(),
        Architecture = new RelaxedCnnSpec(),
        Training = new TrainingOptions { Epochs = 10 },
        Prior = new SpatialPrior(),
        Laplace = new LaplaceSpec(BurnIn: 2),
    };

    private static IReadOnlyList<SpecOverride> Set(params string[] texts) => texts.Select(t => SpecOverride.TryParse(t, out _)!).ToList();

    [Fact]
    public void Values_are_parsed_to_the_property_types()
    {
        var spec = SpecOverrides.Apply(RotatedDigits(), Set("RotatedMnist.TrainCount=8_000", "Mlp.Width=256", "Train.LearningRate=3e-4", "mlp.activation=relu",
            "RotatedMnist.Normalize=false", "GroundTruth.Group=SL"));
        var mnist = (MnistDatasetSpec)spec.Dataset;
        Assert.Equal((8000, 2000, 50_000), mnist.DeclaredSizes());
        Assert.Equal(new MlpSpec(Hidden: 5, Width: 256, Activation: Activation.ReLU), spec.Architecture);
        Assert.Equal(3e-4, spec.Training.LearningRate);
        Assert.False(mnist.Normalize);
        Assert.Equal(new BuiltInGroundTruth(Group.SL), spec.GroundTruth);
        // Everything else as declared.
        Assert.Equal(RotatedDigits() with { Dataset = spec.Dataset, Architecture = spec.Architecture, Training = spec.Training, GroundTruth = spec.GroundTruth }, spec);
        Assert.Equal(200, spec.Training.Epochs);

        var relaxed = SpecOverrides.Apply(Ella(), Set("RelaxedCnn.Pathways=FactoredFC|GroupConv", "Laplace.Fisher=MonteCarlo"));
        Assert.Equal(Pathways.FactoredFC | Pathways.GroupConv, ((RelaxedCnnSpec)relaxed.Architecture).Pathways);
        Assert.Equal(FisherKind.MonteCarlo, relaxed.Laplace!.Fisher);
    }

    [Fact]
    public void Applying_is_idempotent_and_records_the_declarations_spelling()
    {
        var overrides = Set("train.learningrate=3e-4", "RotatedMnist.Digits=mnist70k");
        var once = SpecOverrides.Apply(RotatedDigits(), overrides);
        Assert.Equal(once, SpecOverrides.Apply(once, overrides));
        Assert.Equal(["Train.LearningRate=0.0003", "RotatedMnist.Digits=Mnist70k"], SpecOverrides.Recorded(once, overrides));
        var declared = RotatedDigits();
        Assert.Same(declared, SpecOverrides.Apply(declared, []));
    }

    [Fact]
    public void Every_bad_override_is_reported_at_once_with_the_nearest_valid_name()
    {
        var error = Assert.Throws<ExperimentSetupException>(() => SpecOverrides.Apply(RotatedDigits(), Set(
            "Mlp.Widht=3", "Foo.Bar=1", "Mpl.Width=3", "RotatedMnist.TrainCount=many", "Train.Optimizer=Adamm", "Train.LearningRate=0", "Mlp.Hidden=65", "Train.Epochs=5", "Train.Epochs=6")));
        var lines = error.Message.Split('\n').Select(l => l.Trim()).ToList();
        Assert.Equal("8 problems with --set:", lines[0]);
        Assert.Contains("--set Mlp.Widht=3: [Mlp] has no settable property 'Widht' (did you mean Width?); 'list digits' shows them all.", lines);
        Assert.Contains(lines, l => l.StartsWith("--set Foo.Bar=1: experiment 'digits' declares no [Foo]; its attributes with settable values: RotatedMnist, Mlp, Train, SpatialPrior, GroundTruth, Analysis.", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("--set Mpl.Width=3: experiment 'digits' declares no [Mpl] (did you mean Mlp?)", StringComparison.Ordinal));
        Assert.Contains("--set RotatedMnist.TrainCount=many: RotatedMnist.TrainCount takes an integer, not 'many'.", lines);
        Assert.Contains("--set Train.Optimizer=Adamm: Train.Optimizer takes one of Adam, Sgd, not 'Adamm' (did you mean Adam?).", lines);
        Assert.Contains("--set Train.LearningRate=0: [Train] LearningRate = 0 is out of range; allowed: a learning rate in (0, 10].", lines);
        Assert.Contains("--set Mlp.Hidden=65: [Mlp] Hidden = 65 is out of range; allowed: 0 to 64 hidden layers.", lines);
        Assert.Contains("--set Train.Epochs=6: Train.Epochs is set twice; keep one.", lines);
    }

    [Fact]
    public void Overrides_are_held_to_the_analyzers_cross_property_rules()
    {
        var warmup = Assert.Throws<ExperimentSetupException>(() => SpecOverrides.Apply(RotatedDigits(), Set("Train.WarmupEpochs=300")));
        Assert.Equal("with the overrides, [Train] WarmupEpochs = 300 is out of range; allowed: at most the 200 training epochs.", warmup.Message);
        // Each value alone is in range; together they break a rule the analyzers apply to declarations (LGG4003).
        var laplace = Assert.Throws<ExperimentSetupException>(() => SpecOverrides.Apply(Ella(), Set("Train.Epochs=2", "Laplace.BurnIn=5")));
        Assert.Contains("[Laplace] BurnIn = 5 with [Train] Epochs = 2: no hyperparameter step happens", laplace.Message);
        Assert.Contains("holds both the dense and the factored FC pathway", Assert.Throws<ExperimentSetupException>(() => SpecOverrides.Apply(Ella(), Set("RelaxedCnn.Pathways=FC|FactoredFC"))).Message);
        Assert.Contains("the digit is larger than a 8-pixel quadrant", Assert.Throws<ExperimentSetupException>(() => SpecOverrides.Apply(Ella(), Set("QuadrantMnist.DigitSize=12"))).Message);
        Assert.Contains("[GroundTruth(Group.SE2)] has 2×3 affine generators", Assert.Throws<ExperimentSetupException>(() => SpecOverrides.Apply(RotatedDigits(), Set("GroundTruth.Group=SE2"))).Message);
        Assert.Contains("[Train] Loss = Mse does not fit a classification task; use Loss.CrossEntropy or Auto.", Assert.Throws<ExperimentSetupException>(() => SpecOverrides.Apply(RotatedDigits(), Set("Train.Loss=Mse"))).Message);
        // The same rule set judges specs built in code.
        Assert.Contains("no hyperparameter step happens", Assert.Throws<ExperimentSetupException>(() => SpecRanges.Check(Ella() with { Laplace = new LaplaceSpec(BurnIn: 50) })).Message);
        SpecOverrides.Apply(RotatedDigits(), Set("GroundTruth.Group=SE2", "SpatialPrior.Affine=true"));
    }

    [Fact]
    public void Malformed_text_is_refused_before_any_experiment_is_looked_at()
    {
        foreach (var text in new[] { "Train", "Train.LearningRate", "Train.=1", ".Epochs=1", "Train.Epochs=", "A.B.C=1" })
        {
            Assert.Null(SpecOverride.TryParse(text, out var problem));
            Assert.Contains("is not of the form Attribute.Property=value", problem);
        }
        Assert.Equal(new SpecOverride("Train", "LearningRate", "3e-4"), SpecOverride.TryParse("Train.LearningRate=3e-4", out _));
    }

    [Fact]
    public void Settable_values_show_what_the_experiment_uses_with_their_ranges()
    {
        var settable = SpecOverrides.Settable(RotatedDigits()).ToDictionary(p => p.Target);
        Assert.Equal(("10000", "a count from 1 to 10 000 000"), (settable["RotatedMnist.TrainCount"].Shown, settable["RotatedMnist.TrainCount"].Range));
        Assert.Equal("50000", settable["RotatedMnist.TestCount"].Shown);
        Assert.Equal("SO", settable["GroundTruth.Group"].Shown);
        Assert.Equal("one of Centered, Reference", settable["SpatialPrior.Convention"].Range);
        Assert.Equal("1.5", settable["RotatedMnist.Blur"].Shown);
        Assert.DoesNotContain("Laplace.BurnIn", settable.Keys);
        Assert.Contains("Laplace.BurnIn", SpecOverrides.Settable(Ella()).Select(p => p.Target));
        // What list shows parses back to the same spec.
        var shown = SpecOverrides.Settable(RotatedDigits()).Where(p => p.Value is not null).Select(p => new SpecOverride(p.Attribute, p.Property, p.Shown)).ToList();
        var roundTrip = SpecOverrides.Apply(RotatedDigits(), shown);
        Assert.Equal(RotatedDigits().Dataset is MnistDatasetSpec m ? m.DeclaredSizes() : default, ((MnistDatasetSpec)roundTrip.Dataset).DeclaredSizes());
        Assert.Equal(RotatedDigits().Training, roundTrip.Training);
        Assert.Equal(RotatedDigits().Architecture, roundTrip.Architecture);
    }

    [Fact]
    public void Values_that_vary_between_specs_are_found()
    {
        var specs = new[] { RotatedDigits(), RotatedDigits() with { Training = RotatedDigits().Training with { Seed = 1 } }, RotatedDigits() with { Architecture = new MlpSpec(Hidden: 5, Width: 64) } };
        Assert.Equal(new HashSet<string> { "Train.Seed", "Mlp.Width" }, SpecOverrides.Varying(specs).ToHashSet());
    }
}
