using LtxLocal.Inference.Catalog;
using LtxLocal.Inference.Memory;
using LtxLocal.Inference.Pipelines.Blocks;
using LtxLocal.Media;
using LtxLocal.Models.AudioVae;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.Transformer;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Pipelines;

/// <summary>
/// The networks of one model on one device, one slot each (the reference's ModelLedger): prompt encoder, transformer,
/// image conditioner (video VAE encoder), video decoder, audio decoder, x2 upsampler, plus the LoRAs fused into the
/// transformer while it is loaded (the request's and the distilled one, <see cref="TransformerLoras"/>). Where each
/// network lives, and when it is loaded and released, is the memory plan's (<see cref="NetworkHomes"/>); a phase takes
/// a lease on the network it runs. The configs the pipelines read between phases are read from the headers once, so a
/// network that is not loaded is never needed for its shape.
/// </summary>
public sealed class LoadedModel : IDisposable
{
    private readonly List<IDisposable> _slots = [];

    private LoadedModel(ModelFiles files, NetworkHomes homes, TransformerLoras loras)
    {
        Files = files;
        Homes = homes;
        Loras = loras;
        using (var transformer = SafetensorsFile.Open(files.Transformer))
            TransformerConfig = LtxModelConfig.FromMetadata(transformer.Metadata, files.Transformer);
        if (files.AudioVae is not null && files.Vocoder is not null)
        {
            using var audio = SafetensorsFile.Open(files.AudioVae);
            AudioLatentChannels = AudioVaeLoader.ReadConfig(audio).ZChannels;
        }

        var fp8 = homes.Plan.Fp8;
        PromptEncoder = Own(homes.TextEncoder("text_encoder", (d, t) => Blocks.PromptEncoder.Load(files, d, t), p => p.WeightBytes));
        Transformer = Own(homes.Transformer((d, t) => TransformerLoader.Load(files.Transformer, new TransformerLoadOptions { Device = d, DType = t, Fp8Cast = fp8 })));
        ImageConditioner = Own(homes.OnComputeDevice("video_encoder", (d, t) => ImageConditioning.Load(files, d, t), c => c.WeightBytes));
        VideoDecoder = Own(homes.OnComputeDevice("video_decoder", (d, t) => VideoLatentDecoders.Load(files, d, t), v => v.WeightBytes));
        if (AudioLatentChannels is not null)
            AudioDecoder = Own(homes.OnComputeDevice("audio_decoder", (d, t) => AudioLatentDecoder.Load(files, d, t), a => a.WeightBytes));
        if (files.Upsampler is not null)
            Upsampler = Own(homes.OnComputeDevice("upsampler", (d, t) => LatentUpsampling.Load(files, d, t), u => u.WeightBytes));
    }

    public ModelFiles Files { get; }
    public NetworkHomes Homes { get; }
    public MemoryPlan Plan => Homes.Plan;
    public MemoryLedger Ledger => Homes.Ledger;
    public Device Device => Homes.ComputeDevice;
    public DType DType => NetworkHomes.DTypeOn(Device);
    public LtxModelConfig TransformerConfig { get; }
    /// <summary>The audio VAE's latent channels; null when the model has no soundtrack.</summary>
    public long? AudioLatentChannels { get; }

    public NetworkSlot<PromptEncoder> PromptEncoder { get; }
    public NetworkSlot<LtxModel> Transformer { get; }
    public NetworkSlot<ImageConditioning> ImageConditioner { get; }
    public NetworkSlot<IVideoLatentDecoder> VideoDecoder { get; }
    /// <summary>Null when the model has no soundtrack.</summary>
    public NetworkSlot<AudioLatentDecoder>? AudioDecoder { get; }
    /// <summary>Null when the folder has no x2 latent upsampler.</summary>
    public NetworkSlot<LatentUpsampling>? Upsampler { get; }
    public TransformerLoras Loras { get; }
    /// <summary>Decodes and encodes soundtracks (audio-to-video, retake, extend); null when the model has no audio VAE.</summary>
    public AudioConditioning? AudioConditioner { get; private set; }
    /// <summary>Reads a source video's frames (retake, extend).</summary>
    public VideoFrameReader SourceFrames { get; private init; } = null!;

    /// <summary>Encoded prompts kept between jobs; null when this model encodes every prompt.</summary>
    public PromptEmbeddingCache? PromptCache { get; private init; }

    /// <summary>The cache key of <paramref name="prompt"/> as this model's prompt encoder, in its home under the plan, encodes it.</summary>
    public PromptCacheKey PromptKey(string prompt) =>
        new(PromptCacheKey.EncoderOf(Files, PromptEncoder.Home, NetworkHomes.DTypeOn(PromptEncoder.Home)), prompt);

    public bool HasAudio => AudioDecoder is not null && TransformerConfig.ModelType.HasAudio();

    /// <summary>The model's networks on <paramref name="device"/> under <paramref name="plan"/> (resident when none): a resident plan loads them all now.</summary>
    /// <param name="promptCache">encoded prompts shared across jobs (and models); null: every prompt is encoded</param>
    /// <param name="kept">networks kept loaded between jobs whatever the plan (<c>Ltx:KeepResident</c>)</param>
    public static LoadedModel Load(ModelFiles files, Device device, FfmpegTools ffmpeg, MemoryPlan? plan = null, MemoryLedger? ledger = null,
        PromptEmbeddingCache? promptCache = null, ResidentNetworks? kept = null)
    {
        var model = Create(files, new NetworkHomes(plan ?? MemoryPlan.Resident, device, ledger ?? new MemoryLedger(), kept), new TransformerLoras(files),
            ffmpeg, promptCache);
        model.LoadResident();
        return model;
    }

    /// <summary>
    /// The same model under <paramref name="plan"/>. A network the new plan keeps resident and loads the same way (a kept
    /// network, or the transformer between resident and resident+text-cpu) moves over as it is; this model's other
    /// networks are released before the new plan loads anything, so the two plans never sit on the device together.
    /// Returns this model when the plan is already its own.
    /// </summary>
    public LoadedModel Replan(MemoryPlan plan)
    {
        if (plan == Plan) return this;
        var next = Create(Files, new NetworkHomes(plan, Device, Ledger, Homes.Kept), Loras, Ffmpeg, PromptCache);
        next.PromptEncoder.TakeOver(PromptEncoder);
        next.Transformer.TakeOver(Transformer);
        next.ImageConditioner.TakeOver(ImageConditioner);
        next.VideoDecoder.TakeOver(VideoDecoder);
        if (AudioDecoder is not null) next.AudioDecoder?.TakeOver(AudioDecoder);
        if (Upsampler is not null) next.Upsampler?.TakeOver(Upsampler);
        Dispose();
        next.LoadResident();
        return next;
    }

    private static LoadedModel Create(ModelFiles files, NetworkHomes homes, TransformerLoras loras, FfmpegTools ffmpeg, PromptEmbeddingCache? promptCache) =>
        new(files, homes, loras)
        {
            Ffmpeg = ffmpeg, PromptCache = promptCache, Recompressor = new StillRecompressor(ffmpeg), SourceFrames = new VideoFrameReader(ffmpeg),
        };

    private void LoadResident()
    {
        try
        {
            PromptEncoder.LoadIfResident();
            Transformer.LoadIfResident();
            ImageConditioner.LoadIfResident();
            VideoDecoder.LoadIfResident();
            AudioDecoder?.LoadIfResident();
            Upsampler?.LoadIfResident();
            // Its encoder loads on first use (audio-to-video, retake, extend) and stays until the model is released.
            AudioConditioner = AudioConditioning.Load(Files, Device, DType, Ffmpeg);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private FfmpegTools Ffmpeg { get; init; } = null!;

    /// <summary>Re-compresses conditioning images (no network needed).</summary>
    public StillRecompressor Recompressor { get; private init; } = null!;

    private NetworkSlot<T> Own<T>(NetworkSlot<T> slot) where T : class, IDisposable
    {
        _slots.Add(slot);
        return slot;
    }

    public void Dispose()
    {
        AudioConditioner?.Dispose();
        AudioConditioner = null;
        foreach (var slot in Enumerable.Reverse(_slots)) slot.Dispose();
        _slots.Clear();
    }
}
