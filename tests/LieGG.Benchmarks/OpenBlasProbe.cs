using System.Runtime.InteropServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

/// <summary>Probe: a dense layer whose products run in the system's OpenBLAS (cblas_sgemm), with libtorch autograd around it.</summary>
internal static class OpenBlasProbe
{
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;

    [DllImport("libopenblas.so.0")]
    private static extern void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, IntPtr a, int lda, IntPtr b, int ldb, float beta, IntPtr c, int ldc);

    [DllImport("libopenblas.so.0")]
    private static extern void openblas_set_num_threads(int threads);

    [DllImport("LibTorchSharp")]
    private static extern IntPtr THSTensor_data(IntPtr handle);

    public static bool Available()
    {
        try { openblas_set_num_threads(1); return true; } catch (DllNotFoundException) { return false; }
    }

    public static void Threads(int threads) => openblas_set_num_threads(threads);

    private static IntPtr Data(Tensor t) => THSTensor_data(t.Handle);

    /// <summary>C[m,n] = op(A)·op(B), row-major float32, into a new tensor.</summary>
    private static Tensor Product(Tensor a, bool transA, Tensor b, bool transB, long m, long n, long k)
    {
        var c = torch.empty(m, n);
        cblas_sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, (int)m, (int)n, (int)k, 1f,
            Data(a), (int)a.shape[1], Data(b), (int)b.shape[1], 0f, Data(c), (int)n);
        return c;
    }

    public static Tensor Linear(Tensor x, Tensor w) => BlasLinear.apply(x, w);

    private sealed class BlasLinear : torch.autograd.SingleTensorFunction<BlasLinear>
    {
        public override string Name => "BlasLinear";

        public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
        {
            var x = ((Tensor)vars[0]).contiguous();
            var w = ((Tensor)vars[1]).contiguous();
            ctx.save_for_backward([x, w]);
            return Product(x, false, w, true, x.shape[0], w.shape[0], x.shape[1]);
        }

        public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor gradient)
        {
            var saved = ctx.get_saved_variables();
            Tensor x = saved[0], w = saved[1];
            var g = gradient.contiguous();
            var gx = Product(g, false, w, false, g.shape[0], w.shape[1], w.shape[0]);
            var gw = Product(g, true, x, false, w.shape[0], w.shape[1], g.shape[0]);
            return [gx, gw];
        }
    }

    /// <summary>The benchmark's MLP (no biases, SiLU) with its dense products in OpenBLAS; weights copied from <paramref name="source"/>.</summary>
    public sealed class Mlp : nn.Module<Tensor, Tensor>
    {
        private readonly ParameterList weights = new();

        public Mlp(nn.Module<Tensor, Tensor> source) : base("BlasMlp")
        {
            foreach (var p in source.parameters()) weights.Add(new Parameter(p.detach().clone()));
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            var x = input.flatten(1);
            for (int i = 0; i < weights.Count; i++)
            {
                x = Linear(x, weights[i]);
                if (i < weights.Count - 1) x = nn.functional.silu(x);
            }
            return x;
        }
    }
}
