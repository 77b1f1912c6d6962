using System.Globalization;
using LieGG.Dsl;
using LieGG.Runtime.Data;
using LieGG.Runtime.Experiments;
using LieGG.Runtime.Results;
using LieGG.Runtime.Symmetry;

namespace LieGG.Runtime.Tests.Experiments;

/// <summary>Settings text is the compiler's own record printing, but invariant whatever the process's culture.</summary>
public sealed class SpecTextTests
{
    public static TheoryData<object> Specs() =>
    [
        new MnistDatasetSpec(Rotate: true, TrainCount: 1234, Blur: 1.5, BlurEdge: BlurEdge.Reflect),
        new O5DatasetSpec(100, 20, 30),
        new QuadrantMnistDatasetSpec(QuadrantTask.DigitQuadrant, Canvas: 32),
        new MlpSpec(3, 64, Activation.ReLU, Bias: true),
        new MlpBudgetSpec(12345, 4),
        new CnnSpec(Channels: 7, Dropout: 0.25),
        new P4CnnSpec(Dropout: 0.125),
        new RelaxedCnnSpec(Width: 2, PriorPrecision: 0.75, FcInitScale: 1e-3, ConvInitScale: 0.5),
        new BuiltInGroundTruth(Group.SE2),
        new LaplaceSpec(LearningRate: 0.05),
        new PretrainSpec(2, 3, Regime.LayerWise),
        new SpatialPrior(SpatialConvention.Reference, Affine: true),
    ];

    [Theory]
    [MemberData(nameof(Specs))]
    public void Equals_the_records_own_ToString_in_the_invariant_culture(object spec)
    {
        string expected = WithCulture(CultureInfo.InvariantCulture, () => spec.ToString()!);
        Assert.Equal(expected, WithCulture(CommaDecimals(), () => SpecText.Of(spec)));
    }

    [Fact]
    public void A_comma_decimal_culture_would_change_the_records_own_text_but_not_the_settings()
    {
        var spec = new MnistDatasetSpec(Rotate: true, Blur: 1.5);
        Assert.Contains("Blur = 1,5", WithCulture(CommaDecimals(), () => spec.ToString()));
        Assert.Contains("Blur = 1.5", WithCulture(CommaDecimals(), () => SpecText.Of(spec)));
    }

    [Fact]
    public void Records_with_their_own_text_keep_it()
        => Assert.Equal(new AnalysisSpec().ToString(), SpecText.Of(new AnalysisSpec()));

    // The test processes run with invariant globalization, so a comma-decimal culture is built by hand.
    private static CultureInfo CommaDecimals()
    {
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NumberDecimalSeparator = ",";
        return culture;
    }

    private static string WithCulture(CultureInfo culture, Func<string> render)
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = culture;
        try
        {
            return render();
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}
