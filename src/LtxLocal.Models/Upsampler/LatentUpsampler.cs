using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.VideoVae;
using LtxLocal.Torch;
using LtxLocal.Torch.NN;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Models.Upsampler;

/// <summary>
/// The latent upsampler of the two-stage pipelines (ltx_core/model/upsampler/model.py <c>LatentUpsampler</c>):
/// <c>initial_conv</c> → GroupNorm(32) → SiLU → <c>res_blocks</c> → <c>upsampler</c> → <c>post_upsample_res_blocks</c> →
/// <c>final_conv</c>. The upsampler is spatial x2 (Conv2d to 4C + pixel shuffle, per frame), rational (x1.5 etc.),
/// temporal x2 (Conv3d to 2C + shuffle over time, first frame dropped: 2F - 1) or both (Conv3d to 8C).
/// Works on un-normalised latents; <see cref="UpsampleVideo"/> is the pipelines' wrapper.
/// </summary>
public sealed class LatentUpsampler : Module
{
    public LatentUpsampler(LatentUpsamplerConfig config, ModuleOptions? options = null)
    {
        Config = config;
        int dims = config.Dims;
        long mid = config.MidChannels;
        InitialConv = RegisterModule("initial_conv", Conv(dims, config.InChannels, mid, options));
        InitialNorm = RegisterModule("initial_norm", new GroupNorm(32, mid, 1e-5, true, options));
        ResBlocks = RegisterModule("res_blocks", new ModuleList<UpsamplerResBlock>(
            Enumerable.Range(0, config.NumBlocksPerStage).Select(_ => new UpsamplerResBlock(mid, dims, options))));
        if (config.SpatialUpsample && !config.TemporalUpsample && config.RationalResampler)
            Rational = RegisterModule("upsampler", new SpatialRationalResampler(mid, config.SpatialScale, options));
        else
        {
            (int convDims, long factor) = config switch
            {
                { SpatialUpsample: true, TemporalUpsample: true } => (3, 8L),
                { SpatialUpsample: true } => (2, 4L),
                _ => (3, 2L),
            };
            ShuffleConv = Conv(convDims, mid, factor * mid, options);
            RegisterModule("upsampler", new ModuleList<ConvNd>(new[] { ShuffleConv }));
        }
        PostBlocks = RegisterModule("post_upsample_res_blocks", new ModuleList<UpsamplerResBlock>(
            Enumerable.Range(0, config.NumBlocksPerStage).Select(_ => new UpsamplerResBlock(mid, dims, options))));
        FinalConv = RegisterModule("final_conv", Conv(dims, mid, config.InChannels, options));
    }

    public LatentUpsamplerConfig Config { get; }

    private ConvNd InitialConv { get; }
    private GroupNorm InitialNorm { get; }
    private ModuleList<UpsamplerResBlock> ResBlocks { get; }
    private SpatialRationalResampler? Rational { get; }
    private ConvNd? ShuffleConv { get; }
    private ModuleList<UpsamplerResBlock> PostBlocks { get; }
    private ConvNd FinalConv { get; }

    internal static ConvNd Conv(int dims, long inChannels, long outChannels, ModuleOptions? options) => dims == 2
        ? new Conv2d(inChannels, outChannels, 3, 1, 1, options: options)
        : new Conv3d(inChannels, outChannels, 3, 1, 1, options: options);

    /// <summary>Un-normalised latent [B, C, F, H, W] → upsampled [B, C, F', H', W'].</summary>
    public Tensor Forward(Tensor latent)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        long b = latent.Size(0), f = latent.Size(2);
        bool perFrame = Config.Dims == 2;
        var x = perFrame ? ToFrames(latent) : latent;
        x = InitialNorm.Forward(InitialConv.Forward(x)).Silu();
        foreach (var block in ResBlocks) x = block.Forward(x);
        x = Upsample(x, b, f, perFrame);
        foreach (var block in PostBlocks) x = block.Forward(x);
        x = FinalConv.Forward(x);
        return scope.MoveToOuter(perFrame ? FromFrames(x, b, f) : x);
    }

    private Tensor Upsample(Tensor x, long b, long f, bool perFrame)
    {
        if (Config.TemporalUpsample)
        {
            if (perFrame) throw new NotSupportedException("temporal upsampling needs dims = 3");
            var shuffled = Config.SpatialUpsample ? F.VoxelShuffle(ShuffleConv!.Forward(x), 2, 2, 2) : F.VoxelShuffle(ShuffleConv!.Forward(x), 2, 1, 1);
            return shuffled.Narrow(2, 1, shuffled.Size(2) - 1);
        }
        var frames = perFrame ? x : ToFrames(x);
        var up = Rational is not null ? Rational.Forward(frames) : F.PixelShuffle(ShuffleConv!.Forward(frames), 2);
        return perFrame ? up : FromFrames(up, b, f);
    }

    /// <summary>[B, C, F, H, W] → [B·F, C, H, W].</summary>
    private static Tensor ToFrames(Tensor x)
    {
        var s = x.Shape;
        return x.Permute(0, 2, 1, 3, 4).Reshape(s[0] * s[2], s[1], s[3], s[4]);
    }

    /// <summary>[B·F, C, H, W] → [B, C, F, H, W].</summary>
    private static Tensor FromFrames(Tensor x, long b, long f)
    {
        var s = x.Shape;
        return x.Reshape(b, f, s[1], s[2], s[3]).Permute(0, 2, 1, 3, 4).Contiguous();
    }

    /// <summary>
    /// The pipelines' <c>upsample_video</c>: normalise(upsampler(un_normalise(latent))) with the video VAE's per-channel
    /// statistics, so the upsampler sees and returns the diffusion model's normalised latents.
    /// </summary>
    public Tensor UpsampleVideo(Tensor latent, PerChannelStatistics statistics)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        return scope.MoveToOuter(statistics.Normalize(Forward(statistics.UnNormalize(latent))));
    }

    /// <summary>Loads a standalone upsampler file (bare module keys, flat config).</summary>
    public static LatentUpsampler Load(SafetensorsFile file, Device device, DType dtype = DType.Float32) =>
        KeyMappedSource.Build(o => new LatentUpsampler(LatentUpsamplerConfig.FromMetadata(file.Metadata, file.Path), o), dtype, file, device, KeyRule.Identity);
}
