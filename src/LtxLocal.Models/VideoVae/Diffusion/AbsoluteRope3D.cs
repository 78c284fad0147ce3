using LtxLocal.Torch;

namespace LtxLocal.Models.VideoVae.Diffusion;

/// <summary>
/// The decoder's absolute 3-axis RoPE (transformer/rope_math.py): head_dim is split into consecutive (t, h, w) chunks
/// (d_t = (hd/4)/2·2, d_h = d_w = (hd - d_t)/2), each rotating adjacent pairs (2i, 2i+1) by position · 1/10000^(2i/d),
/// positions being 0-based frame and row indices and the given column positions (global ones inside a W-slab).
/// </summary>
public sealed class AbsoluteRope3D
{
    private const double Base = 10000.0;

    public AbsoluteRope3D(int headDim)
    {
        int dT = headDim / 4 / 2 * 2, dHw = (headDim - dT) / 2;
        if (dHw % 2 != 0) { dT -= 2; dHw = (headDim - dT) / 2; }
        Split = (dT, dHw, dHw);
    }

    public (int T, int H, int W) Split { get; }

    /// <summary>x [B, T, H, W, NH, HD] rotated; <paramref name="wPositions"/> [W] float32 column positions.</summary>
    public Tensor Apply(Tensor x, Tensor wPositions)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var s = x.Shape;
        var device = x.Device;
        var t = Rotate(x.Narrow(-1, 0, Split.T), Tensor.Arange(0, s[1], 1, DType.Float32, device), 1);
        var h = Rotate(x.Narrow(-1, Split.T, Split.H), Tensor.Arange(0, s[2], 1, DType.Float32, device), 2);
        var w = Rotate(x.Narrow(-1, Split.T + Split.H, Split.W), wPositions.To(device, DType.Float32), 3);
        return scope.MoveToOuter(Tensor.Cat(new[] { t, h, w }, -1));
    }

    /// <summary>Rotates chunk xc [..., D] by positions along <paramref name="axis"/>.</summary>
    private static Tensor Rotate(Tensor xc, Tensor positions, int axis)
    {
        var shape = xc.Shape;
        long d = shape[^1];
        // inv_freq formed in float64 then cast, as the reference builds it with numpy.
        var exponents = Tensor.Arange(0, d, 2, DType.Float64, xc.Device) / d;
        var invFreq = Tensor.Full(exponents.Shape, Base, DType.Float64, xc.Device).Pow(exponents).Reciprocal().To(DType.Float32);
        var angleShape = new long[] { 1, 1, 1, 1, 1, d / 2 };
        angleShape[axis] = positions.Shape[0];
        var angles = (positions.Unsqueeze(1) * invFreq.Unsqueeze(0)).Reshape(angleShape);
        var cos = angles.Cos();
        var sin = angles.Sin();
        var pairs = xc.Reshape(shape[0], shape[1], shape[2], shape[3], shape[4], d / 2, 2).To(DType.Float32);
        var even = pairs.Select(-1, 0);
        var odd = pairs.Select(-1, 1);
        var rotated = Tensor.Stack(new[] { even * cos - odd * sin, even * sin + odd * cos }, -1);
        return rotated.Reshape(shape).To(xc.DType);
    }
}
