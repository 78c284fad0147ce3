using LtxLocal.Models.Checkpoints;
using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.VideoVae;

/// <summary>
/// The causal video VAE encoder (ltx_core/model/video_vae/video_vae.py <c>VideoEncoder</c>): patchify, <c>conv_in</c>,
/// the <c>encoder_blocks</c> chain (<c>down_blocks.N</c>), PixelNorm, SiLU, <c>conv_out</c>; the means (first
/// latent_channels channels) normalised with the per-channel statistics. Pixels in [-1, 1], [B, 3, 1+8k, H, W].
/// </summary>
public sealed class VideoEncoder : VaeCoder<VideoVaeConfig>
{
    public VideoEncoder(VideoVaeConfig config, ModuleOptions? options = null)
        : base(config, config.LatentChannels, 1, options)
    {
        var o = options ?? ModuleOptions.Default;
        var pad = config.EncoderPadding;
        long channels = config.LatentChannels;
        ConvIn = RegisterModule("conv_in", new CausalConv3d(config.InChannels * config.PatchSize * config.PatchSize, channels, 3, null, pad, o));
        Blocks = RegisterModule("down_blocks", new ModuleList<Module>());
        foreach (var spec in config.EncoderBlocks)
        {
            var (block, outChannels) = MakeBlock(spec, channels, pad, o);
            Blocks.Add(block);
            channels = outChannels;
        }
        long outConv = config.LatentLogVar switch
        {
            "per_channel" => 2L * config.LatentChannels,
            "uniform" or "constant" => config.LatentChannels + 1L,
            _ => config.LatentChannels,
        };
        ConvOut = RegisterModule("conv_out", new CausalConv3d(channels, outConv, 3, null, pad, o));
    }

    public ScaleFactors Scale => Config.EncoderScale;

    private CausalConv3d ConvIn { get; }
    private ModuleList<Module> Blocks { get; }
    private CausalConv3d ConvOut { get; }

    private static (Module Block, long OutChannels) MakeBlock(VaeBlockSpec spec, long c, ConvPaddingMode pad, ModuleOptions o)
    {
        long[] Stride(string axes) => axes switch { "time" => new long[] { 2, 1, 1 }, "space" => new long[] { 1, 2, 2 }, _ => new long[] { 2, 2, 2 } };
        switch (spec.Name)
        {
            case "res_x":
                spec.RejectInjectedNoise();
                return (new UNetMidBlock3D(c, spec.NumLayers, false, pad, o), c);
            case "res_x_y":
                long wide = c * spec.Multiplier(2);
                return (new ResnetBlock3D(c, wide, false, pad, o), wide);
            case "compress_time" or "compress_space" or "compress_all":
                return (new CausalConv3d(c, c, 3, Stride(spec.Name["compress_".Length..]), pad, o), c);
            case "compress_all_x_y":
                long widened = c * spec.Multiplier(2);
                return (new CausalConv3d(c, widened, 3, Stride("all"), pad, o), widened);
            case "compress_time_res" or "compress_space_res" or "compress_all_res":
                long outChannels = c * spec.Multiplier(2);
                var axes = spec.Name["compress_".Length..^"_res".Length];
                return (new SpaceToDepthDownsample(c, outChannels, Stride(axes), pad, o), outChannels);
            default:
                throw new ModelConfigException($"vae encoder block '{spec.Name}' is not supported");
        }
    }

    /// <summary>[B, 3, F, H, W] in [-1, 1] → normalised latent means [B, C, 1+(F-1)/8, H/32, W/32].</summary>
    public Tensor Forward(Tensor video)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        // Frames beyond the last 1 + 8k are cropped, as the reference does.
        long frames = video.Size(2), extra = (frames - 1) % Scale.Time;
        if (extra != 0) video = video.Narrow(2, 0, frames - extra);
        var h = ConvIn.Forward(VideoPatchify.Patchify(video, Config.PatchSize));
        foreach (var block in Blocks) h = ((IVaeBlock)block).Forward(h, true, null);
        h = ConvOut.Forward(new PixelNorm().Forward(h).Silu());
        var means = h.Narrow(1, 0, Config.LatentChannels);
        return scope.MoveToOuter(Statistics.Normalize(means));
    }
}
