using LtxLocal.Inference.Catalog;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.TextEncoder.Connector;
using LtxLocal.Models.TextEncoder.Gemma;
using LtxLocal.Models.Transformer;
using LtxLocal.Models.VideoVae;
using LtxLocal.Models.VideoVae.Diffusion;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Memory;

/// <summary>What the estimator needs to know about a model, read from its files' headers and configs.</summary>
public sealed record ModelSizes(long WeightBytes, long VideoDim, long AudioDim, long Heads, long LatentChannels, long GemmaHidden,
    long GemmaLayers, long GemmaIntermediate, long GemmaHeads, VideoVaeConfig Vae, bool HasUpsampler)
{
    /// <summary>Set when the VAE file carries the LTX-2.5 diffusion decoder (decoded untiled) instead of the conv one.</summary>
    public DiffusionDecoderConfig? DiffusionVae { get; init; }

    /// <summary>Each network's parameter count, for the plans that place networks one at a time.</summary>
    public NetworkWeights Networks { get; init; } = null!;

    /// <summary>Widths of the prompt contexts the text encoder hands the transformer (video, audio), and their token count.</summary>
    public (long Video, long Audio) ContextDims { get; init; }
    public long ContextTokens { get; init; } = 1024;

    /// <summary>Channels of an audio latent token (z channels × mel bins): the audio state's width.</summary>
    public long AudioTokenChannels { get; init; }

    public static ModelSizes Read(ModelFiles files)
    {
        var paths = new[] { files.Transformer, files.Connectors, files.Projection, files.VideoVae, files.AudioVae, files.Vocoder, files.Upsampler }
            .Where(p => p is not null).Distinct().Select(p => p!)
            .Concat(Directory.GetFiles(files.Gemma, "*.safetensors")).ToList();
        long bytes = 0;
        foreach (var path in paths)
        {
            using var file = SafetensorsFile.Open(path);
            // Tensors as stored (bf16 in the releases); a Gemma vision tower is never loaded.
            bytes += file.Keys.Where(k => !k.StartsWith("vision_tower.", StringComparison.Ordinal) && !k.StartsWith("multi_modal_projector.", StringComparison.Ordinal))
                .Sum(k => file.Info(k).Numel * 2);
        }
        return From(ModelConfigs.Read(files), NetworkWeights.Read(files), bytes);
    }

    /// <summary>
    /// Sizes from configs alone (a released configuration kept in the repository): each network's parameters counted on
    /// the model built on the meta device, stored as bf16.
    /// </summary>
    public static ModelSizes FromConfigs(ModelConfigs configs)
    {
        var networks = NetworkWeights.FromConfigs(configs);
        long elements = networks.Transformer + networks.TextEncoder + networks.VideoEncoder + networks.VideoDecoder + networks.AudioDecoder
            + networks.Vocoder + networks.Upsampler;
        return From(configs, networks, elements * 2);
    }

    private static ModelSizes From(ModelConfigs configs, NetworkWeights networks, long weightBytes)
    {
        var config = LtxModelConfig.FromMetadata(configs.Transformer, configs.Source);
        var vae = ConfigReader.FromMetadata(configs.VideoVae, "vae", configs.Source);
        var top = new ConfigReader(configs.Gemma, "gemma");
        var text = top.Has("text_config") ? top.Section("text_config") : top;
        var (gemmaHidden, gemmaLayers) = TextProcessorConfig.GemmaSizes(configs.Gemma);
        var processor = TextProcessorConfig.From(ConfigReader.FromMetadata(configs.Transformer, "transformer", configs.Source), gemmaHidden, gemmaLayers,
            config.ModelType.HasAudio());
        bool diffusion = vae.String("_class_name", VideoVaeConfig.ConvClassName) == DiffusionDecoderConfig.ClassName;
        return new ModelSizes(weightBytes, config.InnerDim, config.AudioInnerDim, config.NumAttentionHeads, config.InChannels,
            text.Int("hidden_size"), text.Int("num_hidden_layers"), text.Int("intermediate_size"), text.Int("num_attention_heads"),
            VideoVaeConfig.From(vae), configs.Upsampler is not null)
        {
            DiffusionVae = diffusion ? DiffusionDecoderConfig.From(vae) : null,
            Networks = networks,
            ContextDims = (processor.VideoDim, config.ModelType.HasAudio() ? processor.AudioDim : 0),
            AudioTokenChannels = config.AudioInChannels,
        };
    }
}
