using LtxLocal.Torch.NN;
using static LtxLocal.Torch.Tests.TestDevice;

namespace LtxLocal.Torch.Tests.Ops;

// bfloat16 convolutions against the C# definitions of ConvTests, evaluated on the bfloat16-rounded inputs.
// A correct bfloat16 kernel multiplies bf16 values exactly in float32, accumulates in float32 and rounds the sum
// once to bfloat16, so each output may differ from the exact sum y of those products by
//   half an ulp of bfloat16 (8 significant bits):           2^-8 * (|y| + the accumulation term)
//   float32 accumulation over the reduction length K:       (K + 2) * 2^-24 * sum|x * w| (+ |bias|)
// (K + 2: K additions plus the reference's own rounding to float). sum|x * w| is the same definition evaluated
// on |x|, |w|, |bias|. Channel counts that are not multiples of 16 are the cases that Debian 13's libtorch 2.6
// got wrong on the CPU (oneDNN's avx512_core_bf16 kernels; errors as large as the outputs), see ltx_conv.
public class ConvBFloat16Tests
{
    // (input shape, weight shape, stride, padding, transposed)
    public static TheoryData<int[], int[], int, int, bool> Cases => new()
    {
        { new[] { 1, 2, 6, 6 }, new[] { 2, 2, 3, 3 }, 1, 0, false },
        { new[] { 2, 20, 5, 4 }, new[] { 20, 20, 3, 3 }, 1, 1, false },
        { new[] { 1, 8, 3, 4, 4 }, new[] { 8, 8, 3, 3, 3 }, 1, 1, false },
        { new[] { 1, 16, 5, 5 }, new[] { 32, 16, 1, 1 }, 1, 0, false },
        { new[] { 1, 3, 4, 5 }, new[] { 3, 5, 3, 3 }, 2, 1, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Conv_in_bfloat16_is_float32_accumulation_rounded_once(int[] xs, int[] ws, int stride, int padding, bool transposed)
    {
        int n = xs.Length - 2, cout = transposed ? ws[1] : ws[0];
        int seed = xs.Sum() * 13 + ws.Sum() + (transposed ? 1 : 0);
        using var x = T(Values(xs.Aggregate(1, (a, b) => a * b), seed), Longs(xs)).To(DType.BFloat16);
        using var w = T(Values(ws.Aggregate(1, (a, b) => a * b), seed + 1), Longs(ws)).To(DType.BFloat16);
        using var bias = T(Values(cout, seed + 2), cout).To(DType.BFloat16);
        long[] s = Fill(n, stride), p = Fill(n, padding);
        using var y = (n, transposed) switch
        {
            (2, false) => F.Conv2d(x, w, bias, s, p),
            (3, false) => F.Conv3d(x, w, bias, s, p),
            (2, true) => F.ConvTranspose2d(x, w, bias, s, p),
            _ => throw new ArgumentException($"no case for {n}-d transposed={transposed}"),
        };
        Assert.Equal(DType.BFloat16, y.DType);

        float[] xv = F32(x), wv = F32(w), bv = F32(bias);
        float[] Reference(float[] xa, float[] wa, float[] ba, out int[] shape)
        {
            int[] si = Enumerable.Repeat(stride, n).ToArray(), pi = Enumerable.Repeat(padding, n).ToArray();
            int[] one = Enumerable.Repeat(1, n).ToArray(), zero = new int[n];
            return transposed
                ? ConvTests.ConvTranspose(xa, xs, wa, ws, ba, si, pi, zero, one, 1, out shape)
                : ConvTests.Conv(xa, xs, wa, ws, ba, si, pi, one, 1, out shape);
        }
        float[] Abs(float[] a) => a.Select(Math.Abs).ToArray();
        var expected = Reference(xv, wv, bv, out var ys);
        var magnitude = Reference(Abs(xv), Abs(wv), Abs(bv), out _);
        int reduction = (transposed ? ws[0] : ws[1]) * ws.Skip(2).Aggregate(1, (a, b) => a * b);
        Assert.Equal(Longs(ys), y.Shape);

        var actual = F32(y);
        for (int i = 0; i < expected.Length; i++)
        {
            double accumulation = (reduction + 2) * Math.Pow(2, -24) * magnitude[i];
            double allowed = Math.Pow(2, -8) * (Math.Abs(expected[i]) + accumulation) + accumulation;
            double error = Math.Abs(actual[i] - expected[i]);
            Assert.True(error <= allowed, $"[{i}]: expected {expected[i]}, got {actual[i]}; error {error:G3} > allowed {allowed:G3} (K = {reduction})");
        }
    }

    private static long[] Fill(int n, int value) => Enumerable.Repeat((long)value, n).ToArray();

    private static long[] Longs(int[] a) => a.Select(v => (long)v).ToArray();
}
