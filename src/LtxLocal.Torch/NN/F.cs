using LtxLocal.Torch.Native;

namespace LtxLocal.Torch.NN;

/// <summary>torch.nn.functional: stateless network ops.</summary>
public static unsafe class F
{
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        using var b = new BorrowedHandle(bias);
        return Tensor.Wrap(NativeMethods.ltx_linear(input.Handle, weight.Handle, b.Pointer), "Linear");
    }

    /// <summary>Linear with a float8 weight: upcast per call to <paramref name="outputDType"/> and scaled.</summary>
    public static Tensor ScaledLinear(Tensor input, Tensor weight, Tensor? weightScale, Tensor? bias, DType outputDType, Tensor? inputScale = null)
    {
        using var sx = new BorrowedHandle(inputScale);
        using var sw = new BorrowedHandle(weightScale);
        using var b = new BorrowedHandle(bias);
        return Tensor.Wrap(NativeMethods.ltx_scaled_linear(input.Handle, weight.Handle, sx.Pointer, sw.Pointer, b.Pointer,
            (int)outputDType), "ScaledLinear");
    }

    public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long dilation = 1, long groups = 1) =>
        Convolution(input, weight, bias, new[] { stride }, new[] { padding }, new[] { dilation }, new long[1], false, groups);

    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, long[]? padding = null,
        long[]? dilation = null, long groups = 1) =>
        Convolution(input, weight, bias, stride ?? Fill(2, 1), padding ?? Fill(2, 0), dilation ?? Fill(2, 1), Fill(2, 0), false, groups);

    public static Tensor Conv3d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, long[]? padding = null,
        long[]? dilation = null, long groups = 1) =>
        Convolution(input, weight, bias, stride ?? Fill(3, 1), padding ?? Fill(3, 0), dilation ?? Fill(3, 1), Fill(3, 0), false, groups);

    public static Tensor ConvTranspose1d(Tensor input, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0,
        long outputPadding = 0, long groups = 1, long dilation = 1) =>
        Convolution(input, weight, bias, new[] { stride }, new[] { padding }, new[] { dilation }, new[] { outputPadding }, true, groups);

    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, long[]? padding = null,
        long[]? outputPadding = null, long groups = 1, long[]? dilation = null) =>
        Convolution(input, weight, bias, stride ?? Fill(2, 1), padding ?? Fill(2, 0), dilation ?? Fill(2, 1), outputPadding ?? Fill(2, 0), true, groups);

    public static Tensor ConvTranspose3d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, long[]? padding = null,
        long[]? outputPadding = null, long groups = 1, long[]? dilation = null) =>
        Convolution(input, weight, bias, stride ?? Fill(3, 1), padding ?? Fill(3, 0), dilation ?? Fill(3, 1), outputPadding ?? Fill(3, 0), true, groups);

    /// <summary>The general convolution: every list has one entry per spatial dim.</summary>
    public static Tensor Convolution(Tensor input, Tensor weight, Tensor? bias, long[] stride, long[] padding, long[] dilation,
        long[] outputPadding, bool transposed, long groups)
    {
        int spatial = stride.Length;
        if (padding.Length != spatial || dilation.Length != spatial || outputPadding.Length != spatial)
            throw new ArgumentException("stride, padding, dilation and output padding need one entry per spatial dim");
        using var b = new BorrowedHandle(bias);
        fixed (long* s = stride)
        fixed (long* p = padding)
        fixed (long* d = dilation)
        fixed (long* o = outputPadding)
            return Tensor.Wrap(NativeMethods.ltx_conv(input.Handle, weight.Handle, b.Pointer, s, p, d, o, spatial, transposed ? 1 : 0, groups),
                transposed ? $"ConvTranspose{spatial}d" : $"Conv{spatial}d");
    }

    internal static long[] Fill(int count, long value) => Enumerable.Repeat(value, count).ToArray();

    public static Tensor GroupNorm(Tensor input, long groups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        using var w = new BorrowedHandle(weight);
        using var b = new BorrowedHandle(bias);
        return Tensor.Wrap(NativeMethods.ltx_group_norm(input.Handle, groups, w.Pointer, b.Pointer, eps), "GroupNorm");
    }

    public static Tensor LayerNorm(Tensor input, long[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        using var w = new BorrowedHandle(weight);
        using var b = new BorrowedHandle(bias);
        fixed (long* s = normalizedShape)
            return Tensor.Wrap(NativeMethods.ltx_layer_norm(input.Handle, s, normalizedShape.Length, w.Pointer, b.Pointer, eps), "LayerNorm");
    }

    /// <summary>x / sqrt(mean(x², last dim) + eps) [* weight]; the statistic is computed in float32.</summary>
    public static Tensor RmsNorm(Tensor input, Tensor? weight = null, double eps = 1e-6)
    {
        using var w = new BorrowedHandle(weight);
        return Tensor.Wrap(NativeMethods.ltx_rms_norm(input.Handle, w.Pointer, eps), "RmsNorm");
    }

    /// <summary>Pads the trailing dims; <paramref name="pad"/> is PyTorch's list (last dim's left, right, then the one before...).</summary>
    public static Tensor Pad(Tensor input, long[] pad, PadMode mode = PadMode.Constant, double value = 0)
    {
        fixed (long* p = pad) return Tensor.Wrap(NativeMethods.ltx_pad(input.Handle, p, pad.Length, (int)mode, value), "Pad");
    }

    /// <summary>Resizes the spatial dims (all after batch and channels) to <paramref name="size"/>.</summary>
    public static Tensor Interpolate(Tensor input, long[] size, InterpolateMode mode = InterpolateMode.Nearest, bool alignCorners = false)
    {
        fixed (long* s = size)
            return Tensor.Wrap(NativeMethods.ltx_interpolate(input.Handle, s, size.Length, (int)mode, alignCorners ? 1 : 0), "Interpolate");
    }

    /// <summary>Resizes by integer factors per spatial dim.</summary>
    public static Tensor Interpolate(Tensor input, double[] scaleFactors, InterpolateMode mode = InterpolateMode.Nearest, bool alignCorners = false)
    {
        var shape = input.Shape;
        if (scaleFactors.Length != shape.Length - 2) throw new ArgumentException("one scale factor per spatial dim");
        var size = new long[scaleFactors.Length];
        for (int i = 0; i < size.Length; i++) size[i] = (long)Math.Floor(shape[i + 2] * scaleFactors[i]);
        return Interpolate(input, size, mode, alignCorners);
    }

    /// <summary>[B, C·r², H, W] -> [B, C, H·r, W·r].</summary>
    public static Tensor PixelShuffle(Tensor input, long factor) =>
        Tensor.Wrap(NativeMethods.ltx_pixel_shuffle(input.Handle, factor, 0), "PixelShuffle");

    public static Tensor PixelUnshuffle(Tensor input, long factor) =>
        Tensor.Wrap(NativeMethods.ltx_pixel_shuffle(input.Handle, factor, 1), "PixelUnshuffle");

    /// <summary>
    /// The 3-D pixel shuffle: [B, C·pt·ph·pw, T, H, W] -> [B, C, T·pt, H·ph, W·pw], channels split as (c, pt, ph, pw).
    /// </summary>
    public static Tensor VoxelShuffle(Tensor input, long pt, long ph, long pw)
    {
        var s = input.Shape;
        long c = s[1] / (pt * ph * pw);
        using var scope = TorchRuntime.NewDisposeScope();
        var result = input.Reshape(s[0], c, pt, ph, pw, s[2], s[3], s[4])
            .Permute(0, 1, 5, 2, 6, 3, 7, 4)
            .Reshape(s[0], c, s[2] * pt, s[3] * ph, s[4] * pw);
        return scope.MoveToOuter(result);
    }

    /// <summary>Inverse of <see cref="VoxelShuffle"/>: [B, C, T·pt, H·ph, W·pw] -> [B, C·pt·ph·pw, T, H, W].</summary>
    public static Tensor VoxelUnshuffle(Tensor input, long pt, long ph, long pw)
    {
        var s = input.Shape;
        long t = s[2] / pt, h = s[3] / ph, w = s[4] / pw;
        using var scope = TorchRuntime.NewDisposeScope();
        var result = input.Reshape(s[0], s[1], t, pt, h, ph, w, pw)
            .Permute(0, 1, 3, 5, 7, 2, 4, 6)
            .Reshape(s[0], s[1] * pt * ph * pw, t, h, w);
        return scope.MoveToOuter(result);
    }

    public static Tensor Softmax(Tensor input, long dim) => input.Softmax(dim);

    public static Tensor LogSoftmax(Tensor input, long dim) => input.LogSoftmax(dim);

    public static Tensor Embedding(Tensor ids, Tensor weight) =>
        Tensor.Wrap(NativeMethods.ltx_embedding(weight.Handle, ids.Handle), "Embedding");

    /// <summary>
    /// softmax(q·kᵀ·scale + mask)·v over [..., L, E] inputs. A bool mask keeps positions where it is true; a float mask is
    /// added to the scores. Query rows that may attend to nothing give zeros. scale defaults to 1/sqrt(E).
    /// </summary>
    public static Tensor ScaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor? mask = null,
        bool isCausal = false, double? scale = null)
    {
        using var m = new BorrowedHandle(mask);
        return Tensor.Wrap(NativeMethods.ltx_sdpa(query.Handle, key.Handle, value.Handle, m.Pointer, isCausal ? 1 : 0, scale ?? 0),
            "ScaledDotProductAttention");
    }

    public static Tensor Silu(Tensor x) => x.Silu();

    public static Tensor Gelu(Tensor x, bool tanhApproximation = false) => x.Gelu(tanhApproximation);
}
