namespace LtxLocal.Inference.Schedulers;

/// <summary>
/// The LTX-2 sigma schedule (ltx_core components/schedulers.py, LTX2Scheduler): a linear 1 -> 0 grid shifted by
/// a token-count-dependent amount, then stretched so the last non-zero sigma equals <c>terminal</c>. Computed
/// with float32 tensor ops in the reference's order, so the values match it to the last bit or so.
/// </summary>
public static class Ltx2Scheduler
{
    private const double BaseShiftAnchor = 1024;
    private const double MaxShiftAnchor = 4096;

    /// <summary>Token count the released pipelines use (they never pass a latent).</summary>
    public const long DefaultTokens = 4096;

    /// <summary>steps + 1 sigmas from 1 to 0.</summary>
    public static float[] Sigmas(int steps, long tokens = DefaultTokens, double maxShift = 2.05, double baseShift = 0.95,
        bool stretch = true, double terminal = 0.1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        double slope = (maxShift - baseShift) / (MaxShiftAnchor - BaseShiftAnchor);
        double shift = tokens * slope + (baseShift - slope * BaseShiftAnchor);
        double expShift = Math.Exp(shift);

        using var scope = TorchRuntime.NewDisposeScope();
        var grid = Tensor.Linspace(1.0, 0.0, steps + 1);
        // Only the last entry of the grid is 0: the shift applies to the first `steps`, the final 0 is kept.
        var nonZero = grid.Narrow(0, 0, steps);
        var shifted = expShift / (expShift + ((1.0 / nonZero) - 1.0));
        if (stretch)
        {
            var oneMinusZ = 1.0 - shifted;
            var scale = oneMinusZ.Narrow(0, steps - 1, 1) / (1.0 - terminal);
            shifted = 1.0 - oneMinusZ / scale;
        }
        var result = new float[steps + 1];
        shifted.ToArray<float>().CopyTo(result, 0);
        return result;
    }

    /// <summary>The token count of an unpatchified video latent [B, C, F, H, W]: F·H·W.</summary>
    public static long TokensOf(long[] latentShape) => latentShape.Skip(2).Aggregate(1L, (a, b) => a * b);
}
