using System.Text.Json;
using LtxLocal.Models.Checkpoints;

namespace LtxLocal.Models.VideoVae.Diffusion;

/// <summary>
/// The LTX-2.5 diffusion video decoder's config (<c>__metadata__["config"]["vae"]</c> with <c>_class_name: CausalDiffusionVAE</c>;
/// the decoder's fields sit in the nested <c>decoder</c> dict, <c>model_output_type</c> beside it), read as
/// model_configurator.py's <c>_build_diffusion_video_decoder</c> reads it, with DiffusionVideoDecoder's defaults for absent keys.
/// </summary>
public sealed record DiffusionDecoderConfig(
    int InChannels,
    int OutChannels,
    int PatchSize,
    int HeadDim,
    int[] StageChannels,
    int[] StageDepths,
    Thw[] StageKernels,
    UpsampleSpec[] Upsamples,
    Thw Stage5Kernel,
    int Stage5Channels,
    int TimestepEmbedDim,
    int InferenceSteps,
    double TimestepScaleMultiplier)
{
    public const string ClassName = "CausalDiffusionVAE";

    /// <summary>Pixel frames / rows / columns per latent one: fixed in this decoder (SpatioTemporalScaleFactors.default()).</summary>
    public static readonly ScaleFactors Scale = new(8, 32, 32);

    public static DiffusionDecoderConfig From(ConfigReader vae)
    {
        var className = vae.String("_class_name", VideoVaeConfig.ConvClassName);
        if (className != ClassName) throw new ModelConfigException($"vae config '_class_name': '{className}' is not the diffusion decoder ({ClassName})");
        vae.Choice("model_output_type", "v", "v");
        var d = vae.Has("decoder") ? vae.Section("decoder") : vae;
        var channels = Ints(d, "stage_channels", new[] { 1024, 512, 256, 256, 128 });
        var headDim = d.Int("head_dim", d.Int("na_head_dim", 64));
        var config = new DiffusionDecoderConfig(
            InChannels: d.Int("in_channels", vae.Int("latent_channels", 128)),
            OutChannels: d.Int("out_channels", 3),
            PatchSize: d.Int("patch_size", 4),
            HeadDim: headDim,
            StageChannels: channels,
            StageDepths: Ints(d, "stage_depths", new[] { 4, 6, 4, 2, 8 }),
            StageKernels: d.Has("stage_kernels")
                ? d.Raw("stage_kernels").EnumerateArray().Select(k => Triple(k, "stage_kernels")).ToArray()
                : new[] { new Thw(3, 7, 7), new Thw(3, 7, 7), new Thw(3, 5, 5), new Thw(3, 5, 5), new Thw(3, 3, 3) },
            Upsamples: d.Has("upsamples")
                ? d.Raw("upsamples").EnumerateArray().Select(Upsample).ToArray()
                : new[] { new UpsampleSpec(new(1, 2, 2), 2), new UpsampleSpec(new(2, 1, 1), 2), new UpsampleSpec(new(2, 2, 2), 1), new UpsampleSpec(new(2, 2, 2), 2) },
            Stage5Kernel: d.Has("stage5_kernel") ? Triple(d.Raw("stage5_kernel"), "stage5_kernel") : new Thw(3, 7, 7),
            Stage5Channels: d.Int("stage5_channels", channels[^1]),
            TimestepEmbedDim: d.Int("t_emb_dim", 384),
            InferenceSteps: d.Int("default_num_inference_steps", 2),
            TimestepScaleMultiplier: d.Double("timestep_scale_multiplier", 1.0));
        config.Validate();
        return config;
    }

    /// <summary>Channels of the stage-5 context (the last stage's width, what upsamples[3] produces).</summary>
    public int ContextChannels => StageChannels[^1];

    /// <summary>Latent frames replicated after the last one through stages 1-4 (the NATTEN last-frame border workaround).</summary>
    public int TrailingPadLatentFrames => StageKernels[0].T / 2 * 2;

    /// <summary>Per-axis latent floor so every stage's neighbourhood fits (diffusion_tiling.all_stages_min_tile_size).</summary>
    public Thw MinLatentSize
    {
        get
        {
            var mins = new[] { 1, 1, 1 };
            var cumulative = new[] { 1, 1, 1 };
            for (int stage = 0; stage <= Upsamples.Length; stage++)
            {
                var kernel = stage < Upsamples.Length ? StageKernels[stage] : Stage5Kernel;
                for (int axis = 0; axis < 3; axis++) mins[axis] = Math.Max(mins[axis], (kernel[axis] + cumulative[axis] - 1) / cumulative[axis]);
                if (stage < Upsamples.Length)
                    for (int axis = 0; axis < 3; axis++) cumulative[axis] *= Upsamples[stage].Stride[axis];
            }
            return new Thw(mins[0], mins[1], mins[2]);
        }
    }

    private void Validate()
    {
        if (StageChannels.Length != StageDepths.Length || StageChannels.Length != StageKernels.Length)
            throw new ModelConfigException("vae.decoder config: stage_channels, stage_depths and stage_kernels must have the same length");
        if (StageChannels.Length != 5 || Upsamples.Length != 4)
            throw new ModelConfigException("vae.decoder config: the diffusion decoder has 5 stages and 4 upsamples");
        if (StageChannels.Append(Stage5Channels).Any(c => c % HeadDim != 0))
            throw new ModelConfigException($"vae.decoder config: every stage width must be a multiple of head_dim {HeadDim}");
        if (HeadDim % 8 != 0) throw new ModelConfigException($"vae.decoder config 'head_dim': {HeadDim} must be a multiple of 8 (RoPE split)");
        if (Upsamples.Any(u => u.Stride.T is not (1 or 2)))
            throw new ModelConfigException("vae.decoder config 'upsamples': temporal strides must be 1 or 2");
        if (InferenceSteps < 1) throw new ModelConfigException("vae.decoder config 'default_num_inference_steps' must be >= 1");
    }

    private static int[] Ints(ConfigReader d, string key, int[] fallback) =>
        d.Has(key) ? d.LongArray(key).Select(v => checked((int)v)).ToArray() : fallback;

    private static Thw Triple(JsonElement e, string key)
    {
        var v = e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(x => x.GetInt32()).ToArray() : Array.Empty<int>();
        if (v.Length != 3 || v.Any(x => x < 1)) throw new ModelConfigException($"vae.decoder config '{key}': expected [t, h, w] of positive integers, found {e}");
        return new Thw(v[0], v[1], v[2]);
    }

    private static UpsampleSpec Upsample(JsonElement e)
    {
        var parts = e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().ToArray() : Array.Empty<JsonElement>();
        if (parts.Length != 2 || parts[1].ValueKind != JsonValueKind.Number)
            throw new ModelConfigException($"vae.decoder config 'upsamples': expected [[t, h, w], reduction], found {e}");
        return new UpsampleSpec(Triple(parts[0], "upsamples"), parts[1].GetInt32());
    }
}
