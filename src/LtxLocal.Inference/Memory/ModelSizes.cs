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
        using var transformerFile = SafetensorsFile.Open(files.Transformer);
        var config = LtxModelConfig.FromMetadata(transformerFile.Metadata, files.Transformer);
        using var vaeFile = SafetensorsFile.Open(files.VideoVae);
        using var gemmaConfig = GemmaCheckpoint.ReadConfig(files.Gemma);
        var top = new ConfigReader(gemmaConfig.RootElement, "gemma");
        var text = top.Has("text_config") ? top.Section("text_config") : top;
        var (gemmaHidden, gemmaLayers) = TextProcessorConfig.GemmaSizes(gemmaConfig.RootElement);
        var processor = TextProcessorConfig.From(ConfigReader.FromMetadata(transformerFile.Metadata, "transformer", files.Transformer), gemmaHidden, gemmaLayers,
            config.ModelType.HasAudio());
        return new ModelSizes(bytes, config.InnerDim, config.AudioInnerDim, config.NumAttentionHeads, config.InChannels,
            text.Int("hidden_size"), text.Int("num_hidden_layers"), text.Int("intermediate_size"), text.Int("num_attention_heads"),
            VideoVaeLoader.ReadConfig(vaeFile), files.Upsampler is not null)
        {
            DiffusionVae = VideoVaeLoader.IsDiffusionDecoder(vaeFile)
                ? DiffusionDecoderConfig.From(ConfigReader.FromMetadata(vaeFile.Metadata, "vae", files.VideoVae)) : null,
            Networks = NetworkWeights.Read(files),
            ContextDims = (processor.VideoDim, config.ModelType.HasAudio() ? processor.AudioDim : 0),
            AudioTokenChannels = config.AudioInChannels,
        };
    }
}
