using System.Text.Json;
using LtxLocal.Models.Checkpoints;

namespace LtxLocal.Models.Upsampler;

/// <summary>
/// A latent upsampler's config: the fields sit at the top level of <c>__metadata__["config"]</c>
/// (ltx_core/model/upsampler/model_configurator.py, with its defaults).
/// </summary>
public sealed record LatentUpsamplerConfig(
    int InChannels,
    int MidChannels,
    int NumBlocksPerStage,
    int Dims,
    bool SpatialUpsample,
    bool TemporalUpsample,
    double SpatialScale,
    bool RationalResampler)
{
    public static LatentUpsamplerConfig FromMetadata(IReadOnlyDictionary<string, string> metadata, string source)
    {
        if (!metadata.TryGetValue("config", out var text))
            throw new ModelConfigException($"{source}: no \"config\" in the safetensors metadata (not an LTX-2 upsampler file?)");
        using var document = JsonDocument.Parse(text);
        return From(new ConfigReader(document.RootElement, "latent_upsampler"));
    }

    public static LatentUpsamplerConfig From(ConfigReader c)
    {
        var config = new LatentUpsamplerConfig(
            InChannels: c.Int("in_channels", 128),
            MidChannels: c.Int("mid_channels", 512),
            NumBlocksPerStage: c.Int("num_blocks_per_stage", 4),
            Dims: c.Int("dims", 3),
            SpatialUpsample: c.Bool("spatial_upsample", true),
            TemporalUpsample: c.Bool("temporal_upsample", false),
            SpatialScale: c.Double("spatial_scale", 2.0),
            RationalResampler: c.Bool("rational_resampler", false));
        if (config.Dims is not (2 or 3)) throw new ModelConfigException($"latent_upsampler config key 'dims': {config.Dims} is not 2 or 3");
        if (!config.SpatialUpsample && !config.TemporalUpsample)
            throw new ModelConfigException("latent_upsampler config: one of spatial_upsample / temporal_upsample must be true");
        if (config.SpatialUpsample && config.RationalResampler && !config.TemporalUpsample)
            _ = SpatialRationalResampler.RationalFor(config.SpatialScale);
        return config;
    }
}
