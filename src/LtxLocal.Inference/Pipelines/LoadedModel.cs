using System.Text.Json;
using LtxLocal.Inference.Denoising;
using LtxLocal.Inference.Models;
using LtxLocal.Models.AudioVae;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.TextEncoder.Connector;
using LtxLocal.Models.TextEncoder.Enhancement;
using LtxLocal.Models.TextEncoder.Gemma;
using LtxLocal.Models.Transformer;
using LtxLocal.Models.Upsampler;
using LtxLocal.Models.VideoVae;
using LtxLocal.Models.VideoVae.Diffusion;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Pipelines;

/// <summary>
/// Every network of one model, resident on one device (the reference's ModelLedger, without swapping): the Gemma text
/// encoder + embeddings processor, the transformer, the video VAE encoder (image conditioning) and decoder, the audio
/// VAE decoder + vocoder, the x2 latent upsampler and the distilled LoRA file. bf16 on a GPU, float32 on the CPU.
/// </summary>
public sealed class LoadedModel : IDisposable
{
    private LoadedModel(ModelFiles files, Device device, DType dtype)
    {
        Files = files;
        Device = device;
        DType = dtype;
    }

    public ModelFiles Files { get; }
    public Device Device { get; }
    public DType DType { get; }
    public GemmaTextEncoder TextEncoder { get; private set; } = null!;
    public EmbeddingsProcessor TextProcessor { get; private set; } = null!;
    public LtxModel Transformer { get; private set; } = null!;
    public VideoEncoder VideoEncoder { get; private set; } = null!;
    /// <summary>The convolutional decoder; null when the VAE file carries the LTX-2.5 diffusion decoder instead.</summary>
    public ConvVideoDecoder? VideoDecoder { get; private set; }
    public DiffusionVideoDecoder? DiffusionDecoder { get; private set; }
    public AudioDecoder? AudioDecoder { get; private set; }
    public IVocoder? Vocoder { get; private set; }
    public LatentUpsampler? Upsampler { get; private set; }
    public PerChannelStatistics? LatentStatistics { get; private set; }

    public bool HasAudio => AudioDecoder is not null && Vocoder is not null && Transformer.Config.ModelType.HasAudio();

    public static LoadedModel Load(ModelFiles files, Device device)
    {
        var dtype = device.IsCuda ? DType.BFloat16 : DType.Float32;
        var model = new LoadedModel(files, device, dtype);
        try
        {
            model.LoadAll();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private void LoadAll()
    {
        TextEncoder = GemmaTextEncoder.Load(Files.Gemma, Device, DType);
        Transformer = TransformerLoader.Load(Files.Transformer, new TransformerLoadOptions { Device = Device, DType = DType });
        using (var transformerFile = SafetensorsFile.Open(Files.Transformer))
        using (var gemmaConfig = GemmaCheckpoint.ReadConfig(Files.Gemma))
        using (var connectors = SafetensorsFile.Open(Files.Connectors))
        using (var projection = SafetensorsFile.Open(Files.Projection))
        {
            var (hidden, layers) = TextProcessorConfig.GemmaSizes(gemmaConfig.RootElement);
            var config = TextProcessorConfig.From(ConfigReader.FromMetadata(transformerFile.Metadata, "transformer", Files.Transformer), hidden, layers,
                EmbeddingsProcessor.HasAudioConnector(connectors));
            TextProcessor = EmbeddingsProcessor.Load(config, projection, connectors, Device, DType);
        }
        using (var vae = SafetensorsFile.Open(Files.VideoVae))
        {
            VideoEncoder = VideoVaeLoader.LoadEncoder(vae, Device, DType);
            if (VideoVaeLoader.IsDiffusionDecoder(vae)) DiffusionDecoder = VideoVaeLoader.LoadDiffusionDecoder(vae, Device, DType);
            else VideoDecoder = VideoVaeLoader.LoadDecoder(vae, Device, DType);
            if (Files.Upsampler is not null) LatentStatistics = VideoVaeLoader.LoadStatistics(vae, Device);
        }
        if (Files.AudioVae is not null && Files.Vocoder is not null)
        {
            using var audio = SafetensorsFile.Open(Files.AudioVae);
            AudioDecoder = AudioVaeLoader.LoadDecoder(audio, Device, DType);
            using var vocoder = SafetensorsFile.Open(Files.Vocoder);
            Vocoder = AudioVaeLoader.LoadVocoder(vocoder, Device);
        }
        if (Files.Upsampler is not null)
        {
            using var upsampler = SafetensorsFile.Open(Files.Upsampler);
            Upsampler = LatentUpsampler.Load(upsampler, Device, DType);
        }
    }

    /// <summary>Gemma + connectors for one prompt: the video and audio contexts the transformer cross-attends to.</summary>
    public PromptContext EncodePrompt(string prompt)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var encoding = TextEncoder.Encode(prompt);
        using var context = TextProcessor.Forward(encoding.HiddenStates, encoding.AttentionMask);
        var video = context.Video.Alias().MoveToOuterScope();
        var audio = context.Audio?.Alias().MoveToOuterScope();
        return new PromptContext(scope.MoveToOuter(video), audio is null ? null : scope.MoveToOuter(audio));
    }

    /// <summary>
    /// enhance_prompt: Gemma rewrites <paramref name="prompt"/> with the user-placed system prompt for the request kind
    /// (text-only for image-to-video: no vision tower), sampled as the reference does but seeded with the request's seed
    /// so a seed gives one enhanced prompt. Bounded by the reference's 512 new tokens; a cancel stops it between tokens.
    /// </summary>
    public string EnhancePrompt(string prompt, bool textToVideo, long seed, CancellationToken cancellationToken)
    {
        var enhancement = Files.Enhancement;
        var file = enhancement.SystemPromptFile(textToVideo) ?? throw new InvalidOperationException(enhancement.WhyNot(textToVideo));
        var enhancer = new PromptEnhancer(TextEncoder.TextModel, TextEncoder.Tokenizer);
        return enhancer.Enhance(prompt, File.ReadAllText(file), new EnhanceOptions(Seed: unchecked((ulong)seed)), cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="body"/> with the distilled LoRA fused into the transformer (two-stage refinement), then
    /// restores the fused weights from the checkpoint. Without a LoRA file the body runs on the plain transformer.
    /// </summary>
    public T WithDistilledLora<T>(Func<T> body)
    {
        if (Files.DistilledLora is null) return body();
        LoraFusionReport report;
        using (var lora = LoraWeights.Open(Files.DistilledLora)) report = LoraFusion.Fuse(Transformer, [new LoraWithStrength(lora, 1.0)]);
        try
        {
            return body();
        }
        finally
        {
            using var file = SafetensorsFile.Open(Files.Transformer);
            LoraFusion.Unfuse(Transformer, report, new KeyMappedSource(file, TransformerKeys.Prefix, name => !TransformerKeys.IsConnector(name)));
        }
    }

    public void Dispose()
    {
        TextEncoder?.Dispose();
        TextProcessor?.Dispose();
        Transformer?.Dispose();
        VideoEncoder?.Dispose();
        VideoDecoder?.Dispose();
        DiffusionDecoder?.Dispose();
        AudioDecoder?.Dispose();
        Vocoder?.Dispose();
        Upsampler?.Dispose();
        LatentStatistics?.Dispose();
    }
}
