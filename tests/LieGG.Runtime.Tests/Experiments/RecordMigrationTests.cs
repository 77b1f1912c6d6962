using LieGG.Runtime.Symmetry.Equivariance;

namespace LieGG.Runtime.Tests.Experiments;

/// <summary>
/// result.json holds the typed spec (schema 3): every family written polymorphically and read back equal, custom specs by
/// their type alone; files of schemas 1 and 2 are upgraded as they load, into the same typed spec.
/// </summary>
public sealed class RecordMigrationTests
{
    private static string Fixture(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);

    private static ExperimentResult Result(string experiment) => new()
    {
        Experiment = experiment, Seed = 3, Quick = false, Task = TaskKind.Classification, TestMetricKind = TestMetricKind.Accuracy, TestMetric = 0.5,
        Data = new DatasetSizes(10, 2, 2), Parameters = 1, Epochs = 1, Training = TrainingResult.None,
        Symmetry = SymmetryAnalyzer.Analyze(new PolarizationMatrix(3, 1, 2, 2, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]), null), Timings = new RunTimings(0, 0, 0, 0),
    };

    public static TheoryData<string> Specs => ["o5", "digits", "ella", "custom"];

    private static ExperimentSpec Spec(string which) => which switch
    {
        "o5" => new ExperimentSpec
        {
            Name = "o5", Dataset = new O5DatasetSpec(TrainCount: 500, Protocol: O5Protocol.LieGGAuthors), Architecture = new MlpBudgetSpec(Parameters: 5000),
            Training = new TrainingOptions { Epochs = 4, Schedule = LearningRateSchedule.Cosine, SampleBudget = 1000 }, Prior = new GenericPrior(5, 2),
            GroundTruth = new BuiltInGroundTruth(Group.SO), Analysis = new AnalysisSpec(Units: RegressionUnits.Standardized, Joint: new JointSpec(OutputSpace.Vectors, 2)),
            Pretrain = new PretrainSpec(1, 2, Regime.LayerWise),
        },
        "digits" => new ExperimentSpec
        {
            Name = "digits", Dataset = new MnistDatasetSpec(Rotate: true, TrainCount: 2000, Digits: DigitSet.ClassicRotation, Blur: 1.5), Architecture = new P4CnnSpec(RotationPooling: RotationPooling.EveryLayer),
            Training = new TrainingOptions(), Prior = new SpatialPrior(SpatialConvention.Reference, Affine: true),
            Analysis = new AnalysisSpec(Transform: OutputTransform.Softmax, Equivariance: new EquivarianceSpec(Exact: SymmetryElements.Rotations, Named: [new CyclicShift(0, 3), new Flip()], NamedExact: [new Rotation90(2)])),
        },
        "ella" => new ExperimentSpec
        {
            Name = "ella", Dataset = new QuadrantMnistDatasetSpec(QuadrantTask.DigitQuadrant), Architecture = new RelaxedCnnSpec(Pathways: Pathways.FactoredFC | Pathways.GroupConv),
            Training = new TrainingOptions(), Prior = new SpatialPrior(), Laplace = new LaplaceSpec(NestedEvidence: true, ExactGgnCheck: true),
        },
        _ => new ExperimentSpec
        {
            Name = "custom", Dataset = new CustomDatasetSpec("My.Data", TaskKind.Regression, () => throw new InvalidOperationException()),
            Architecture = new CustomModelSpec("My.Model", _ => throw new InvalidOperationException()), Training = new TrainingOptions(), Prior = new GenericPrior(3),
            GroundTruth = new CustomGroundTruth("My.Algebra", () => throw new InvalidOperationException()),
        },
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void Every_spec_family_round_trips_as_typed_records(string which)
    {
        var spec = Spec(which);
        var record = RunRecord.Create(spec, Result(spec.Name), DateTimeOffset.UnixEpoch);
        var json = record.ToJson();
        var loaded = RunRecord.FromJson(json).Spec;
        Assert.Equal(SpecValues.Of(record.Spec), SpecValues.Of(loaded));
        Assert.Equal(json, RunRecord.Create(loaded, Result(spec.Name), DateTimeOffset.UnixEpoch).ToJson());
        Assert.Equal(spec.Dataset.GetType(), loaded.Dataset.GetType());
        Assert.Equal(spec.Architecture.GetType(), loaded.Architecture.GetType());
        Assert.Equal(spec.Prior, loaded.Prior);
        // Computed members (a dataset's task, a prior's description and generator sizes) and factories are never written.
        var written = System.Text.Json.Nodes.JsonNode.Parse(json)!["spec"]!.ToJsonString();
        foreach (var computed in new[] { "\"description\"", "\"factory\"", "\"task\"", "\"generatorRows\"", "\"measured\"" })
            Assert.DoesNotContain(computed, written);
    }

    private static (ExperimentSpec Written, ExperimentSpec Read) RoundTrip(string which)
    {
        var record = RunRecord.Create(Spec(which), Result(which), DateTimeOffset.UnixEpoch);
        return (record.Spec, RunRecord.FromJson(record.ToJson()).Spec);
    }

    [Fact]
    public void The_recorded_spec_holds_the_sizes_epochs_and_seed_the_run_settled()
    {
        var used = RunRecord.Create(Spec("digits"), Result("digits"), DateTimeOffset.UnixEpoch).Spec;
        Assert.Equal((10, 2, 2), ((MnistDatasetSpec)used.Dataset).DeclaredSizes());
        Assert.Equal((1, 3), (used.Training.Epochs, used.Training.Seed));
        Assert.Equal(Spec("digits").Architecture, used.Architecture);
        // An analysis trains nothing: the spec keeps the trained network's epochs.
        var analysed = RunRecord.Create(Spec("digits"), Result("digits") with { AnalysisOf = "/runs/x", Epochs = 0 }, DateTimeOffset.UnixEpoch).Spec;
        Assert.Equal(Spec("digits").Training.Epochs, analysed.Training.Epochs);
        // Sources without sizes are kept as they are.
        Assert.Same(Spec("custom").Dataset.GetType(), RunRecord.Create(Spec("custom"), Result("custom"), DateTimeOffset.UnixEpoch).Spec.Dataset.GetType());
    }

    [Fact]
    public void Nested_records_and_group_elements_read_back_equal()
    {
        var (written, digits) = RoundTrip("digits");
        Assert.Equal(written.Dataset, digits.Dataset);
        Assert.Equal([new CyclicShift(0, 3), new Flip()], digits.Analysis.Equivariance!.Named!);
        Assert.Equal([new Rotation90(2)], digits.Analysis.Equivariance.NamedExact!);
        var (o5Written, o5) = RoundTrip("o5");
        Assert.Equal(o5Written.Analysis, o5.Analysis);
        Assert.Equal(o5Written.Training, o5.Training);
        Assert.Equal(o5Written.Pretrain, o5.Pretrain);
        var custom = RoundTrip("custom").Read;
        Assert.Equal(("My.Data", TaskKind.Regression, null), (((CustomDatasetSpec)custom.Dataset).TypeName, custom.Dataset.Task, ((CustomDatasetSpec)custom.Dataset).Factory));
        Assert.Equal("My.Model", ((CustomModelSpec)custom.Architecture).Source);
        Assert.Equal("My.Algebra", ((CustomGroundTruth)custom.GroundTruth!).TypeName);
    }

    [Fact]
    public void A_schema_2_file_is_upgraded_to_the_typed_spec_it_recorded()
    {
        var record = RunRecord.Load(Fixture("results", "rotmnist-planted-fault-result.json"));
        Assert.Equal(RunRecord.CurrentSchema, record.Schema);
        Assert.Equal("rotmnist-planted-fault", record.Spec.Name);
        // The classic protocol's sizes are its own, not the DSL defaults schema 2 wrote beside it.
        Assert.Equal(new MnistDatasetSpec(Rotate: true, Digits: DigitSet.ClassicRotation), record.Spec.Dataset);
        Assert.Equal((10_000, 2_000, 50_000), ((MnistDatasetSpec)record.Spec.Dataset).DeclaredSizes());
        Assert.Equal("LieGG.Experiments.PlantedFaultP4Cnn", ((CustomModelSpec)record.Spec.Architecture).Source);
        Assert.Equal((30, 128, 0.001, 2022), (record.Spec.Training.Epochs, record.Spec.Training.BatchSize, record.Spec.Training.LearningRate, record.Spec.Training.Seed));
        Assert.Equal(new SpatialPrior(SpatialConvention.Reference), record.Spec.Prior);
        Assert.Equal(new BuiltInGroundTruth(Group.SO), record.Spec.GroundTruth);
        Assert.Equal(TestMetricKind.Accuracy, record.Result.TestMetricKind);
        // Saved again, it is a schema-3 file that loads to the same record.
        Assert.Equal(record.ToJson(), RunRecord.FromJson(record.ToJson()).ToJson());
    }

    [Fact]
    public void A_file_of_a_later_schema_is_refused_by_name()
    {
        var error = Assert.Throws<InvalidDataException>(() => RunRecord.FromJson("{\"schema\": 9}", "x/result.json"));
        Assert.Contains("x/result.json: schema 9 is not one this version reads (1 … 3)", error.Message);
    }
}
