using LtxLocal.Models.TextEncoder.Gemma;
using LtxLocal.Torch;
using LtxLocal.Torch.NN;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Models.TextEncoder.Connector;

/// <summary>
/// ltx_core EmbeddingsProcessor.process_hidden_states: feature extractor, then the rows are stably re-ordered valid
/// tokens first and run through the video and audio connectors. Outputs stay in that re-ordered order.
/// </summary>
public sealed class EmbeddingsProcessor : IDisposable
{
    public const string ProjectionPrefix = "text_embedding_projection.";
    public const string VideoConnectorPrefix = "model.diffusion_model.video_embeddings_connector.";
    public const string AudioConnectorPrefix = "model.diffusion_model.audio_embeddings_connector.";

    public EmbeddingsProcessor(TextProcessorConfig config, ModuleOptions? options = null)
    {
        Config = config;
        FeatureExtractor = config.UsesV2Extractor
            ? new FeatureExtractorV2(config.GemmaHidden, config.GemmaStates, config.VideoDim, config.HasAudio ? config.AudioDim : null, options)
            : new FeatureExtractorV1(config.GemmaHidden, config.GemmaStates, config.HasAudio, options);
        VideoConnector = new EmbeddingsConnector(config.Video, options);
        AudioConnector = config.HasAudio ? new EmbeddingsConnector(config.Audio, options) : null;
    }

    public TextProcessorConfig Config { get; }
    public Module FeatureExtractor { get; }
    public EmbeddingsConnector VideoConnector { get; }
    public EmbeddingsConnector? AudioConnector { get; }

    /// <summary>
    /// Builds on meta and loads: the projection from <paramref name="projections"/> (single file, or the LTX-2.5 text
    /// encoder file) and the connectors from <paramref name="connectors"/> (single file or transformer file).
    /// </summary>
    public static EmbeddingsProcessor Load(TextProcessorConfig config, ITensorSource projections, ITensorSource connectors,
        Device device, DType dtype)
    {
        var processor = new EmbeddingsProcessor(config, new ModuleOptions(dtype, Device.Meta));
        processor.FeatureExtractor.LoadStateDict(projections, ProjectionPrefix, strict: true, device);
        processor.VideoConnector.LoadStateDict(connectors, VideoConnectorPrefix, strict: true, device);
        processor.AudioConnector?.LoadStateDict(connectors, AudioConnectorPrefix, strict: true, device);
        return processor;
    }

    /// <summary>
    /// LTX-2.5 split layout (ltx_pipelines ModelPaths.from_split): the config and connectors come from the transformer
    /// file, the V2 projection and the Gemma sizes from the text-encoder pack; the pair is version-checked first.
    /// </summary>
    /// <param name="warn">receives the version check's warning, if any</param>
    public static EmbeddingsProcessor LoadSplit(string transformerPath, string textEncoderPath, Device device, DType dtype,
        Action<string>? warn = null)
    {
        using var transformerFile = SafetensorsFile.Open(transformerPath);
        using var pack = SafetensorsFile.Open(textEncoderPath);
        using var gemmaConfig = GemmaCheckpoint.ReadConfig(textEncoderPath);
        if (GemmaVersionCheck.Verify(transformerFile.Metadata, gemmaConfig.RootElement, textEncoderPath) is { } warning) warn?.Invoke(warning);
        var transformer = Checkpoints.ConfigReader.FromMetadata(transformerFile.Metadata, "transformer", transformerPath);
        var (hidden, layers) = TextProcessorConfig.GemmaSizes(gemmaConfig.RootElement);
        var config = TextProcessorConfig.From(transformer, hidden, layers, HasAudioConnector(transformerFile));
        return Load(config, pack, transformerFile, device, dtype);
    }

    /// <summary>Whether a checkpoint carries an audio connector.</summary>
    public static bool HasAudioConnector(ITensorSource connectors) =>
        connectors.Keys.Any(k => k.StartsWith(AudioConnectorPrefix, StringComparison.Ordinal));

    /// <param name="hiddenStates">all Gemma hidden states stacked on the last axis [B, T, D, L]</param>
    /// <param name="attentionMask">[B, T], 1 = token, 0 = pad (either side)</param>
    public TextContext Forward(Tensor hiddenStates, Tensor attentionMask)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var (video, audio) = ((IFeatureExtractor)FeatureExtractor).Forward(hiddenStates, attentionMask);
        if (AudioConnector is not null && audio is null) throw new InvalidOperationException("the audio connector has no audio features");

        // Valid tokens first, keeping their order (stable), as the connectors expect right padding.
        var binary = attentionMask.Ne(0).To(DType.Int32);
        var (_, order) = binary.Sort(-1, descending: true, stable: true);                          // [B, T]
        var reordered = binary.Gather(1, order);
        var additive = (reordered.To(video.DType) - 1.0).Mul_(-GemmaAttentionMask.LargeNegative(video.DType))
            .Unsqueeze(1).Unsqueeze(1);                                                             // [B, 1, 1, T]

        var (videoEncoded, connectorMask) = VideoConnector.Forward(Reorder(video, order), additive);
        var binaryMask = connectorMask.Lt(1e-6).To(DType.Int64).Reshape(videoEncoded.Size(0), videoEncoded.Size(1), 1);
        videoEncoded = videoEncoded * binaryMask.To(videoEncoded.DType);
        Tensor? audioEncoded = AudioConnector?.Forward(Reorder(audio!, order), additive).Encoded;
        return new TextContext(videoEncoded.MoveToOuterScope(), audioEncoded?.MoveToOuterScope(), binaryMask.Squeeze(-1).MoveToOuterScope());
    }

    /// <summary>Stacks the per-layer hidden states [B, T, D] on a new last axis [B, T, D, L].</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> hiddenStates) => Tensor.Stack(hiddenStates, -1);

    private static Tensor Reorder(Tensor features, Tensor order) =>
        features.Gather(1, order.Unsqueeze(-1).Expand(features.Shape));

    public void Dispose()
    {
        FeatureExtractor.Dispose();
        VideoConnector.Dispose();
        AudioConnector?.Dispose();
    }
}
