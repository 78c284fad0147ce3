using LtxLocal.Inference.Pipelines;
using LtxLocal.Models.VideoVae;

namespace LtxLocal.Inference.Memory;

/// <summary>
/// The estimate per memory plan, phase by phase as the generator runs them (text, each denoising stage, upsampling,
/// video decode, audio decode): the weights the plan has on the device in that phase, the activations the pipeline
/// holds there (what the ledger records: prompt contexts, stage states, latents, the decoded chunk, the waveform) and
/// the transient working set of the phase's network call. The peak is the largest phase plus the runtime baseline.
/// </summary>
public sealed partial class VramEstimator
{
    /// <summary>True when the compute device is the CPU: the text encoder's "on the CPU" then changes nothing.</summary>
    public bool CpuDevice { get; init; } = elementSize == 4;

    /// <summary>Networks the worker keeps loaded between jobs whatever the plan: on the device in every phase.</summary>
    public ResidentNetworks Kept { get; init; } = ResidentNetworks.None;

    public PlanEstimate Estimate(GenerationShape shape, MemoryPlan plan) => Estimate(SizesOf(shape.ModelId), shape, plan);

    public IReadOnlyList<MemoryPlan> Plans => MemoryPlan.FastestFirst;

    public PlanEstimate Estimate(ModelSizes sizes, GenerationShape shape, MemoryPlan plan)
    {
        var n = sizes.Networks;
        int e = elementSize;
        bool resident = plan.Placement == WeightPlacement.Resident;
        bool textOnDevice = !plan.TextEncoderOnCpu || CpuDevice;
        long text = textOnDevice ? n.TextEncoder * e : 0, transformer = n.TransformerBytes(e, plan.Fp8);
        long upsampler = n.Upsampler * e, decoder = n.VideoDecoder * e, audioDecoder = shape.GenerateAudio ? n.AudioDecoderBytes(e) : 0;
        long all = text + transformer + n.VideoEncoder * e + decoder + n.AudioDecoderBytes(e) + upsampler;
        bool streamed = plan.Placement == WeightPlacement.Streamed;
        long window = n.BlockBytes(e, plan.Fp8) * Math.Min(n.TransformerLayers, MemoryPlan.StreamWindow);
        long denoiseWeights = streamed ? transformer - n.BlockBytes(e, plan.Fp8) * n.TransformerLayers + window : transformer;
        // Kept networks sit on the device in every phase (a kept streamed transformer: the parts outside its blocks).
        var network = new Dictionary<string, long>
        {
            [ResidentNetworks.TextEncoder] = text, [ResidentNetworks.Transformer] = streamed ? denoiseWeights - window : transformer,
            [ResidentNetworks.VideoEncoder] = n.VideoEncoder * e, [ResidentNetworks.VideoDecoder] = decoder,
            [ResidentNetworks.AudioDecoder] = n.AudioDecoderBytes(e), [ResidentNetworks.Upsampler] = upsampler,
        };
        long kept = network.Where(p => Kept.Keeps(p.Key)).Sum(p => p.Value);
        long Weights(string name, long phase) => resident ? all : kept + (!Kept.Keeps(name) ? phase : streamed && name == ResidentNetworks.Transformer ? window : 0);

        bool guided = PipelineNames.IsGuided(shape.Pipeline);
        bool twoStages = shape.Pipeline == PipelineNames.TwoStage
            || (shape.Pipeline == PipelineNames.Distilled && sizes.HasUpsampler && PipelineNames.HalvesCleanly(shape.Width, shape.Height));
        long contexts = (guided ? 2 : 1) * sizes.ContextTokens * (sizes.ContextDims.Video + sizes.ContextDims.Audio) * e;
        long fullLatent = LatentBytes(sizes, shape.Width, shape.Height, shape.NumFrames) / 4, audioLatent = AudioLatentBytes(sizes, shape);

        var phases = new List<PhaseEstimate> { new("text", Weights(ResidentNetworks.TextEncoder, text), contexts, textOnDevice ? TextPass(sizes) : 0) };
        // Stage 1 runs the pipeline's guidance (four passes when guided); a second stage is unguided.
        var stages = twoStages ? new[] { (shape.Width / 2, shape.Height / 2, guided), (shape.Width, shape.Height, false) }
            : new[] { (shape.Width, shape.Height, guided) };
        for (int i = 0; i < stages.Length; i++)
        {
            var (w, h, stageGuided) = stages[i];
            int passes = stageGuided ? 4 : 1;
            long held = contexts + StateBytes(sizes, shape, w, h) + (i == 1 ? fullLatent : 0);
            long working = TransformerPass(sizes, w, h, shape.NumFrames, shape.GenerateAudio, passes) + passes * LatentBytes(sizes, w, h, shape.NumFrames);
            phases.Add(new(i == 0 ? "denoise" : "denoise_stage2", Weights(ResidentNetworks.Transformer, denoiseWeights), held, working));
            if (i == 0 && twoStages)
                phases.Add(new("upsample", Weights(ResidentNetworks.Upsampler, upsampler), contexts + fullLatent / 4 + fullLatent, 8 * fullLatent));
        }
        long latents = fullLatent + audioLatent;
        long chunk = ChunkBytes(sizes, shape);
        phases.Add(new("decode", Weights(ResidentNetworks.VideoDecoder, decoder), latents + chunk, DecodePass(sizes, shape.Width, shape.Height, shape.NumFrames)));
        if (shape.GenerateAudio)
        {
            long waveform = WaveformBytes(shape);
            phases.Add(new("audio", Weights(ResidentNetworks.AudioDecoder, audioDecoder), latents + waveform, 4 * waveform));
        }
        return new PlanEstimate(plan, phases, BaselineBytes, HostBytes(sizes, plan));
    }

    /// <summary>What the plan keeps in host memory: streamed blocks (pinned on CUDA) and a text encoder run on the CPU in float32.</summary>
    private long HostBytes(ModelSizes sizes, MemoryPlan plan)
    {
        var n = sizes.Networks;
        long host = plan.Placement == WeightPlacement.Streamed ? n.BlockBytes(elementSize, plan.Fp8) * n.TransformerLayers : 0;
        if (plan.TextEncoderOnCpu && !CpuDevice) host += n.TextEncoder * 4 + TextPass(sizes) * 4 / elementSize;
        return host;
    }

    /// <summary>A stage's latent states: video tokens (latent and clean latent, float32 mask, float32 positions) and audio tokens.</summary>
    private long StateBytes(ModelSizes sizes, GenerationShape shape, int width, int height)
    {
        long videoTokens = ((shape.NumFrames - 1) / 8 + 1) * (long)(height / 32) * (width / 32);
        long video = videoTokens * (2 * sizes.LatentChannels * elementSize + 4 + 3 * 2 * 4);
        long audioTokens = shape.GenerateAudio ? AudioFrames(shape) : 0;
        return video + audioTokens * (2 * sizes.AudioTokenChannels * elementSize + 4 + 2 * 4);
    }

    // 25 audio latent frames a second at the frame rates the resolver allows (24-50 fps); the shape carries frames only.
    private static long AudioFrames(GenerationShape shape) => (long)Math.Round(shape.NumFrames / 24.0 * 25) + 1;

    private long AudioLatentBytes(ModelSizes sizes, GenerationShape shape) =>
        shape.GenerateAudio ? AudioFrames(shape) * sizes.AudioTokenChannels * elementSize : 0;

    // Stereo float32 at 48 kHz (the LTX-2.3 vocoder; 24 kHz models take half) for the video's length.
    private static long WaveformBytes(GenerationShape shape) => (long)(shape.NumFrames / 24.0 * 48000) * 2 * 4;

    /// <summary>The largest decoded chunk [1, 3, f, H, W]: the tiled decoder yields one temporal group's finished frames at a time.</summary>
    private long ChunkBytes(ModelSizes sizes, GenerationShape shape)
    {
        if (sizes.DiffusionVae is not null) return 3L * shape.NumFrames * shape.Width * shape.Height * elementSize;
        var dtype = elementSize == 2 ? LtxLocal.Torch.DType.BFloat16 : LtxLocal.Torch.DType.Float32;
        var tiles = DecodeTilePlanner.Choose(sizes.Vae, shape.Height, shape.Width, shape.NumFrames, dtype, long.MaxValue / 16);
        long[] latent = [1, sizes.LatentChannels, (shape.NumFrames - 1) / 8 + 1, shape.Height / 32, shape.Width / 32];
        var starts = VideoTiling.DecodeTiles(latent, tiles, sizes.Vae.DecoderScale).Select(t => (t.Time.OutStart, t.Time.OutEnd)).Distinct()
            .OrderBy(g => g.OutStart).ToList();
        long frames = starts.Count == 0 ? shape.NumFrames : starts[^1].OutEnd - starts[^1].OutStart;
        for (int i = 1; i < starts.Count; i++) frames = Math.Max(frames, starts[i].OutStart - starts[i - 1].OutStart);
        return 3L * frames * shape.Width * shape.Height * elementSize;
    }
}
