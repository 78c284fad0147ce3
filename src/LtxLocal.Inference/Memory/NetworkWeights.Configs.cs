using LtxLocal.Models.AudioVae;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.TextEncoder.Connector;
using LtxLocal.Models.TextEncoder.Gemma;
using LtxLocal.Models.Transformer;
using LtxLocal.Models.Upsampler;
using LtxLocal.Models.VideoVae;
using LtxLocal.Models.VideoVae.Diffusion;
using LtxLocal.Torch.NN;

namespace LtxLocal.Inference.Memory;

/// <summary>
/// Each network's parameter count from its config alone: every network is built on the meta device (nothing allocated)
/// exactly as its loader builds it before filling it, and its state dict counted. A model folder's headers give the same
/// numbers (<see cref="Read"/>); a test holds the two equal on the tiny model.
/// </summary>
public sealed partial record NetworkWeights
{
    public static NetworkWeights FromConfigs(ModelConfigs configs)
    {
        var config = LtxModelConfig.FromMetadata(configs.Transformer, configs.Source);
        var (transformer, blocks, fp8) = TransformerCounts(config);

        var (gemmaHidden, gemmaLayers) = TextProcessorConfig.GemmaSizes(configs.Gemma);
        var processorConfig = TextProcessorConfig.From(ConfigReader.FromMetadata(configs.Transformer, "transformer", configs.Source), gemmaHidden,
            gemmaLayers, config.ModelType.HasAudio());
        long text = OnMeta(o => GemmaTextModel(o, configs)) + ProcessorCount(processorConfig);

        var vaeReader = ConfigReader.FromMetadata(configs.VideoVae, "vae", configs.Source);
        var vae = VideoVaeConfig.From(vaeReader);
        // The coders hold the latent statistics (mean-of-means, std-of-means) themselves; the upsampler borrows the VAE's.
        long statistics = 2L * vae.LatentChannels;
        long encoder = OnMeta(o => new VideoEncoder(vae, o));
        long decoder = (vae.IsDiffusionVae
            ? OnMeta(o => new DiffusionVideoDecoder(DiffusionDecoderConfig.From(vaeReader), o))
            : OnMeta(o => new ConvVideoDecoder(vae, o)));

        long audio = 0, vocoder = 0;
        if (configs.AudioVae is { } audioMetadata)
        {
            var audioConfig = AudioVaeConfig.From(ConfigReader.FromMetadata(audioMetadata, "audio_vae", configs.Source));
            audio = OnMeta(o => new AudioDecoder(audioConfig, o));
        }
        if (configs.Vocoder is { } vocoderMetadata)
            vocoder = OnMeta(AudioVaeLoader.VocoderFactory(ConfigReader.FromMetadata(vocoderMetadata, "vocoder", configs.Source)));
        long upsampler = configs.Upsampler is { } upsamplerMetadata
            ? OnMeta(o => new LatentUpsampler(LatentUpsamplerConfig.FromMetadata(upsamplerMetadata, configs.Source), o)) + statistics
            : 0;
        return new NetworkWeights(transformer, blocks, fp8, config.NumLayers, text, encoder, decoder, audio, vocoder, upsampler);
    }

    /// <summary>The Gemma text tower the config's model_type names (Gemma 3, or LTX-2.5's Gemma 4), without vision.</summary>
    private static Module GemmaTextModel(ModuleOptions options, ModelConfigs configs)
    {
        var modelType = new ConfigReader(configs.Gemma, "gemma").String("model_type", "gemma3");
        return Gemma4Config.ModelTypes.Contains(modelType)
            ? new Gemma4TextModel(Gemma4Config.FromJson(configs.Gemma), options)
            : new Gemma3TextModel(Gemma3Config.FromJson(configs.Gemma), options);
    }

    /// <summary>The text projection (feature extractor) and both connectors.</summary>
    private static long ProcessorCount(TextProcessorConfig config)
    {
        using var processor = new EmbeddingsProcessor(config, new ModuleOptions(DType.Float32, Device.Meta));
        return Count(processor.FeatureExtractor) + Count(processor.VideoConnector) + (processor.AudioConnector is { } a ? Count(a) : 0);
    }

    private static long OnMeta(Func<ModuleOptions, Module> build)
    {
        using var module = build(new ModuleOptions(DType.Float32, Device.Meta));
        return Count(module);
    }

    private static long Count(Module module) => module.StateDict().Values.Sum(t => t.Numel);
}
