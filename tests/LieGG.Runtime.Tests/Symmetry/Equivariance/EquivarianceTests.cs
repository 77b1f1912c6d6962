using LieGG.Dsl;
using LieGG.Runtime.Models;
using LieGG.Runtime.Models.Relaxed;
using LieGG.Runtime.Symmetry;
using LieGG.Runtime.Symmetry.Equivariance;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Symmetry.Equivariance;

/// <summary>EQUIVARIANCE.md §2–4: the analysis against LieGG, a brute-force Jacobian, the exact decompositions and the known truths.</summary>
public sealed class EquivarianceTests
{
    private const int Size = 8;

    private static readonly double[] Rotation = [0, -1, 0, 1, 0, 0];
    private static readonly double[] RowTranslation = [0, 0, 1, 0, 0, 0];
    private static readonly double[] ColumnTranslation = [0, 0, 0, 0, 0, 1];

    private static Tensor Images(int count, int channels = 1, int size = Size, int seed = 1)
        => randn(new long[] { count, channels, size, size }, dtype: ScalarType.Float64, generator: new torch.Generator((ulong)seed));

    private static EquivarianceFrame Plane(int size = Size) => EquivarianceFrame.Plane(size, size, affine: true);

    [Fact]
    public void Analysed_gram_of_an_invariant_output_is_liegg_polarization_gram()
    {
        torch.manual_seed(4);
        using var mlp = Mlp.Create(new MlpOptions(9 * 10, 3, 2, 7, Activation.Tanh, Bias: true), seed: 5);
        mlp.to(ScalarType.Float64);
        var images = randn(new long[] { 13, 9, 10 }, dtype: ScalarType.Float64, generator: new torch.Generator(6));

        var network = LayeredNetwork.For(mlp, FeatureSpace.Image(), OutputTransform.L2Normalize);
        var analysis = EquivarianceAnalysis.Continuous(network, images, EquivarianceFrame.Plane(9, 10, affine: true), batchSize: 5);
        var polarization = Polarization.Compute(mlp, images, new SpatialPrior(Convention: SpatialConvention.Centered, Affine: true),
            new PolarizationOptions { Transform = OutputTransform.L2Normalize, Mode = DifferentiationMode.Reverse });

        int d = 6;
        AssertClose(Gram(polarization), analysis.Analysed.Values, 1e-10);
        // The output is trivial, so the whole network's residual is the analysed one's, output by output.
        Assert.Equal(d, analysis.Frame.Directions);
        Assert.All(analysis.Layers.Skip(1), layer => Assert.True(layer.Own.Values.All(v => v == 0), $"{layer.Name}: a trivial-to-trivial layer has no own error"));
    }

    [Fact]
    public void Analysed_gram_on_vectors_is_liegg_generic_prior_gram()
    {
        using var mlp = Mlp.Create(new MlpOptions(10, 1, 2, 6, Activation.Swish, Bias: true), seed: 8);
        mlp.to(ScalarType.Float64);
        var inputs = randn(new long[] { 11, 10 }, dtype: ScalarType.Float64, generator: new torch.Generator(9));
        var analysis = EquivarianceAnalysis.Continuous(LayeredNetwork.For(mlp, new VectorCopies(5)), inputs, EquivarianceFrame.Vectors(5), batchSize: 4);
        var polarization = Polarization.Compute(mlp, inputs, new GenericPrior(5, 2), new PolarizationOptions { Transform = OutputTransform.None });
        AssertClose(Gram(polarization), analysis.Analysed.Values, 1e-10);
    }

    [Fact]
    public void Own_error_of_a_layer_matches_a_brute_force_jacobian()
    {
        torch.manual_seed(7);
        var conv = new CircularConv(2, 3);
        var map = new FeatureMap(1, 0, true, RotationAxis.None);
        using var chain = new LayerChain(map, (conv, map), (new Lambda(x => x.tanh() * x.sum(new long[] { 1, 2, 3 }, keepdim: true).sin()), map));
        var inputs = Images(3, channels: 2);
        var frame = Plane();
        var analysis = EquivarianceAnalysis.Continuous(LayeredNetwork.For(chain, map), inputs, frame, batchSize: 2);

        // Layer 2 by brute force: its full Jacobian at x₁ (one backward per output entry) times 𝓛 x₁, minus 𝓛 f(x₁).
        var layer = chain.EquivariantLayers[1];
        var expected = new double[36];
        for (int n = 0; n < 3; n++)
        {
            var x1 = conv.forward(inputs[n..(n + 1)]).detach();
            var y = layer.Forward(x1);
            var x = x1.clone().requires_grad_(true);
            var output = layer.Forward(x).flatten();
            var jacobian = stack(Enumerable.Range(0, (int)output.numel()).Select(i => autograd.grad(new[] { output[i] }, new[] { x }, retain_graph: true)[0].flatten()).ToArray());
            var tangentsIn = FeatureActions.Tangents(map, x1, frame).reshape(6, -1);
            var residual = jacobian.matmul(tangentsIn.T).T - FeatureActions.Tangents(map, y, frame).reshape(6, -1).detach();
            var gram = residual.matmul(residual.T).data<double>().ToArray();
            for (int i = 0; i < 36; i++) expected[i] += gram[i] / 3;
        }
        AssertClose(expected, analysis.Layers[1].Own.Values, 1e-10);
    }

    public static TheoryData<string> RandomNetworks() => ["conv", "z2cnn", "p4cnn", "relaxed"];

    [Theory]
    [MemberData(nameof(RandomNetworks))]
    public void Contributions_sum_to_the_end_to_end_error_continuous_and_discrete(string kind)
    {
        torch.manual_seed(11);
        using var model = RandomNetwork(kind, out var inputs, out var frame);
        var network = LayeredNetwork.For(model, FeatureSpace.Image(), OutputTransform.L2Normalize);

        var continuous = EquivarianceAnalysis.Continuous(network, inputs, frame, batchSize: 2);
        int d = frame.Directions;
        var summed = new double[d * d];
        foreach (var layer in continuous.Layers)
            for (int i = 0; i < d * d; i++) summed[i] += layer.Contribution.Values[i];
        AssertClose(continuous.Analysed.Values, summed, 1e-9);
        foreach (var generator in new[] { Rotation, RowTranslation })
        {
            var along = continuous.Along("h", frame.GeneratorColumns == 3 ? generator : [generator[0], generator[1], generator[3], generator[4]]);
            if (along.Analysed > 0) Assert.Equal(1.0, along.Layers.Sum(l => l.Share!.Value), 9);
        }

        var elements = kind == "relaxed" ? new GroupElement[] { new Rotation90(1), new CyclicShift(4, 0), new Flip() } : [new Rotation90(1), new Rotation90(2), new Flip()];
        foreach (var discrete in EquivarianceAnalysis.Discrete(network, inputs, elements, batchSize: 2))
            if (discrete.EndToEndRelative > 1e-20)
                Assert.Equal(1.0, discrete.Layers.Sum(l => l.Share!.Value), 9);
    }

    private static nn.Module<Tensor, Tensor> RandomNetwork(string kind, out Tensor inputs, out EquivarianceFrame frame)
    {
        nn.Module<Tensor, Tensor> model;
        switch (kind)
        {
            case "conv":
            {
                var map = new FeatureMap(1, 0, true, RotationAxis.None);
                model = new LayerChain(map, (new CircularConv(1, 3), map), (new Lambda(x => x.tanh()), map), (new CircularConv(3, 2), map),
                    (new Lambda(x => x.square().mean(new long[] { 2, 3 })), FeatureSpace.Trivial), (nn.Linear(2, 3, dtype: ScalarType.Float64), FeatureSpace.Trivial));
                inputs = Images(5);
                frame = Plane();
                return model;
            }
            case "z2cnn":
                model = new Z2Cnn(channels: 3);
                break;
            case "p4cnn":
                model = new P4Cnn(channels: 2);
                break;
            default:
                model = new RelaxedNetwork(8, 2, 3, Pathways.FC | Pathways.Conv | Pathways.GroupConv);
                model.to(ScalarType.Float64);
                inputs = Images(3);
                frame = Plane();
                return model;
        }
        model.to(ScalarType.Float64);
        inputs = Images(3, size: 28);
        frame = Plane(28);
        return model;
    }

    [Theory]
    [MemberData(nameof(RandomNetworks))]
    public void Forward_mode_tangents_of_every_built_in_layer_equal_the_double_backward_product(string kind)
    {
        torch.manual_seed(15);
        using var model = RandomNetwork(kind, out var inputs, out var frame);
        model.eval();
        var checkedLayers = 0;
        var x = inputs;
        foreach (var layer in ((IEquivariantLayers)model).EquivariantLayers)
        {
            var tangents = randn(new[] { x.shape[0], 3L }.Concat(x.shape.Skip(1)).ToArray(), dtype: ScalarType.Float64);
            foreach (var part in layer.Parts.Prepend(layer).Where(l => l.Tangents is not null))
            {
                var forwardMode = part.Tangents!(x, tangents);
                var reverse = EquivarianceAnalysis.Jvp(part.Forward, x, tangents);
                TensorComparison.AssertClose(reverse, forwardMode, 1e-12);
                checkedLayers++;
            }
            using (no_grad()) x = layer.Forward(x);
        }
        Assert.True(kind == "conv" ? checkedLayers == 0 : checkedLayers >= 7, $"{checkedLayers} layers with forward-mode tangents");
    }

    [Fact]
    public void P4cnn_layers_are_exactly_rot90_equivariant_and_z2cnn_layers_are_not()
    {
        torch.manual_seed(3);
        var inputs = Images(3, size: 28).to_type(ScalarType.Float32);
        foreach (var pooling in new[] { RotationPooling.Final, RotationPooling.EveryLayer })
        {
            using var p4 = new P4Cnn(channels: 3, pooling: pooling);
            var result = EquivarianceAnalysis.Discrete(LayeredNetwork.For(p4, FeatureSpace.Image()), inputs, GroupElement.Rotations);
            foreach (var element in result)
            {
                Assert.True(element.EndToEndRelative < 1e-11, $"{pooling} {element.Element}: end to end {element.EndToEndRelative:E2}");
                Assert.All(element.Layers, layer => Assert.True(layer.OwnRelative < 1e-11, $"{pooling} {element.Element} {layer.Name}: {layer.OwnRelative:E2}"));
            }
        }
        using var z2 = new Z2Cnn(channels: 3);
        var z2Result = EquivarianceAnalysis.Discrete(LayeredNetwork.For(z2, FeatureSpace.Image()), inputs, [new Rotation90(1)]);
        var convolutions = z2Result[0].Layers.Where(l => l.Name.StartsWith("conv", StringComparison.Ordinal) && l.Space != "trivial").ToList();
        Assert.All(convolutions, layer => Assert.True(layer.OwnRelative > 1e-3, $"Z2CNN {layer.Name}: {layer.OwnRelative:E2}"));
        // Batch norm, ReLU and the 2×2 max-pool of an even grid commute with quarter turns.
        Assert.True(z2Result[0].Layers.Single(l => l.Name == "max pool").OwnRelative < 1e-11);
    }

    [Fact]
    public void A_planted_off_centre_subsampling_is_the_layer_the_decomposition_names()
    {
        torch.manual_seed(5);
        using var p4 = new P4Cnn(channels: 3);
        p4.eval();
        var layers = p4.EquivariantLayers.ToList();
        int at = layers.FindIndex(l => l.Name == "conv 4") + 1;
        // Keeps every other pixel from phase 0 (not the grid's centre) and repeats it back to full size.
        var planted = new EquivariantLayer("planted subsampling", x => x[.., .., .., 0.., 0..].slice(3, 0, x.shape[3], 2).slice(4, 0, x.shape[4], 2)
            .repeat_interleave(2, 3).repeat_interleave(2, 4), layers[at - 1].Output);
        layers.Insert(at, planted);
        var network = new LayeredNetwork(p4, FeatureSpace.Image(), layers);
        var inputs = Images(4, size: 28).to_type(ScalarType.Float32);

        var result = EquivarianceAnalysis.Discrete(network, inputs, [new Rotation90(1)])[0];
        Assert.True(result.EndToEndRelative > 1e-4, $"end to end {result.EndToEndRelative:E2}");
        var worst = result.Layers.MaxBy(l => l.OwnRelative)!;
        Assert.Equal("planted subsampling", worst.Name);
        Assert.All(result.Layers.Where(l => l != worst), layer => Assert.True(layer.OwnRelative < 1e-11, $"{layer.Name}: {layer.OwnRelative:E2}"));
        Assert.Equal(1.0, worst.Share!.Value, 5);
    }

    [Fact]
    public void Pointwise_maps_biases_and_channel_mixing_are_exactly_equivariant()
    {
        torch.manual_seed(8);
        var map = new FeatureMap(1, 0, false, RotationAxis.None);
        var mixing = nn.Conv2d(2, 3, 1, dtype: ScalarType.Float64);
        using var chain = new LayerChain(map, (mixing, map), (new Lambda(x => x.relu()), map), (new Lambda(x => x + 0.7), map));
        var inputs = Images(4, channels: 2);
        var network = LayeredNetwork.For(chain, map);
        foreach (var element in EquivarianceAnalysis.Discrete(network, inputs, [new Rotation90(1), new CyclicShift(1, 3), new Flip()]))
            Assert.All(element.Layers, layer => Assert.Equal(0, layer.OwnRelative));
        // Continuous: the linear layers commute with the finite differences exactly.
        var continuous = EquivarianceAnalysis.Continuous(network, inputs, Plane());
        foreach (int linear in new[] { 0, 2 })
            Assert.True(continuous.Layers[linear].Own.Values.Max(Math.Abs) < 1e-24, $"{continuous.Layers[linear].Name}");
    }

    [Fact]
    public void A_pointwise_nonlinearity_is_continuously_equivariant_only_up_to_the_finite_differences()
    {
        // 𝓛 of tanh(f) is tanh′(f)·𝓛f exactly, but the central differences of tanh(f) are not tanh′(f) times those of f:
        // the own error is the discretisation's, O(Δ²) in the residual, so O(Δ⁴) relative — a quarter of the spacing, 1/256.
        double Error(int size)
        {
            var map = new FeatureMap(1, 0, true, RotationAxis.None);
            using var chain = new LayerChain(map, (new Lambda(x => (2 * x).tanh()), map));
            var grid = arange(size, dtype: ScalarType.Float64).mul(2 * Math.PI / size);
            var field = (grid.view(size, 1).sin() + grid.view(1, size).cos()).view(1, 1, size, size);
            var frame = EquivarianceFrame.Plane(size, size, affine: true);
            return EquivarianceAnalysis.Continuous(LayeredNetwork.For(chain, map), field, frame).Along("t", ColumnTranslation).Layers[0].OwnRelative;
        }
        double coarse = Error(16), fine = Error(64);
        Assert.True(coarse > 1e-4, $"{coarse:E2}");
        Assert.InRange(fine / coarse, 1.0 / 400, 1.0 / 150);
    }

    [Fact]
    public void Circular_convolution_commutes_with_translations_but_not_with_rotations_unless_isotropic()
    {
        torch.manual_seed(9);
        var map = new FeatureMap(1, 0, true, RotationAxis.None);
        var inputs = Images(4, channels: 2);
        foreach (bool isotropic in new[] { false, true })
        {
            using var chain = new LayerChain(map, (new CircularConv(2, 3, isotropic: isotropic), map));
            var network = LayeredNetwork.For(chain, map);
            var continuous = EquivarianceAnalysis.Continuous(network, inputs, Plane());
            foreach (var translation in new[] { RowTranslation, ColumnTranslation })
                Assert.True(continuous.Along("t", translation).Layers[0].OwnRelative < 1e-25);
            Assert.True(continuous.Along("rotation", Rotation).Layers[0].OwnRelative > 1e-3);
            var discrete = EquivarianceAnalysis.Discrete(network, inputs, [new CyclicShift(3, 5), new Rotation90(1)]);
            Assert.True(discrete[0].Layers[0].OwnRelative < 1e-28);
            if (isotropic) Assert.True(discrete[1].Layers[0].OwnRelative < 1e-28);
            else Assert.True(discrete[1].Layers[0].OwnRelative > 1e-2);
        }
    }

    [Fact]
    public void Dense_layer_breaks_translations_unless_its_matrix_is_a_circular_convolution()
    {
        torch.manual_seed(10);
        var map = new FeatureMap(1, 0, true, RotationAxis.None);
        var inputs = Images(3);
        var conv = new CircularConv(1, 1);
        // The convolution's matrix, column by column from the images of unit impulses.
        var impulses = eye(Size * Size, dtype: ScalarType.Float64).reshape(Size * Size, 1, Size, Size);
        Tensor matrix, offset;
        using (no_grad())
        {
            offset = conv.forward(zeros(1, 1, Size, Size, dtype: ScalarType.Float64)).flatten();
            matrix = (conv.forward(impulses).flatten(1) - offset).T.contiguous();
        }
        var random = randn(Size * Size, Size * Size, dtype: ScalarType.Float64);
        foreach (var (weights, equivariant) in new[] { (matrix, true), (random, false) })
        {
            var w = weights;
            using var chain = new LayerChain(map, (new Lambda(x => x.flatten(1).matmul(w.T).reshape(x.shape)), map));
            var network = LayeredNetwork.For(chain, map);
            double continuous = EquivarianceAnalysis.Continuous(network, inputs, Plane()).Along("t", ColumnTranslation).Layers[0].OwnRelative;
            double discrete = EquivarianceAnalysis.Discrete(network, inputs, [new CyclicShift(2, 1)])[0].Layers[0].OwnRelative;
            if (equivariant)
            {
                Assert.True(continuous < 1e-25, $"{continuous:E2}");
                Assert.True(discrete < 1e-28, $"{discrete:E2}");
            }
            else
            {
                Assert.True(continuous > 1e-2, $"{continuous:E2}");
                Assert.True(discrete > 1e-2, $"{discrete:E2}");
            }
        }
    }

    [Fact]
    public void Stride_two_at_a_fixed_phase_keeps_shifts_by_two_and_rotations_only_when_centred()
    {
        torch.manual_seed(12);
        var input = new FeatureMap(1, 0, true, RotationAxis.None);
        var inputs = Images(3);
        var phaseZero = new FeatureMap(2, 0, true, RotationAxis.None);
        using var subsample = new LayerChain(input, (new Lambda(x => x.slice(2, 0, Size, 2).slice(3, 0, Size, 2)), phaseZero));
        var result = EquivarianceAnalysis.Discrete(LayeredNetwork.For(subsample, input), inputs, [new CyclicShift(2, 4), new Rotation90(1)]);
        Assert.Equal(0, result[0].Layers[0].OwnRelative);
        Assert.True(result[1].Layers[0].OwnRelative > 1e-2);
        Assert.Throws<ArgumentException>(() => EquivarianceAnalysis.Discrete(LayeredNetwork.For(subsample, input), inputs, [new CyclicShift(1, 0)]));

        // The 2×2 cell average sits at the cells' centres: a quarter turn maps the cells onto each other.
        var centred = new FeatureMap(2, 0.5, true, RotationAxis.None);
        using var average = new LayerChain(input, (new Lambda(x => nn.functional.avg_pool2d(x, 2)), centred));
        var rotated = EquivarianceAnalysis.Discrete(LayeredNetwork.For(average, input), inputs, [new Rotation90(1), new CyclicShift(2, 2)]);
        Assert.All(rotated, e => Assert.True(e.Layers[0].OwnRelative < 1e-28));
    }

    [Fact]
    public void P4_pathways_with_circular_padding_are_exactly_rot90_equivariant_and_rotation_pooling_is_invariant()
    {
        torch.manual_seed(13);
        var planar = new FeatureMap(1, 0, true, RotationAxis.None);
        var inputs = Images(3, channels: 2);
        foreach (int stride in new[] { 1, 2 })
        {
            var lifting = new GroupConvPathway(2, 3, Size, 1, 0, lifting: true);
            var group = new GroupConvPathway(3, 2, Size, stride, 1, lifting: false);
            lifting.to(ScalarType.Float64);
            group.to(ScalarType.Float64);
            var p4 = new FeatureMap(1, 0, true, RotationAxis.ChannelMinor);
            var reduced = new FeatureMap(stride, stride == 2 ? 0.5 : 0, true, RotationAxis.ChannelMinor);
            using var chain = new LayerChain(planar, (lifting, p4), (group, reduced),
                (new Lambda(x => x.reshape(x.shape[0], -1, 4, x.shape[2], x.shape[3]).amax(new long[] { 2 })), new FeatureMap(stride, reduced.Phase, true, RotationAxis.None)),
                (new Lambda(x => x.mean(new long[] { 2, 3 })), FeatureSpace.Trivial));
            var result = EquivarianceAnalysis.Discrete(LayeredNetwork.For(chain, planar), inputs, GroupElement.Rotations);
            foreach (var element in result)
                Assert.All(element.Layers, layer => Assert.True(layer.OwnRelative < 1e-28, $"stride {stride} {element.Element} {layer.Name}: {layer.OwnRelative:E2}"));
        }
    }

    [Fact]
    public void Relaxed_network_reports_each_pathway_and_only_g_conv_keeps_rot90()
    {
        torch.manual_seed(14);
        using var network = new RelaxedNetwork(8, 2, 3, Pathways.FC | Pathways.Conv | Pathways.GroupConv);
        network.to(ScalarType.Float64);
        var result = EquivarianceAnalysis.Discrete(LayeredNetwork.For(network, FeatureSpace.Image()), Images(3), [new Rotation90(1), new CyclicShift(4, 4)]);
        foreach (var block in result[0].Layers.Where(l => l.Parts.Count > 0))
        {
            Assert.Equal(["FC", "CONV", "G-CONV"], block.Parts.Select(p => p.Name));
            Assert.True(block.Parts.Single(p => p.Name == "G-CONV").OwnRelative < 1e-28, block.Name);
            Assert.True(block.Parts.Single(p => p.Name == "FC").OwnRelative > 1e-3, block.Name);
        }
        // CONV keeps cyclic shifts by the total stride; FC does not.
        foreach (var block in result[1].Layers.Where(l => l.Parts.Count > 0))
        {
            Assert.True(block.Parts.Single(p => p.Name == "CONV").OwnRelative < 1e-28, block.Name);
            Assert.True(block.Parts.Single(p => p.Name == "G-CONV").OwnRelative < 1e-28, block.Name);
            Assert.True(block.Parts.Single(p => p.Name == "FC").OwnRelative > 1e-3, block.Name);
        }
    }

    [Fact]
    public void Map_tangents_are_the_analytic_lie_derivative_of_a_linear_field_in_the_input_frame()
    {
        // f(p) = a·row + b·column: central differences are exact, so 𝓛_h f = −(a, b)·(h p̃) at every interior pixel.
        var frame = EquivarianceFrame.Plane(12, 12, affine: true);
        var map = new FeatureMap(2, 0.5, false, RotationAxis.None);
        double a = 0.3, b = -1.7;
        var rows = arange(6, dtype: ScalarType.Float64).mul(2).add(0.5).sub(5.5).div(6);
        var field = (rows.view(6, 1) * a + rows.view(1, 6) * b).view(1, 1, 6, 6);
        var tangents = FeatureActions.Tangents(map, field, frame).view(6, 6, 6);
        for (int i = 0; i < 6; i++)
            for (int j = 0; j < 6; j++)
            {
                double[] p = [rows[i].item<double>(), rows[j].item<double>(), 1];
                for (int k = 0; k < 2; k++)
                    for (int c = 0; c < 3; c++)
                        Assert.Equal(-(k == 0 ? a : b) * p[c], tangents[k * 3 + c, i, j].item<double>(), 12);
            }
    }

    [Fact]
    public void Quarter_turn_of_p4_maps_is_the_same_in_both_layouts()
    {
        var separate = randn(new long[] { 2, 3, 4, 5, 5 }, dtype: ScalarType.Float64);
        var channelMinor = separate.reshape(2, 12, 5, 5);
        var a = FeatureActions.Apply(new FeatureMap(1, 0, false, RotationAxis.Separate), separate, new Rotation90(1));
        var b = FeatureActions.Apply(new FeatureMap(1, 0, false, RotationAxis.ChannelMinor), channelMinor, new Rotation90(1));
        Assert.True(TensorComparison.SameValues(a.reshape(2, 12, 5, 5), b));
        // The rotation axis moves by one: copy r of the result is the quarter-turned copy r − 1.
        Assert.True(TensorComparison.SameValues(a[.., .., 1], separate[.., .., 0].rot90(1, (2, 3))));
    }

    /// <summary>EᵀE / N of a polarization matrix, entry by entry.</summary>
    private static double[] Gram(PolarizationMatrix polarization)
    {
        int d = polarization.Columns;
        var gram = new double[d * d];
        for (int row = 0; row < polarization.Rows; row++)
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++)
                    gram[a * d + b] += polarization.Row(row)[a] * polarization.Row(row)[b] / polarization.Rows;
        return gram;
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1e-300, expected.Max(Math.Abs));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * scale, $"entry {i}: expected {expected[i]:E6}, got {actual[i]:E6} (scale {scale:E3})");
    }
}
