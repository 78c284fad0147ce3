using LtxLocal.Models.Checkpoints;
using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.Upsampler;

/// <summary>
/// Rational spatial scaling (ltx_core/model/upsampler/spatial_rational_resampler.py): per frame, Conv2d to num²·C
/// (<c>conv</c>), pixel shuffle by num, then a fixed 5x5 binomial blur with stride den and zero padding 2
/// (<c>blur_down.kernel</c>, a stored buffer). x1.5 = up 3, down 2.
/// </summary>
public sealed class SpatialRationalResampler : Module
{
    public SpatialRationalResampler(long channels, double scale, ModuleOptions? options = null)
    {
        (Num, Den) = RationalFor(scale);
        Conv = RegisterModule("conv", new Conv2d(channels, Num * Num * channels, 3, 1, 1, options: options));
        Blur = RegisterModule("blur_down", new BlurKernel(options));
    }

    public int Num { get; }

    public int Den { get; }

    private Conv2d Conv { get; }

    private BlurKernel Blur { get; }

    public static (int Num, int Den) RationalFor(double scale) => scale switch
    {
        0.75 => (3, 4),
        1.5 => (3, 2),
        2.0 => (2, 1),
        4.0 => (4, 1),
        _ => throw new ModelConfigException($"latent_upsampler config key 'spatial_scale': {scale} is not supported (0.75, 1.5, 2.0, 4.0)"),
    };

    /// <summary>[B·F, C, H, W] → [B·F, C, H·num/den, W·num/den].</summary>
    public Tensor Forward(Tensor frames)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = F.PixelShuffle(Conv.Forward(frames), Num);
        if (Den > 1)
        {
            var kernel = Blur.Kernel.To(x.DType);
            long c = x.Size(1), k = kernel.Size(-1);
            x = F.Conv2d(x, kernel.Expand(c, 1, k, k), null, new long[] { Den, Den }, new[] { k / 2, k / 2 }, groups: c);
        }
        return scope.MoveToOuter(x);
    }

    private sealed class BlurKernel : Module
    {
        private readonly TensorSlot _kernel;

        public BlurKernel(ModuleOptions? options) => _kernel = AddBuffer("kernel", NewTensor(new long[] { 1, 1, 5, 5 }, options ?? ModuleOptions.Default));

        public Tensor Kernel => _kernel.Value;
    }
}
