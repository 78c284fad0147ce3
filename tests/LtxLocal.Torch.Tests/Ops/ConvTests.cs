using LtxLocal.Torch.NN;
using static LtxLocal.Torch.Tests.TestDevice;

namespace LtxLocal.Torch.Tests.Ops;

// Convolutions against plain C# definitions on tiny arrays: the direct (gather) form for Conv and the
// scatter form (every input element adds weight * value to the outputs it reaches) for ConvTranspose.
public class ConvTests
{
    /// <summary>Every index tuple of <paramref name="dims"/>, row-major.</summary>
    private static IEnumerable<int[]> Positions(int[] dims)
    {
        var idx = new int[dims.Length];
        if (dims.Any(d => d <= 0)) yield break;
        while (true)
        {
            yield return (int[])idx.Clone();
            int i = dims.Length - 1;
            while (i >= 0 && ++idx[i] == dims[i]) idx[i--] = 0;
            if (i < 0) yield break;
        }
    }

    private static int Flat(int[] shape, params int[] idx)
    {
        int f = 0;
        for (int i = 0; i < shape.Length; i++) f = f * shape[i] + idx[i];
        return f;
    }

    private static int[] Prefix(int a, int b, int[] rest) => new[] { a, b }.Concat(rest).ToArray();

    /// <summary>y[b, co, o] = bias[co] + sum over ci in co's group and k of x[b, ci, o*s - p + k*d] * w[co, ci', k].</summary>
    internal static float[] Conv(float[] x, int[] xs, float[] w, int[] ws, float[]? bias, int[] s, int[] p, int[] d, int groups, out int[] ys)
    {
        int n = xs.Length - 2, cin = xs[1], cout = ws[0], cinG = cin / groups, coutG = cout / groups;
        var spatial = xs.Skip(2).ToArray();
        var kernel = ws.Skip(2).ToArray();
        var o = new int[n];
        for (int i = 0; i < n; i++) o[i] = (spatial[i] + 2 * p[i] - d[i] * (kernel[i] - 1) - 1) / s[i] + 1;
        ys = Prefix(xs[0], cout, o);
        var y = new float[ys.Aggregate(1, (a, b) => a * b)];
        for (int b = 0; b < xs[0]; b++)
            for (int co = 0; co < cout; co++)
                foreach (var op in Positions(o))
                {
                    double sum = bias?[co] ?? 0;
                    int g = co / coutG;
                    for (int ci = 0; ci < cinG; ci++)
                        foreach (var k in Positions(kernel))
                        {
                            var ip = new int[n];
                            bool inside = true;
                            for (int i = 0; i < n; i++)
                            {
                                ip[i] = op[i] * s[i] - p[i] + k[i] * d[i];
                                inside &= ip[i] >= 0 && ip[i] < spatial[i];
                            }
                            if (!inside) continue;
                            sum += x[Flat(xs, Prefix(b, g * cinG + ci, ip))] * w[Flat(ws, Prefix(co, ci, k))];
                        }
                    y[Flat(ys, Prefix(b, co, op))] = (float)sum;
                }
        return y;
    }

    /// <summary>Scatter form: x[b, ci, i] * w[ci, co', k] is added to y[b, co, i*s - p + k*d] (weight [Cin, Cout/groups, K...]).</summary>
    internal static float[] ConvTranspose(float[] x, int[] xs, float[] w, int[] ws, float[]? bias, int[] s, int[] p, int[] op,
        int[] d, int groups, out int[] ys)
    {
        int n = xs.Length - 2, cin = xs[1], coutG = ws[1], cout = coutG * groups, cinG = cin / groups;
        var spatial = xs.Skip(2).ToArray();
        var kernel = ws.Skip(2).ToArray();
        var o = new int[n];
        for (int i = 0; i < n; i++) o[i] = (spatial[i] - 1) * s[i] - 2 * p[i] + d[i] * (kernel[i] - 1) + op[i] + 1;
        ys = Prefix(xs[0], cout, o);
        var y = new double[ys.Aggregate(1, (a, b) => a * b)];
        for (int b = 0; b < xs[0]; b++)
            for (int ci = 0; ci < cin; ci++)
                foreach (var ip in Positions(spatial))
                {
                    int g = ci / cinG;
                    double v = x[Flat(xs, Prefix(b, ci, ip))];
                    for (int co = 0; co < coutG; co++)
                        foreach (var k in Positions(kernel))
                        {
                            var pos = new int[n];
                            bool inside = true;
                            for (int i = 0; i < n; i++)
                            {
                                pos[i] = ip[i] * s[i] - p[i] + k[i] * d[i];
                                inside &= pos[i] >= 0 && pos[i] < o[i];
                            }
                            if (inside) y[Flat(ys, Prefix(b, g * coutG + co, pos))] += v * w[Flat(ws, Prefix(ci, co, k))];
                        }
                }
        if (bias is not null)
        {
            int per = o.Aggregate(1, (a, c) => a * c);
            for (int i = 0; i < y.Length; i++) y[i] += bias[i / per % cout];
        }
        return y.Select(v => (float)v).ToArray();
    }

    private static long[] L64(int[] a) => a.Select(v => (long)v).ToArray();

    /// <summary>Runs <paramref name="conv"/> on data from a C# generator and compares with <see cref="Conv"/>.</summary>
    private static void CheckConv(int[] xs, int[] ws, int[] stride, int[] padding, int[] dilation, int groups, bool withBias,
        Func<Tensor, Tensor, Tensor?, Tensor> conv)
    {
        var (x, w, bias) = Data(xs, ws, ws[0], xs.Sum() + stride[0] + 3 * padding[0]);
        var b = withBias ? bias : null;
        var expected = Conv(x, xs, w, ws, b, stride, padding, dilation, groups, out var ys);
        using var bt = b is null ? null : T(b, ws[0]);
        using var y = conv(T(x, L64(xs)), T(w, L64(ws)), bt);
        Close(expected, y, L64(ys), 1e-5);
    }

    /// <summary>Runs <paramref name="convTranspose"/> on generated data and compares with the scatter form <see cref="ConvTranspose"/>.</summary>
    private static void CheckConvTranspose(int[] xs, int[] ws, int[] stride, int[] padding, int[] outputPadding, int[] dilation, int groups,
        bool withBias, Func<Tensor, Tensor, Tensor?, Tensor> convTranspose)
    {
        var (x, w, _) = Data(xs, ws, 0, xs.Sum() * 7 + stride[0]);
        int cout = ws[1] * groups;
        var bias = withBias ? Values(cout, 5) : null;
        var expected = ConvTranspose(x, xs, w, ws, bias, stride, padding, outputPadding, dilation, groups, out var ys);
        using var bt = bias is null ? null : T(bias, cout);
        using var y = convTranspose(T(x, L64(xs)), T(w, L64(ws)), bt);
        Close(expected, y, L64(ys), 1e-5);
    }

    private static (float[] X, float[] W, float[] Bias) Data(int[] xs, int[] ws, int biasCount, int seed) =>
        (Values(xs.Aggregate(1, (a, b) => a * b), seed), Values(ws.Aggregate(1, (a, b) => a * b), seed + 1), Values(biasCount, seed + 2));

    // (input shape, weight shape, stride, padding, dilation, groups)
    public static TheoryData<int[], int[], int, int, int, int> Conv1dCases => new()
    {
        { new[] { 2, 3, 9 }, new[] { 4, 3, 3 }, 1, 0, 1, 1 },
        { new[] { 1, 2, 10 }, new[] { 3, 2, 3 }, 2, 1, 1, 1 },
        { new[] { 1, 2, 11 }, new[] { 2, 2, 3 }, 1, 2, 2, 1 },
        { new[] { 2, 4, 7 }, new[] { 6, 2, 2 }, 1, 1, 1, 2 },
        { new[] { 1, 4, 8 }, new[] { 4, 1, 3 }, 2, 1, 2, 4 }, // depthwise
        // Batch 2 with input channels not a multiple of 16: what Debian 13's libtorch 2.6 (system oneDNN) got wrong
        // on the CPU, NaN in 1-d (the shim checks oneDNN once and falls back; see ltx_conv).
        { new[] { 2, 20, 9 }, new[] { 20, 20, 3 }, 1, 1, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(Conv1dCases))]
    public void Conv1d_matches_the_definition(int[] xs, int[] ws, int stride, int padding, int dilation, int groups)
    {
        foreach (var withBias in new[] { true, false })
            CheckConv(xs, ws, new[] { stride }, new[] { padding }, new[] { dilation }, groups, withBias,
                (x, w, b) => F.Conv1d(x, w, b, stride, padding, dilation, groups));
    }

    public static TheoryData<int[], int[], int[], int[], int[], int> Conv2dCases => new()
    {
        { new[] { 1, 2, 5, 6 }, new[] { 3, 2, 3, 3 }, new[] { 1, 1 }, new[] { 0, 0 }, new[] { 1, 1 }, 1 },
        { new[] { 2, 2, 7, 6 }, new[] { 2, 2, 3, 2 }, new[] { 2, 1 }, new[] { 1, 2 }, new[] { 1, 2 }, 1 },
        { new[] { 1, 4, 5, 5 }, new[] { 2, 2, 3, 3 }, new[] { 1, 2 }, new[] { 1, 1 }, new[] { 2, 1 }, 2 },
        { new[] { 2, 20, 5, 4 }, new[] { 20, 20, 3, 3 }, new[] { 1, 1 }, new[] { 1, 1 }, new[] { 1, 1 }, 1 }, // see Conv1dCases
    };

    [Theory]
    [MemberData(nameof(Conv2dCases))]
    public void Conv2d_matches_the_definition(int[] xs, int[] ws, int[] stride, int[] padding, int[] dilation, int groups)
    {
        CheckConv(xs, ws, stride, padding, dilation, groups, true,
            (x, w, b) => F.Conv2d(x, w, b, L64(stride), L64(padding), L64(dilation), groups));
    }

    [Fact]
    public void Conv2d_defaults_are_stride_1_no_padding()
    {
        // 3x3 input, 2x2 kernel of ones: each output is the sum of a 2x2 window
        using var x = Seq(1, 1, 3, 3);
        using var w = Tensor.Ones(new long[] { 1, 1, 2, 2 }, device: Current);
        using var y = F.Conv2d(x, w);
        Assert.Equal(new long[] { 1, 1, 2, 2 }, y.Shape);
        Assert.Equal(new[] { 8f, 12, 20, 24 }, F32(y));
    }

    public static TheoryData<int[], int[], int[], int[], int[], int> Conv3dCases => new()
    {
        { new[] { 1, 2, 4, 5, 5 }, new[] { 3, 2, 2, 3, 3 }, new[] { 1, 1, 1 }, new[] { 0, 1, 1 }, new[] { 1, 1, 1 }, 1 },
        { new[] { 1, 2, 5, 4, 6 }, new[] { 2, 1, 3, 2, 2 }, new[] { 2, 1, 2 }, new[] { 1, 0, 1 }, new[] { 1, 2, 1 }, 2 },
        { new[] { 2, 20, 3, 4, 4 }, new[] { 8, 20, 3, 3, 3 }, new[] { 1, 1, 1 }, new[] { 1, 1, 1 }, new[] { 1, 1, 1 }, 1 }, // see Conv1dCases
    };

    [Theory]
    [MemberData(nameof(Conv3dCases))]
    public void Conv3d_matches_the_definition(int[] xs, int[] ws, int[] stride, int[] padding, int[] dilation, int groups)
    {
        foreach (var withBias in new[] { true, false })
            CheckConv(xs, ws, stride, padding, dilation, groups, withBias,
                (x, w, b) => F.Conv3d(x, w, b, L64(stride), L64(padding), L64(dilation), groups));
    }

    [Fact]
    public void Conv_on_a_non_contiguous_input()
    {
        var xs = new[] { 1, 2, 5, 4 };
        var ws = new[] { 2, 2, 3, 3 };
        var (x, w, bias) = Data(xs, ws, 2, 77);
        // permute the spatial dims of a [1, 2, 4, 5] tensor: non-contiguous [1, 2, 5, 4] with the same values as x
        var swapped = new float[x.Length];
        for (int c = 0; c < 2; c++) for (int i = 0; i < 5; i++) for (int j = 0; j < 4; j++) swapped[c * 20 + j * 5 + i] = x[c * 20 + i * 4 + j];
        using var view = T(swapped, 1, 2, 4, 5).Transpose(2, 3);
        Assert.False(view.IsContiguous);
        using var y = F.Conv2d(view, T(w, L64(ws)), T(bias, 2), padding: new long[] { 1, 1 });
        Close(Conv(x, xs, w, ws, bias, new[] { 1, 1 }, new[] { 1, 1 }, new[] { 1, 1 }, 1, out var ys), y, L64(ys), 1e-5);
    }

    [Fact]
    public void Conv_with_wrong_channel_count_throws()
    {
        using var x = Tensor.Zeros(new long[] { 1, 3, 5, 5 }, device: Current);
        using var w = Tensor.Zeros(new long[] { 2, 2, 3, 3 }, device: Current);
        var e = Assert.Throws<TorchException>(() => F.Conv2d(x, w));
        Assert.StartsWith("Conv2d:", e.Message);
        Assert.Throws<ArgumentException>(() => F.Convolution(x, w, null, new long[] { 1, 1 }, new long[] { 0 }, new long[] { 1, 1 }, new long[] { 0, 0 }, false, 1));
    }

    // (input shape, weight shape [Cin, Cout/g, K], stride, padding, output padding, dilation, groups)
    public static TheoryData<int[], int[], int, int, int, int, int> ConvTranspose1dCases => new()
    {
        { new[] { 1, 2, 4 }, new[] { 2, 3, 3 }, 1, 0, 0, 1, 1 },
        { new[] { 2, 2, 5 }, new[] { 2, 2, 4 }, 2, 1, 0, 1, 1 },
        { new[] { 1, 3, 4 }, new[] { 3, 2, 3 }, 3, 1, 2, 1, 1 },
        { new[] { 1, 4, 5 }, new[] { 4, 1, 3 }, 2, 0, 1, 2, 2 },
    };

    [Theory]
    [MemberData(nameof(ConvTranspose1dCases))]
    public void ConvTranspose1d_matches_the_scatter_definition(int[] xs, int[] ws, int stride, int padding, int outputPadding, int dilation, int groups)
    {
        CheckConvTranspose(xs, ws, new[] { stride }, new[] { padding }, new[] { outputPadding }, new[] { dilation }, groups, true,
            (x, w, b) => F.ConvTranspose1d(x, w, b, stride, padding, outputPadding, groups, dilation));
    }

    [Fact]
    public void ConvTranspose1d_of_a_unit_impulse_places_the_kernel()
    {
        // x = [0, 1, 0] with stride 2: the single 1 at i = 1 writes the kernel at 2..4
        using var x = T(new[] { 0f, 1, 0 }, 1, 1, 3);
        using var w = T(new[] { 1f, 2, 3 }, 1, 1, 3);
        using var y = F.ConvTranspose1d(x, w, stride: 2);
        Assert.Equal(new[] { 0f, 0, 1, 2, 3, 0, 0 }, F32(y));
    }

    [Fact]
    public void ConvTranspose_is_the_adjoint_of_Conv()
    {
        // <conv(x), y> == <x, conv_transpose(y)> for the same weight, stride and padding
        var xs = new[] { 1, 2, 7, 6 };
        var ws = new[] { 3, 2, 3, 3 };
        var (x, w, _) = Data(xs, ws, 0, 31);
        using var xt = T(x, L64(xs));
        using var wt = T(w, L64(ws));
        using var cx = F.Conv2d(xt, wt, stride: new long[] { 2, 2 }, padding: new long[] { 1, 1 });
        var yv = Values((int)cx.Numel, 32);
        using var yt = T(yv, cx.Shape);
        using var ty = F.ConvTranspose2d(yt, wt, stride: new long[] { 2, 2 }, padding: new long[] { 1, 1 }, outputPadding: new long[] { 0, 1 });
        Assert.Equal(xt.Shape, ty.Shape);
        double lhs = F32(cx).Zip(yv, (a, b) => (double)a * b).Sum();
        double rhs = x.Zip(F32(ty), (a, b) => (double)a * b).Sum();
        Assert.Equal(lhs, rhs, 4);
    }

    public static TheoryData<int[], int[], int[], int[], int[], int[], int> ConvTranspose2dCases => new()
    {
        { new[] { 1, 2, 3, 4 }, new[] { 2, 3, 3, 2 }, new[] { 1, 1 }, new[] { 0, 0 }, new[] { 0, 0 }, new[] { 1, 1 }, 1 },
        { new[] { 2, 2, 3, 3 }, new[] { 2, 2, 4, 4 }, new[] { 2, 2 }, new[] { 1, 1 }, new[] { 0, 0 }, new[] { 1, 1 }, 1 },
        { new[] { 1, 4, 3, 2 }, new[] { 4, 1, 3, 2 }, new[] { 2, 3 }, new[] { 1, 0 }, new[] { 1, 2 }, new[] { 1, 2 }, 2 },
    };

    [Theory]
    [MemberData(nameof(ConvTranspose2dCases))]
    public void ConvTranspose2d_matches_the_scatter_definition(int[] xs, int[] ws, int[] stride, int[] padding, int[] outputPadding, int[] dilation, int groups)
    {
        CheckConvTranspose(xs, ws, stride, padding, outputPadding, dilation, groups, true,
            (x, w, b) => F.ConvTranspose2d(x, w, b, L64(stride), L64(padding), L64(outputPadding), groups, L64(dilation)));
    }

    public static TheoryData<int[], int[], int[], int[], int[], int[], int> ConvTranspose3dCases => new()
    {
        { new[] { 1, 2, 2, 3, 3 }, new[] { 2, 2, 2, 2, 2 }, new[] { 1, 1, 1 }, new[] { 0, 0, 0 }, new[] { 0, 0, 0 }, new[] { 1, 1, 1 }, 1 },
        { new[] { 1, 2, 2, 2, 3 }, new[] { 2, 1, 3, 2, 3 }, new[] { 2, 2, 1 }, new[] { 1, 0, 1 }, new[] { 1, 1, 0 }, new[] { 1, 1, 2 }, 2 },
    };

    [Theory]
    [MemberData(nameof(ConvTranspose3dCases))]
    public void ConvTranspose3d_matches_the_scatter_definition(int[] xs, int[] ws, int[] stride, int[] padding, int[] outputPadding, int[] dilation, int groups)
    {
        foreach (var withBias in new[] { true, false })
            CheckConvTranspose(xs, ws, stride, padding, outputPadding, dilation, groups, withBias,
                (x, w, b) => F.ConvTranspose3d(x, w, b, L64(stride), L64(padding), L64(outputPadding), groups, L64(dilation)));
    }
}
