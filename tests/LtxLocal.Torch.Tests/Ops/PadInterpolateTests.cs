using LtxLocal.Torch.NN;
using static LtxLocal.Torch.Tests.TestDevice;

namespace LtxLocal.Torch.Tests.Ops;

// Padding, resizing and (pixel/voxel) shuffles against C# index arithmetic.
public class PadInterpolateTests
{
    /// <summary>
    /// Applies, for every output element of <paramref name="outShape"/>, the weighted sum of input elements given per
    /// spatial dim by <paramref name="taps"/> (dim, output coordinate) -> (input coordinate, weight) list; a coordinate
    /// of -1 contributes <paramref name="fill"/>. The first two dims (batch, channels) map through unchanged.
    /// </summary>
    private static float[] Separable(float[] x, int[] inShape, int[] outShape, Func<int, int, (int Index, double Weight)[]> taps, double fill = 0)
    {
        int n = inShape.Length - 2;
        int outCount = outShape.Aggregate(1, (a, b) => a * b);
        var y = new float[outCount];
        var o = new int[outShape.Length];
        for (int flat = 0; flat < outCount; flat++)
        {
            int rem = flat;
            for (int d = outShape.Length - 1; d >= 0; d--) { o[d] = rem % outShape[d]; rem /= outShape[d]; }
            var perDim = Enumerable.Range(0, n).Select(d => taps(d, o[d + 2])).ToArray();
            double sum = 0;
            void Walk(int d, int offset, double weight, bool outside)
            {
                if (d == n)
                {
                    sum += weight * (outside ? fill : x[offset]);
                    return;
                }
                foreach (var (index, w) in perDim[d])
                    Walk(d + 1, offset * inShape[d + 2] + Math.Max(index, 0), weight * w, outside || index < 0);
            }
            Walk(0, o[0] * inShape[1] + o[1], 1, false);
            y[flat] = (float)sum;
        }
        return y;
    }

    private static long[] L64(int[] a) => a.Select(v => (long)v).ToArray();

    public static TheoryData<int[], int[], PadMode> PadCases => new()
    {
        { new[] { 2, 2, 5 }, new[] { 2, 3 }, PadMode.Constant },
        { new[] { 2, 2, 5 }, new[] { 3, 1 }, PadMode.Reflect },
        { new[] { 2, 2, 5 }, new[] { 2, 4 }, PadMode.Replicate },
        { new[] { 2, 2, 5 }, new[] { 3, 2 }, PadMode.Circular },
        { new[] { 1, 2, 3, 4 }, new[] { 1, 2, 2, 0 }, PadMode.Constant },
        { new[] { 1, 2, 3, 4 }, new[] { 1, 2, 2, 1 }, PadMode.Reflect },
        { new[] { 1, 2, 3, 4 }, new[] { 3, 0, 1, 2 }, PadMode.Replicate },
        { new[] { 1, 2, 3, 4 }, new[] { 1, 2, 2, 1 }, PadMode.Circular },
        { new[] { 1, 1, 3, 3, 4 }, new[] { 1, 1, 0, 2, 1, 0 }, PadMode.Constant },
        { new[] { 1, 1, 3, 3, 4 }, new[] { 1, 2, 2, 1, 1, 1 }, PadMode.Reflect },
        { new[] { 1, 1, 3, 3, 4 }, new[] { 2, 1, 1, 0, 0, 2 }, PadMode.Replicate },
        { new[] { 1, 1, 3, 3, 4 }, new[] { 1, 1, 2, 1, 1, 2 }, PadMode.Circular },
    };

    [Theory]
    [MemberData(nameof(PadCases))]
    public void Pad_matches_the_index_definition(int[] shape, int[] pad, PadMode mode)
    {
        int n = shape.Length - 2;
        var x = Values(shape.Aggregate(1, (a, b) => a * b), shape.Sum() + (int)mode);
        // pad lists the last dim first: (left, right) of dim n-1, then of dim n-2...
        int Before(int d) => pad[2 * (n - 1 - d)];
        int After(int d) => pad[2 * (n - 1 - d) + 1];
        var outShape = shape.Select((s, i) => i < 2 ? s : s + Before(i - 2) + After(i - 2)).ToArray();
        (int, double)[] Tap(int d, int o)
        {
            int size = shape[d + 2], i = o - Before(d);
            int src = mode switch
            {
                PadMode.Constant => i < 0 || i >= size ? -1 : i,
                PadMode.Reflect => i < 0 ? -i : i >= size ? 2 * (size - 1) - i : i,
                PadMode.Replicate => Math.Clamp(i, 0, size - 1),
                _ => ((i % size) + size) % size,
            };
            return new[] { (src, 1.0) };
        }
        var expected = Separable(x, shape, outShape, Tap, fill: 2.5);
        using var y = F.Pad(T(x, L64(shape)), L64(pad), mode, 2.5);
        Close(expected, y, L64(outShape), 0);
    }

    [Fact]
    public void Pad_constant_by_hand_and_with_negative_padding_crops()
    {
        using var x = T(new[] { 1f, 2, 3 }, 1, 1, 3);
        using var p = F.Pad(x, new long[] { 1, 2 }, value: -1);
        Assert.Equal(new[] { -1f, 1, 2, 3, -1, -1 }, F32(p));
        using var r = F.Pad(x, new long[] { 2, 2 }, PadMode.Reflect);
        Assert.Equal(new[] { 3f, 2, 1, 2, 3, 2, 1 }, F32(r));
        using var crop = F.Pad(x, new long[] { -1, 0 });
        Assert.Equal(new[] { 2f, 3 }, F32(crop));
        // reflect needs padding < size
        Assert.Throws<TorchException>(() => F.Pad(x, new long[] { 3, 0 }, PadMode.Reflect));
    }

    private enum Resize { Nearest, NearestExact, LinearHalfPixel, LinearAlignCorners }

    private static Func<int, int, (int, double)[]> ResizeTaps(int[] inShape, int[] outShape, Resize kind) => (d, o) =>
    {
        int inSize = inShape[d + 2], outSize = outShape[d + 2];
        double scale = (double)inSize / outSize;
        switch (kind)
        {
            case Resize.Nearest: return new[] { (Math.Min((int)Math.Floor(o * scale), inSize - 1), 1.0) };
            case Resize.NearestExact: return new[] { (Math.Min((int)Math.Floor((o + 0.5) * scale), inSize - 1), 1.0) };
        }
        double src = kind == Resize.LinearAlignCorners
            ? (outSize > 1 ? o * (double)(inSize - 1) / (outSize - 1) : 0)
            : Math.Max((o + 0.5) * scale - 0.5, 0);
        int i0 = Math.Min((int)Math.Floor(src), inSize - 1), i1 = Math.Min(i0 + 1, inSize - 1);
        double lambda = src - i0;
        return new[] { (i0, 1 - lambda), (i1, lambda) };
    };

    public static TheoryData<int[], int[]> ResizeCases => new()
    {
        { new[] { 1, 2, 5 }, new[] { 1, 2, 8 } },
        { new[] { 1, 1, 7 }, new[] { 1, 1, 3 } },
        { new[] { 2, 1, 3, 4 }, new[] { 2, 1, 5, 7 } },
        { new[] { 1, 2, 6, 5 }, new[] { 1, 2, 4, 2 } },
        { new[] { 1, 1, 2, 3, 3 }, new[] { 1, 1, 4, 5, 2 } },
    };

    [Theory]
    [MemberData(nameof(ResizeCases))]
    public void Interpolate_every_mode_matches_the_index_definition(int[] inShape, int[] outShape)
    {
        var x = Values(inShape.Aggregate(1, (a, b) => a * b), inShape.Sum() * 3);
        var size = L64(outShape.Skip(2).ToArray());
        using var input = T(x, L64(inShape));
        void Check(InterpolateMode mode, bool alignCorners, Resize kind)
        {
            using var y = F.Interpolate(input, size, mode, alignCorners);
            Close(Separable(x, inShape, outShape, ResizeTaps(inShape, outShape, kind)), y, L64(outShape), 1e-5);
        }
        Check(InterpolateMode.Nearest, false, Resize.Nearest);
        Check(InterpolateMode.NearestExact, false, Resize.NearestExact);
        Check(InterpolateMode.Linear, false, Resize.LinearHalfPixel);
        Check(InterpolateMode.Linear, true, Resize.LinearAlignCorners);
    }

    [Fact]
    public void Interpolate_recorded_from_PyTorch()
    {
        // torch 1.13: x = torch.arange(6.).reshape(1, 1, 2, 3); F.interpolate(x, size=(3, 5), mode=...)
        using var x = Seq(1, 1, 2, 3);
        var size = new long[] { 3, 5 };
        Assert.Equal(new[] { 0f, 0, 1, 1, 2, 0, 0, 1, 1, 2, 3, 3, 4, 4, 5 }, F32(F.Interpolate(x, size)));
        Assert.Equal(new[] { 0f, 0, 1, 2, 2, 3, 3, 4, 5, 5, 3, 3, 4, 5, 5 }, F32(F.Interpolate(x, size, InterpolateMode.NearestExact)));
        Close(new[] { 0f, 0.4f, 1, 1.6f, 2, 1.5f, 1.9f, 2.5f, 3.1f, 3.5f, 3, 3.4f, 4, 4.6f, 5 },
            F.Interpolate(x, size, InterpolateMode.Linear), 1e-6);
        Close(new[] { 0f, 0.5f, 1, 1.5f, 2, 1.5f, 2, 2.5f, 3, 3.5f, 3, 3.5f, 4, 4.5f, 5 },
            F.Interpolate(x, size, InterpolateMode.Linear, alignCorners: true), 1e-6);
    }

    [Fact]
    public void Interpolate_by_scale_factor_and_bad_rank()
    {
        using var x = Seq(1, 1, 2, 2, 2);
        using var y = F.Interpolate(x, new[] { 1.0, 2.0, 1.5 });
        Assert.Equal(new long[] { 1, 1, 2, 4, 3 }, y.Shape);
        Assert.Throws<ArgumentException>(() => F.Interpolate(x, new[] { 2.0 }));
        var e = Assert.Throws<TorchException>(() => F.Interpolate(x, new long[] { 4, 4 }));
        Assert.Contains("needs 3 output sizes", e.Message);
    }

    [Fact]
    public void PixelShuffle_matches_the_definition_and_PixelUnshuffle_inverts_it()
    {
        int b = 2, c = 3, r = 2, h = 2, w = 3;
        using var x = Seq(b, c * r * r, h, w);
        using var y = F.PixelShuffle(x, r);
        Assert.Equal(new long[] { b, c, h * r, w * r }, y.Shape);
        var xs = F32(x);
        var ys = F32(y);
        // out[b, c, h*r + i, w*r + j] = in[b, c*r*r + i*r + j, h, w]
        for (int bi = 0; bi < b; bi++)
            for (int ci = 0; ci < c; ci++)
                for (int hi = 0; hi < h; hi++)
                    for (int wi = 0; wi < w; wi++)
                        for (int i = 0; i < r; i++)
                            for (int j = 0; j < r; j++)
                                Assert.Equal(
                                    xs[((bi * c * r * r + ci * r * r + i * r + j) * h + hi) * w + wi],
                                    ys[((bi * c + ci) * h * r + hi * r + i) * w * r + wi * r + j]);
        using var back = F.PixelUnshuffle(y, r);
        Assert.Equal(x.Shape, back.Shape);
        Assert.Equal(xs, F32(back));
    }

    [Fact]
    public void VoxelShuffle_matches_the_definition_and_VoxelUnshuffle_inverts_it()
    {
        int b = 1, c = 2, pt = 2, ph = 1, pw = 3, t = 2, h = 2, w = 2;
        using var x = Seq(b, c * pt * ph * pw, t, h, w);
        using var y = F.VoxelShuffle(x, pt, ph, pw);
        Assert.Equal(new long[] { b, c, t * pt, h * ph, w * pw }, y.Shape);
        var xs = F32(x);
        var ys = F32(y);
        int T2 = t * pt, H2 = h * ph, W2 = w * pw;
        // out[b, c, t*pt + a, h*ph + i, w*pw + j] = in[b, c*pt*ph*pw + a*ph*pw + i*pw + j, t, h, w]
        for (int ci = 0; ci < c; ci++)
            for (int ti = 0; ti < t; ti++)
                for (int hi = 0; hi < h; hi++)
                    for (int wi = 0; wi < w; wi++)
                        for (int a = 0; a < pt; a++)
                            for (int i = 0; i < ph; i++)
                                for (int j = 0; j < pw; j++)
                                {
                                    int inC = ci * pt * ph * pw + a * ph * pw + i * pw + j;
                                    float expected = xs[((inC * t + ti) * h + hi) * w + wi];
                                    float actual = ys[((ci * T2 + ti * pt + a) * H2 + hi * ph + i) * W2 + wi * pw + j];
                                    Assert.Equal(expected, actual);
                                }
        using var back = F.VoxelUnshuffle(y, pt, ph, pw);
        Assert.Equal(x.Shape, back.Shape);
        Assert.Equal(xs, F32(back));
    }

    [Fact]
    public void VoxelShuffle_with_unit_time_and_height_factors_equals_PixelShuffle_on_frames()
    {
        // pt = 1, ph = pw = 2 on [B, C*4, 1, H, W] is the 2-D pixel shuffle of the single frame
        using var x = Seq(1, 8, 1, 2, 3);
        using var v = F.VoxelShuffle(x, 1, 2, 2);
        using var p = F.PixelShuffle(x.Squeeze(2), 2);
        Assert.Equal(F32(p), F32(v));
    }

    [Fact]
    public void VoxelShuffle_leaves_no_temporaries_in_the_callers_scope()
    {
        using var x = Seq(1, 8, 1, 2, 2);
        using var scope = TorchRuntime.NewDisposeScope();
        int before = scope.Count;
        var y = F.VoxelShuffle(x, 2, 2, 2);
        Assert.Equal(before + 1, scope.Count); // only the result
        Assert.False(y.IsDisposed);
    }
}
