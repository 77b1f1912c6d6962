using LieGG.Runtime.Models.Relaxed;
using TorchSharp;
using static TorchSharp.torch;

namespace LieGG.Runtime.Tests.Laplace;

/// <summary>The p4 G-CONV pathway: exact 90° equivariance (untrained and trained), its KFAC rows and input factor against autograd, and the factor's one-Gram route against the rows.</summary>
public sealed class GroupConvPathwayTests
{
    private static GroupConvPathway Pathway(bool lifting, int stride, int inChannels = 2, int outChannels = 3, int size = 8)
    {
        torch.manual_seed(5);
        var pathway = new GroupConvPathway(inChannels, outChannels, size, stride, layer: 0, lifting);
        pathway.to(ScalarType.Float64);
        using (torch.no_grad())
            foreach (var p in pathway.parameters()) p.uniform_(-0.5, 0.5);
        return pathway;
    }

    private static Tensor Input(GroupConvPathway pathway, int size = 8, int samples = 3)
        => torch.randn(new long[] { samples, pathway.InChannels * pathway.InputRotations, size, size }, ScalarType.Float64, generator: new torch.Generator(11));

    /// <summary>A p4 map [N, C·4, S, S] (or a planar one) rotated by 90°: every map turned, the rotation axis shifted by one.</summary>
    private static Tensor Rotate(Tensor maps, int rotations)
    {
        var turned = maps.rot90(1, (2, 3));
        if (rotations == 1) return turned;
        long n = maps.shape[0], channels = maps.shape[1] / 4, size = maps.shape[2];
        return turned.reshape(n, channels, 4, size, size).roll(1, 2).reshape(n, channels * 4, size, size);
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(true, 2)]
    [InlineData(false, 1)]
    [InlineData(false, 2)]
    public void Rotating_the_input_by_90_degrees_rotates_the_output_exactly_untrained_and_trained(bool lifting, int stride)
    {
        using var pathway = Pathway(lifting, stride);
        var x = Input(pathway);
        TensorComparison.AssertClose(Rotate(pathway.forward(x), 4), pathway.forward(Rotate(x, pathway.InputRotations)), 1e-10);

        // A few steps of gradient descent on an arbitrary loss move every weight; the symmetry is in the structure.
        var optimizer = torch.optim.SGD(pathway.parameters(), 0.1);
        for (int step = 0; step < 3; step++)
        {
            optimizer.zero_grad();
            (pathway.forward(x).sin().sum() + pathway.forward(x * 2).square().mean()).backward();
            optimizer.step();
        }
        TensorComparison.AssertClose(Rotate(pathway.forward(x), 4), pathway.forward(Rotate(x, pathway.InputRotations)), 1e-10);
        // And a shift that is not a symmetry of the grid's 2×2 cells is not one of a stride-2 pathway.
        if (stride == 2) Assert.False(pathway.forward(x.roll(1, 3)).allclose(pathway.forward(x).roll(1, 3)));
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(true, 2)]
    [InlineData(false, 1)]
    [InlineData(false, 2)]
    public void Kfac_rows_times_the_weight_reproduce_every_output(bool lifting, int stride)
    {
        using var pathway = Pathway(lifting, stride);
        var x = Input(pathway);
        var site = pathway.Site;
        var rows = site.InputRows(x);
        Assert.Equal(site.Copies, rows.shape[1]);
        var linear = rows.matmul(site.Weight.flatten(1).T) + site.Bias;
        TensorComparison.AssertClose(site.OutputRows(pathway.forward(x)), linear, 1e-10);
    }

    [Theory]
    [InlineData(true, 2)]
    [InlineData(false, 1)]
    public void Input_factor_equals_the_sum_over_outputs_of_autograd_weight_gradients(bool lifting, int stride)
    {
        using var pathway = Pathway(lifting, stride, size: 4);
        var x = Input(pathway, size: 4, samples: 2);
        var output = pathway.forward(x);
        // ∂y[n, o·4 + r, p]/∂W[o, :] is the row a of that output; take channel o = 0 and every rotation and position.
        long entries = pathway.Site.Weight[0].numel();
        var expected = torch.zeros(new long[] { entries, entries }, ScalarType.Float64);
        for (long n = 0; n < output.shape[0]; n++)
            for (long r = 0; r < 4; r++)
                for (long row = 0; row < output.shape[2]; row++)
                    for (long column = 0; column < output.shape[3]; column++)
                    {
                        var gradient = torch.autograd.grad([output[n, r, row, column]], [pathway.Site.Weight], retain_graph: true)[0][0].flatten();
                        expected += torch.outer(gradient, gradient);
                    }
        Assert.Equal(pathway.OutputSize * pathway.OutputSize * 4, pathway.Site.Copies);
        TensorComparison.AssertClose(expected, pathway.Site.InputFactor(x)[0], 1e-10);
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(true, 2)]
    [InlineData(false, 1)]
    [InlineData(false, 2)]
    public void Input_factor_from_one_patch_gram_equals_the_gram_of_every_rotations_rows(bool lifting, int stride)
    {
        using var pathway = Pathway(lifting, stride, inChannels: 3, outChannels: 2, size: 8);
        var x = Input(pathway, size: 8, samples: 5);
        var rows = pathway.Site.InputRows(x);
        var flat = rows.reshape(-1, rows.shape[2]);
        TensorComparison.AssertClose(flat.T.matmul(flat), pathway.Site.InputFactor(x)[0], 1e-10);
    }
}
