using LtxLocal.Models.TextEncoder.Enhancement;
using LtxLocal.Models.TextEncoder.Connector;
using LtxLocal.Models.TextEncoder.Gemma;
using LtxLocal.Inference.Catalog;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.TextEncoder;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Pipelines.Blocks;

/// <summary>
/// The prompt encoder block (the reference's PromptEncoder): Gemma and the embeddings processor (feature extractor +
/// video/audio connectors) turn a prompt into the contexts the transformer cross-attends to. Gemma also rewrites prompts
/// for enhance_prompt.
/// </summary>
public sealed class PromptEncoder : IDisposable
{
    private readonly PromptEnhancement _enhancement;

    private PromptEncoder(GemmaTextEncoder text, EmbeddingsProcessor processor, PromptEnhancement enhancement)
    {
        TextEncoder = text;
        Processor = processor;
        _enhancement = enhancement;
    }

    public GemmaTextEncoder TextEncoder { get; }
    public EmbeddingsProcessor Processor { get; }

    public long WeightBytes => Blocks.WeightBytes.Of(TextEncoder.TextModel, Processor.FeatureExtractor, Processor.VideoConnector, Processor.AudioConnector);

    public static PromptEncoder Load(ModelFiles files, Device device, DType dtype) =>
        PartialLoad.Then(GemmaTextEncoder.Load(files.Gemma, device, dtype), text =>
        {
            using var transformerFile = SafetensorsFile.Open(files.Transformer);
            using var gemmaConfig = GemmaCheckpoint.ReadConfig(files.Gemma);
            using var connectors = SafetensorsFile.Open(files.Connectors);
            using var projection = SafetensorsFile.Open(files.Projection);
            var (hidden, layers) = TextProcessorConfig.GemmaSizes(gemmaConfig.RootElement);
            var config = TextProcessorConfig.From(ConfigReader.FromMetadata(transformerFile.Metadata, "transformer", files.Transformer), hidden, layers,
                EmbeddingsProcessor.HasAudioConnector(connectors));
            return new PromptEncoder(text, EmbeddingsProcessor.Load(config, projection, connectors, device, dtype), files.Enhancement);
        });

    /// <summary>Gemma + connectors for one prompt: the video and audio contexts the transformer cross-attends to.</summary>
    public PromptContext Encode(string prompt)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var encoding = TextEncoder.Encode(prompt);
        using var context = Processor.Forward(encoding.HiddenStates, encoding.AttentionMask);
        var video = context.Video.Alias().MoveToOuterScope();
        var audio = context.Audio?.Alias().MoveToOuterScope();
        return new PromptContext(scope.MoveToOuter(video), audio is null ? null : scope.MoveToOuter(audio));
    }

    /// <summary>
    /// enhance_prompt: Gemma rewrites <paramref name="prompt"/> with the user-placed system prompt for the request kind
    /// (text-only for image-to-video: no vision tower), sampled as the reference does but seeded with the request's seed
    /// so a seed gives one enhanced prompt. Bounded by the reference's 512 new tokens; a cancel stops it between tokens.
    /// </summary>
    public string Enhance(string prompt, bool textToVideo, long seed, CancellationToken cancellationToken)
    {
        var file = _enhancement.SystemPromptFile(textToVideo) ?? throw new InvalidOperationException(_enhancement.WhyNot(textToVideo));
        var enhancer = new PromptEnhancer(TextEncoder.TextModel, TextEncoder.Tokenizer);
        return enhancer.Enhance(prompt, File.ReadAllText(file), new EnhanceOptions(Seed: unchecked((ulong)seed)), cancellationToken);
    }

    public void Dispose()
    {
        TextEncoder.Dispose();
        Processor.Dispose();
    }
}
