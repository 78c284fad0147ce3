using LtxLocal.Models.Transformer;
using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.VideoVae.Diffusion;

/// <summary>
/// The LTX-2.5 diffusion video decoder (ltx_core/model/video_vae/diffusion_video_decoder.py DiffusionVideoDecoder), untiled.
/// Stages 1-4 (channels-last neighbourhood-attention blocks, each followed by a linear pixel-shuffle upsample) turn the
/// un-normalised latent into a context volume; stage 5 denoises patchified pixel noise x_t guided by that context with a
/// few Euler steps of a v-prediction (t = linspace(1, 1/steps, steps), then to 0). The last latent frame is replicated
/// through stages 1-4 (NATTEN's last-frame border) and that appendix is cropped from the context before stage 5.
/// Output [B, 3, 8(F'-1)+1, 32H', 32W'], nominally in [-1, 1].
/// </summary>
public sealed class DiffusionVideoDecoder : Module
{
    public const int DefaultWChunks = 4;

    public DiffusionVideoDecoder(DiffusionDecoderConfig config, ModuleOptions? options = null)
    {
        var o = options ?? ModuleOptions.Default;
        Config = config;
        var channels = config.StageChannels;
        Statistics = RegisterModule("per_channel_statistics", new PerChannelStatistics(config.InChannels, 1, o));
        ConvIn = RegisterModule("conv_in", new Linear(config.InChannels, channels[0], true, o));
        DetStages = RegisterModule("det_stages", new ModuleList<ModuleList<NaBlock>>());
        Upsamples = RegisterModule("upsamples", new ModuleList<LinearPixelShuffleUpsample>());
        for (int stage = 0; stage < config.Upsamples.Length; stage++)
        {
            DetStages.Add(new ModuleList<NaBlock>(Enumerable.Range(0, config.StageDepths[stage])
                .Select(_ => new NaBlock(channels[stage], config.StageKernels[stage], config.HeadDim, o))));
            Upsamples.Add(new LinearPixelShuffleUpsample(channels[stage], config.Upsamples[stage], o));
        }
        TimestepEmbedder = RegisterModule("t_embedder", new CombinedTimestepEmbedding(config.TimestepEmbedDim, o));
        long pixelChannels = config.OutChannels * config.PatchSize * config.PatchSize;
        ConvInXt = RegisterModule("conv_in_x_t", new Linear(pixelChannels, config.Stage5Channels, true, o));
        SharedAdaLn = RegisterModule("shared_adaln", new AdaLnZero(config.Stage5Channels, config.TimestepEmbedDim, o));
        DiffBlocks = RegisterModule("diff_blocks", new ModuleList<DiffusionNaBlock>(Enumerable.Range(0, config.StageDepths[^1])
            .Select(_ => new DiffusionNaBlock(config.Stage5Channels, config.Stage5Kernel, config.ContextChannels, config.HeadDim, o))));
        NormOut = RegisterModule("norm_out", new RMSNorm(config.Stage5Channels, 1e-6, true, o));
        ConvOut = RegisterModule("conv_out", new Linear(config.Stage5Channels, pixelChannels, true, o));
    }

    public DiffusionDecoderConfig Config { get; }

    public PerChannelStatistics Statistics { get; }

    /// <summary>Stage-5 attention layout; <see cref="DiffusionDecodeMode.Chunked"/> is what the reference pipelines run.</summary>
    public DiffusionDecodeMode Mode { get; set; } = DiffusionDecodeMode.Chunked;

    /// <summary>W-slabs of the chunked mode (fixed at 4 in the reference).</summary>
    public int WChunks { get; set; } = DefaultWChunks;

    private Linear ConvIn { get; }
    private ModuleList<ModuleList<NaBlock>> DetStages { get; }
    private ModuleList<LinearPixelShuffleUpsample> Upsamples { get; }
    private CombinedTimestepEmbedding TimestepEmbedder { get; }
    private Linear ConvInXt { get; }
    private AdaLnZero SharedAdaLn { get; }
    private ModuleList<DiffusionNaBlock> DiffBlocks { get; }
    private RMSNorm NormOut { get; }
    private Linear ConvOut { get; }

    /// <summary>
    /// Decodes a normalised latent [B, C, F', H', W']. <paramref name="noise"/> is the initial x_t, the pixel shape of the
    /// (size-floor padded) latent; drawn from <paramref name="generator"/> when null.
    /// </summary>
    public Tensor Forward(Tensor latent, Tensor? noise = null, Generator? generator = null)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var scale = DiffusionDecoderConfig.Scale;
        long frames = scale.Time * (latent.Shape[2] - 1) + 1, height = scale.Height * latent.Shape[3], width = scale.Width * latent.Shape[4];

        // Latents under the per-stage floor are edge-padded first; the pad is cropped from the pixels at the end.
        var floor = Config.MinLatentSize;
        var work = AxisResize.RepeatLast(latent, 2, Math.Max(latent.Shape[2], floor.T));
        work = AxisResize.Symmetric(work, 3, Math.Max(work.Shape[3], floor.H), out var hBefore);
        work = AxisResize.Symmetric(work, 4, Math.Max(work.Shape[4], floor.W), out var wBefore);
        long[] target = { latent.Shape[0], Config.OutChannels, scale.Time * (work.Shape[2] - 1) + 1, scale.Height * work.Shape[3], scale.Width * work.Shape[4] };
        var xT = noise ?? Tensor.Randn(target, generator, DType.Float32, latent.Device);
        if (!xT.Shape.SequenceEqual(target))
            throw new ArgumentException($"initial noise shape [{string.Join(", ", xT.Shape)}] does not match the decode's pixel shape [{string.Join(", ", target)}]");

        var features = ForwardStages1To3(PadTrailingFrames(work));
        var context = ForwardStage4(features);                                        // [B, F5, H5, W5, Cctx]
        var (s4t, s4h, s4w) = Stage4Extent(work.Shape[2], work.Shape[3], work.Shape[4]);
        var up = Config.Upsamples[3].Stride;
        long f5 = Math.Max(up.T == 2 ? s4t * 2 - 1 : s4t * up.T, Config.Stage5Kernel.T);
        xT = AxisResize.RepeatLast(xT.To(DType.Float32), 2, f5);
        xT = AxisResize.Symmetric(xT, 3, s4h * up.H * Config.PatchSize, out _);
        xT = AxisResize.Symmetric(xT, 4, s4w * up.W * Config.PatchSize, out _);

        var pixels = Denoise(context, xT, latent.Shape[0]);
        pixels = AxisResize.RepeatLast(pixels, 2, target[2]);
        pixels = AxisResize.Symmetric(pixels, 3, target[3], out _);
        pixels = AxisResize.Symmetric(pixels, 4, target[4], out _);
        var video = pixels.Narrow(2, 0, frames).Narrow(3, hBefore * scale.Height, height).Narrow(4, wBefore * scale.Width, width);
        return scope.MoveToOuter(video.Contiguous().To(latent.DType));
    }

    /// <summary>The latent with its last frame replicated (stage_kernels[0].t / 2)·2 times (the NATTEN border workaround).</summary>
    public Tensor PadTrailingFrames(Tensor latent) => AxisResize.RepeatLast(latent, 2, latent.Shape[2] + Config.TrailingPadLatentFrames);

    /// <summary>Stages 1-3 on an (already padded) latent: un-normalise → conv_in → NA stages + upsamples → [B, T, H, W, C] channels-last.</summary>
    public Tensor ForwardStages1To3(Tensor latent)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = ConvIn.Forward(Statistics.UnNormalize(latent).Permute(0, 2, 3, 4, 1));
        for (int stage = 0; stage < 3; stage++) x = RunStage(x, stage);
        return scope.MoveToOuter(x);
    }

    /// <summary>Stage 4 and the ghost-frame crop → the stage-5 context at stage-5 resolution.</summary>
    private Tensor ForwardStage4(Tensor features)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = features;
        foreach (var block in DetStages[3]) x = block.Forward(x);
        int upT = Config.Upsamples[3].Stride.T;
        // The chunked pathway defers the stage-4 upsample and crops at its input resolution; combined crops after it.
        var context = Mode == DiffusionDecodeMode.Chunked
            ? Upsamples[3].Forward(CropGhost(x, DiffusionDecoderConfig.Scale.Time / upT, Math.Max(1, (Config.Stage5Kernel.T + upT - 1) / upT)))
            : CropGhost(Upsamples[3].Forward(x), DiffusionDecoderConfig.Scale.Time, Config.Stage5Kernel.T);
        return scope.MoveToOuter(context);
    }

    private Tensor CropGhost(Tensor context, int timeScale, int kernelT)
    {
        long frames = context.Shape[1];
        long content = Math.Max(frames - (long)Config.TrailingPadLatentFrames * timeScale, 1);
        return AxisResize.RepeatLast(context, 1, Math.Min(frames, Math.Max(content, kernelT)));
    }

    private Tensor RunStage(Tensor x, int stage)
    {
        foreach (var block in DetStages[stage]) x = block.Forward(x);
        return Upsamples[stage].Forward(x);
    }

    /// <summary>Stage-4 input (T, H, W) of a latent after the first three hops (the leading duplicate frame dropped).</summary>
    private (long T, long H, long W) Stage4Extent(long t, long h, long w)
    {
        foreach (var spec in Config.Upsamples.Take(3))
        {
            t = t * spec.Stride.T - (spec.Stride.T == 2 ? 1 : 0);
            h *= spec.Stride.H;
            w *= spec.Stride.W;
        }
        return (t, h, w);
    }

    /// <summary>Euler steps of the v-prediction from x_t at t = 1 down to 0, in float32.</summary>
    private Tensor Denoise(Tensor context, Tensor xT, long batch)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        int steps = Config.InferenceSteps;
        var timesteps = Tensor.Linspace(1.0, 1.0 / steps, steps, DType.Float32, xT.Device);
        for (int i = 0; i < steps; i++)
        {
            using var step = TorchRuntime.NewDisposeScope();
            var now = timesteps.Narrow(0, i, 1).Expand(batch);
            var next = i + 1 < steps ? timesteps.Narrow(0, i + 1, 1).Expand(batch) : Tensor.Zeros(new[] { batch }, DType.Float32, xT.Device);
            var velocity = DiffusionStep(context, xT, now).To(DType.Float32);
            xT = step.MoveToOuter(xT - (now - next).Reshape(-1, 1, 1, 1, 1) * velocity);
        }
        return scope.MoveToOuter(xT);
    }

    /// <summary>One stage-5 prediction: patchify x_t → conv_in_x_t → diffusion blocks → norm_out → conv_out → unpatchify.</summary>
    private Tensor DiffusionStep(Tensor context, Tensor xT, Tensor t)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = ConvInXt.Forward(VideoPatchify.Patchify(xT, Config.PatchSize).Permute(0, 2, 3, 4, 1).To(ConvInXt.Weight.DType));
        var modulation = SharedAdaLn.Forward(TimestepEmbedder.Forward(t * Config.TimestepScaleMultiplier).To(x.DType));
        int wChunks = Mode == DiffusionDecodeMode.Chunked ? WChunks : 0;
        foreach (var block in DiffBlocks) x = block.Forward(x, context, modulation, wChunks);
        var patches = ConvOut.Forward(NormOut.Forward(x)).Permute(0, 4, 1, 2, 3);
        return scope.MoveToOuter(VideoPatchify.Unpatchify(patches, Config.PatchSize));
    }
}
