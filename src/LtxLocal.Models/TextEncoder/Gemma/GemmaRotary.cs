using LtxLocal.Torch;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>
/// Gemma's rotary embedding in HF's rotate-half layout: channel j pairs with j + head_dim/2.
/// <c>inv_freq = 1 / base^(2j/head_dim) / factor</c> and the angles <c>pos * inv_freq</c> are float32, like the reference.
/// With a rotated fraction below 1 (transformers' "proportional" RoPE) only the first
/// <c>floor(fraction * head_dim / 2)</c> pairs rotate; the others keep inv_freq 0 (cos 1, sin 0).
/// </summary>
public static class GemmaRotary
{
    /// <summary>cos and sin tables [T, head_dim] for the given absolute positions [T] (int64).</summary>
    public static (Tensor Cos, Tensor Sin) Tables(GemmaRope rope, long headDim, Tensor positions, DType dtype)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var device = positions.Device;
        long rotated = (long)Math.Floor(rope.RotatedFraction * headDim / 2);
        var exponent = Tensor.Arange(0, 2 * rotated, 2, DType.Int64, device).To(DType.Float32) / headDim;
        var invFreq = Tensor.Full(exponent.Shape, rope.Theta, DType.Float32, device).Pow(exponent).Reciprocal();
        if (rotated < headDim / 2) invFreq = Tensor.Cat([invFreq, Tensor.Zeros([headDim / 2 - rotated], DType.Float32, device)], 0);
        if (rope.LinearFactor != 1) invFreq = invFreq / rope.LinearFactor;
        var angles = positions.To(DType.Float32).Unsqueeze(1) * invFreq.Unsqueeze(0); // [T, head_dim/2]
        var doubled = Tensor.Cat([angles, angles], 1);                                 // [T, head_dim]
        return (doubled.Cos().To(dtype).MoveToOuterScope(), doubled.Sin().To(dtype).MoveToOuterScope());
    }

    /// <summary>x [B, H, T, head_dim] rotated: <c>x cos + rotate_half(x) sin</c>.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var half = x.Size(-1) / 2;
        var rotated = Tensor.Cat([x.Narrow(-1, half, half).Neg(), x.Narrow(-1, 0, half)], -1);
        return (x * cos).Add_(rotated * sin).MoveToOuterScope();
    }
}
