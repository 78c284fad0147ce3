using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.Transformer;
using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.VideoVae;

/// <summary>
/// The convolutional video VAE decoder (ltx_core/model/video_vae/conv_video_decoder.py <c>ConvVideoDecoder</c>):
/// [optional noise mix] → un-normalise → <c>conv_in</c> to the bottleneck width → the reversed <c>decoder_blocks</c>
/// (<c>up_blocks.N</c>) → PixelNorm → [final AdaLN] → SiLU → <c>conv_out</c> → unpatchify. Output [B, 3, 8(F'-1)+1, 32H', 32W'],
/// nominally in [-1, 1] (not clamped).
/// </summary>
public sealed class ConvVideoDecoder : VaeCoder<VideoVaeConfig>
{
    public const double DecodeNoiseScale = 0.025;
    public const double DefaultDecodeTimestep = 0.05;

    public ConvVideoDecoder(VideoVaeConfig config, ModuleOptions? options = null)
        : base(config, config.LatentChannels, 1, options)
    {
        var o = options ?? ModuleOptions.Default;
        var pad = config.DecoderPadding;
        long channels = config.DecoderBaseChannels * config.DecoderBlocks.Aggregate(1L, (m, b) => b.Name switch
        {
            "compress_time" or "compress_space" or "compress_all" => m * b.Multiplier(1),
            "res_x_y" => m * b.Multiplier(2),
            _ => m,
        });
        ConvIn = RegisterModule("conv_in", new CausalConv3d(config.LatentChannels, channels, 3, null, pad, o));
        Blocks = RegisterModule("up_blocks", new ModuleList<Module>());
        foreach (var spec in config.DecoderBlocks.Reverse())
        {
            var (block, outChannels) = MakeBlock(spec, channels, config.TimestepConditioning, pad, o);
            Blocks.Add(block);
            channels = outChannels;
        }
        ConvOut = RegisterModule("conv_out", new CausalConv3d(channels, config.OutChannels * config.PatchSize * config.PatchSize, 3, null, pad, o));
        if (config.TimestepConditioning)
        {
            TimestepScaleMultiplier = AddParameter("timestep_scale_multiplier", NewTensor(Array.Empty<long>(), o));
            LastTimeEmbedder = RegisterModule("last_time_embedder", new CombinedTimestepEmbedding(channels * 2, o));
            LastScaleShiftTable = AddParameter("last_scale_shift_table", NewTensor(new[] { 2, channels }, o));
        }
    }

    public ScaleFactors Scale => Config.DecoderScale;

    private CausalConv3d ConvIn { get; }
    private ModuleList<Module> Blocks { get; }
    private CausalConv3d ConvOut { get; }
    private CombinedTimestepEmbedding? LastTimeEmbedder { get; }
    private TensorSlot? TimestepScaleMultiplier { get; }
    private TensorSlot? LastScaleShiftTable { get; }

    private static (Module Block, long OutChannels) MakeBlock(VaeBlockSpec spec, long c, bool timestep, ConvPaddingMode pad, ModuleOptions o)
    {
        switch (spec.Name)
        {
            case "res_x":
                spec.RejectInjectedNoise();
                return (new UNetMidBlock3D(c, spec.NumLayers, timestep, pad, o), c);
            case "res_x_y":
                spec.RejectInjectedNoise();
                long narrow = c / spec.Multiplier(2);
                return (new ResnetBlock3D(c, narrow, false, pad, o), narrow);
            case "compress_time" or "compress_space" or "compress_all":
                long[] stride = spec.Name switch { "compress_time" => new long[] { 2, 1, 1 }, "compress_space" => new long[] { 1, 2, 2 }, _ => new long[] { 2, 2, 2 } };
                bool residual = spec.Name == "compress_all" && spec.Params.Bool("residual", false);
                int multiplier = spec.Multiplier(1);
                return (new DepthToSpaceUpsample(c, stride, residual, multiplier, pad, o), c / multiplier);
            default:
                throw new ModelConfigException($"vae decoder block '{spec.Name}' is not supported");
        }
    }

    /// <summary>
    /// Decodes a normalised latent [B, C, F', H', W']. A timestep-conditioned decoder first mixes in noise
    /// (<paramref name="noise"/>, else a draw from <paramref name="generator"/>) and uses <paramref name="timestep"/> (default 0.05).
    /// </summary>
    public Tensor Forward(Tensor latent, Tensor? noise = null, Generator? generator = null, double? timestep = null)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var sample = latent;
        Tensor? scaledTimestep = null;
        if (Config.TimestepConditioning)
        {
            noise ??= Tensor.Randn(latent.Shape, generator, latent.DType, latent.Device);
            sample = noise * DecodeNoiseScale + (1.0 - DecodeNoiseScale) * latent;
            scaledTimestep = Tensor.Full(new[] { latent.Size(0) }, timestep ?? DefaultDecodeTimestep, latent.DType, latent.Device)
                * TimestepScaleMultiplier!.Value.To(latent.DType);
        }
        var h = ConvIn.Forward(Statistics.UnNormalize(sample), Config.CausalDecoder);
        foreach (var block in Blocks) h = ((IVaeBlock)block).Forward(h, Config.CausalDecoder, scaledTimestep);
        h = new PixelNorm().Forward(h);
        if (scaledTimestep is not null)
        {
            var table = LastScaleShiftTable!.Value;
            long b = h.Size(0), c = table.Size(1);
            var embedded = LastTimeEmbedder!.Forward(scaledTimestep.Flatten()).To(h.DType);
            var ada = table.To(h.DType).Reshape(1, 2, c, 1, 1, 1) + embedded.Reshape(b, 2, c, 1, 1, 1); // rows shift, scale
            h = h * (1 + ada.Select(1, 1)) + ada.Select(1, 0);
        }
        h = ConvOut.Forward(h.Silu(), Config.CausalDecoder);
        return scope.MoveToOuter(VideoPatchify.Unpatchify(h, Config.PatchSize));
    }

    /// <summary>What the pipelines hand to the muxer: [F, H, W, C] in [0, 1] from a decoded [1, C, F, H, W] chunk.</summary>
    public static Tensor ToRgb(Tensor decoded)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var video = decoded.Select(0, 0).Permute(1, 2, 3, 0);
        return scope.MoveToOuter(((video + 1.0) * 0.5).Clamp(0, 1));
    }
}
