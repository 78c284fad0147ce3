using LtxLocal.Models.Checkpoints;

namespace LtxLocal.Models.AudioVae;

/// <summary>
/// One HiFi-GAN / BigVGAN generator's config (a flat vocoder config, or the <c>vocoder</c> / <c>bwe</c> sections of the
/// LTX-2.3+ nested one), with the defaults of ltx_core/model/audio_vae/model_configurator.py.
/// </summary>
public sealed record VocoderConfig(
    long[] ResblockKernelSizes,
    long[] UpsampleRates,
    long[] UpsampleKernelSizes,
    long[][] ResblockDilationSizes,
    long UpsampleInitialChannel,
    bool AntiAliased,
    bool SnakeBeta,
    bool UseTanhAtFinal,
    bool UseBiasAtFinal,
    int OutputSamplingRate)
{
    public static VocoderConfig From(ConfigReader c, string expectedResblock, int? outputSamplingRate = null)
    {
        var resblock = c.Choice("resblock", "1", expectedResblock);
        if (!c.Bool("stereo", true)) throw new ModelConfigException($"{c.Component} config key 'stereo': only stereo vocoders are supported");
        bool amp = resblock == "AMP1";
        var activation = amp ? c.Choice("activation", "snake", "snakebeta") : c.String("activation", "snake");
        var dilations = c.Has("resblock_dilation_sizes")
            ? c.Raw("resblock_dilation_sizes").EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetInt64()).ToArray()).ToArray()
            : new[] { new long[] { 1, 3, 5 }, new long[] { 1, 3, 5 }, new long[] { 1, 3, 5 } };
        var config = new VocoderConfig(
            ResblockKernelSizes: c.LongArray("resblock_kernel_sizes", new long[] { 3, 7, 11 }),
            UpsampleRates: c.LongArray("upsample_rates", new long[] { 6, 5, 2, 2, 2 }),
            UpsampleKernelSizes: c.LongArray("upsample_kernel_sizes", new long[] { 16, 15, 8, 4, 4 }),
            ResblockDilationSizes: dilations,
            UpsampleInitialChannel: c.Long("upsample_initial_channel", 1024),
            AntiAliased: amp,
            SnakeBeta: activation == "snakebeta",
            UseTanhAtFinal: c.Bool("use_tanh_at_final", true),
            UseBiasAtFinal: c.Bool("use_bias_at_final", true),
            OutputSamplingRate: outputSamplingRate ?? c.Int("output_sampling_rate", 24000));
        if (config.UpsampleRates.Length != config.UpsampleKernelSizes.Length || config.ResblockKernelSizes.Length != dilations.Length)
            throw new ModelConfigException($"{c.Component} config: upsample rates/kernels or resblock kernels/dilations differ in length");
        return config;
    }

    /// <summary>Output samples per input mel frame (the product of the upsample rates).</summary>
    public long HopSamples => UpsampleRates.Aggregate(1L, (a, b) => a * b);
}
