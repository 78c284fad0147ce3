using LtxLocal.Models.Checkpoints;

namespace LtxLocal.Models.AudioVae;

/// <summary>
/// The audio VAE's config (<c>__metadata__["config"]["audio_vae"]</c>: <c>model.params.ddconfig</c>,
/// <c>model.params.sampling_rate</c>, <c>preprocessing.stft</c> / <c>.mel</c>, <c>variables</c>), read with the defaults of
/// ltx_core/model/audio_vae/model_configurator.py. Attention blocks and non-causal / group-norm variants are refused:
/// no released file uses them.
/// </summary>
public sealed record AudioVaeConfig(
    int Ch,
    int OutCh,
    int[] ChMult,
    int NumResBlocks,
    int ZChannels,
    bool DoubleZ,
    int InChannels,
    int? MelBins,
    int SampleRate,
    int HopLength,
    int NFft)
{
    public static AudioVaeConfig From(ConfigReader audioVae)
    {
        var model = audioVae.Has("model") ? audioVae.Section("model") : Empty(audioVae, "model");
        var parameters = model.Has("params") ? model.Section("params") : Empty(model, "params");
        var dd = parameters.Has("ddconfig") ? parameters.Section("ddconfig") : Empty(parameters, "ddconfig");
        var preprocessing = audioVae.Has("preprocessing") ? audioVae.Section("preprocessing") : Empty(audioVae, "preprocessing");
        var stft = preprocessing.Has("stft") ? preprocessing.Section("stft") : Empty(preprocessing, "stft");
        var mel = preprocessing.Has("mel") ? preprocessing.Section("mel") : Empty(preprocessing, "mel");
        var variables = audioVae.Has("variables") ? audioVae.Section("variables") : Empty(audioVae, "variables");

        dd.Choice("norm_type", "pixel", "pixel");
        dd.Choice("causality_axis", "height", "height");
        if (!stft.Bool("causal", true)) throw new ModelConfigException("audio_vae config 'preprocessing.stft.causal': only causal audio VAEs are supported");
        if (dd.Bool("mid_block_add_attention", true))
            throw new ModelConfigException("audio_vae config 'mid_block_add_attention': attention blocks are not supported (released files have none)");
        var chMult = dd.LongArray("ch_mult", new long[] { 1, 2, 4 }).Select(v => (int)v).ToArray();
        var attn = dd.Has("attn_resolutions") ? dd.LongArray("attn_resolutions") : new long[] { 8, 16, 32 };
        int resolution = dd.Int("resolution", 256);
        var levels = Enumerable.Range(0, chMult.Length).Select(i => (long)(resolution >> i));
        if (attn.Intersect(levels).Any())
            throw new ModelConfigException($"audio_vae config 'attn_resolutions': attention blocks are not supported (released files have none)");
        int? melBins = dd.Has("mel_bins") ? dd.Int("mel_bins") : mel.Has("n_mel_channels") ? mel.Int("n_mel_channels")
            : variables.Has("mel_bins") ? variables.Int("mel_bins") : null;
        return new AudioVaeConfig(
            Ch: dd.Int("ch", 128),
            OutCh: dd.Int("out_ch", 2),
            ChMult: chMult,
            NumResBlocks: dd.Int("num_res_blocks", 2),
            ZChannels: dd.Int("z_channels", 8),
            DoubleZ: dd.Bool("double_z", true),
            InChannels: dd.Int("in_channels", 2),
            MelBins: melBins,
            SampleRate: parameters.Int("sampling_rate", 16000),
            HopLength: stft.Int("hop_length", 160),
            NFft: stft.Int("filter_length", 1024));
    }

    private static ConfigReader Empty(ConfigReader parent, string key) =>
        new(System.Text.Json.JsonDocument.Parse("{}").RootElement, $"{parent.Component}.{key}");

    /// <summary>Mel frames per latent frame (two stride-2 levels), the reference's LATENT_DOWNSAMPLE_FACTOR.</summary>
    public const int LatentDownsampleFactor = 4;
}
