using LtxLocal.Inference.Models;
using LtxLocal.Inference.Pipelines;
using LtxLocal.Models.AudioVae;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.TextEncoder.Gemma;
using LtxLocal.Models.Transformer;
using LtxLocal.Models.VideoVae;
using LtxLocal.Models.VideoVae.Diffusion;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Memory;

/// <summary>
/// Peak memory of one generation = resident weights + the largest phase: text encoding (Gemma over 1024 tokens with
/// every hidden state kept), denoising (one transformer pass at the stage's token count: hidden states, Q/K/V, the
/// 4x feed-forward and the attention scores where attention is not fused) or the tiled VAE decode (one tile plus
/// the group buffers, <see cref="DecodeTilePlanner"/>), plus a runtime baseline. Element size 2 (bf16) on a GPU,
/// 4 on the CPU. The coefficients are calibrated against measured peaks (Memory/measurements.md).
/// </summary>
public sealed class VramEstimator(IModelCatalog catalog, int elementSize = 2, bool fusedAttention = true) : IVramEstimator
{
    /// <summary>Bytes held besides tensors: the CUDA context and allocator slack on a GPU, the .NET runtime on the CPU.</summary>
    public long BaselineBytes { get; init; } = elementSize == 2 ? 1L << 30 : 380L << 20;

    /// <summary>Live [tokens, D]-sized buffers at the peak of a block (residual, norm, Q, K, V, gated output, 4x FF...).</summary>
    public double ActivationBuffers { get; init; } = 14;

    private readonly Dictionary<string, ModelSizes> _sizes = new(StringComparer.Ordinal);

    public long EstimatePeakBytes(GenerationShape shape)
    {
        var model = catalog.Resolve(shape.ModelId) ?? catalog.Default ?? throw new InvalidOperationException($"unknown model {shape.ModelId}");
        var sizes = SizesOf(model);
        long passes = shape.Pipeline == PipelineNames.Distilled ? 1 : 4; // guided passes run one at a time but keep their x0s
        long denoise = TransformerPass(sizes, shape.Width, shape.Height, shape.NumFrames, shape.GenerateAudio)
            + passes * LatentBytes(sizes, shape.Width, shape.Height, shape.NumFrames);
        long text = TextPass(sizes);
        long decode = DecodePass(sizes, shape.Width, shape.Height, shape.NumFrames);
        // Every pipeline ends at full resolution (stage 2 or the single stage), so the full-resolution pass is the peak.
        return sizes.WeightBytes * elementSize / 2 + BaselineBytes + Math.Max(denoise, Math.Max(text, decode));
    }

    /// <summary>One transformer call: activations at the token count (video + audio), attention scores when unfused.</summary>
    public long TransformerPass(ModelSizes sizes, int width, int height, int frames, bool audio)
    {
        long videoTokens = ((frames - 1) / 8 + 1) * (long)(height / 32) * (width / 32);
        long audioTokens = audio ? (long)Math.Round(frames / 25.0 * 25) : 0;
        double hidden = ActivationBuffers * (videoTokens * sizes.VideoDim + audioTokens * sizes.AudioDim);
        long contextTokens = 1024;
        double scores = fusedAttention ? 0 : sizes.Heads * (double)videoTokens * Math.Max(videoTokens, contextTokens) * 2;
        return (long)((hidden + scores) * elementSize);
    }

    private long LatentBytes(ModelSizes sizes, int width, int height, int frames) =>
        ((frames - 1) / 8 + 1) * (long)(height / 32) * (width / 32) * sizes.LatentChannels * 4 * elementSize;

    /// <summary>Gemma over 1024 tokens: all hidden states stacked (layers + 1), the MLP, attention scores, the connectors.</summary>
    public long TextPass(ModelSizes sizes)
    {
        const long tokens = 1024;
        double states = 2.0 * tokens * sizes.GemmaHidden * (sizes.GemmaLayers + 1);
        double block = tokens * (6.0 * sizes.GemmaHidden + 3.0 * sizes.GemmaIntermediate) + (fusedAttention ? 0 : sizes.GemmaHeads * (double)tokens * tokens * 2);
        return (long)((states + block) * elementSize);
    }

    /// <summary>
    /// Elements held per decoded pixel-frame (RGB) at the decode's peak: the group buffers (value and weight sums), the
    /// tile's output and working set, and the [0, 1] -> RGB24 conversion of a chunk. Fitted to the CPU measurements.
    /// </summary>
    public double DecodeElementsPerPixel { get; init; } = 14;

    /// <summary>The tiled decode: the pixel-frames alive at once (a temporal group and the previous one) times the per-pixel cost.</summary>
    public long DecodePass(ModelSizes sizes, int width, int height, int frames)
    {
        // The LTX-2.5 diffusion decoder runs untiled: its whole stage-5 volume is alive at once.
        if (sizes.DiffusionVae is { } diffusion) return DiffusionDecodeMemory.EstimateBytes(diffusion, height, width, frames, elementSize);
        var dtype = elementSize == 2 ? LtxLocal.Torch.DType.BFloat16 : LtxLocal.Torch.DType.Float32;
        var tiles = DecodeTilePlanner.Choose(sizes.Vae, height, width, frames, dtype, long.MaxValue / 16); // the default tiling
        long alive = Math.Min(frames, 2L * (tiles.Frames.TileSize + 1));
        return (long)(DecodeElementsPerPixel * elementSize * alive * height * width);
    }

    public ModelSizes SizesOf(ModelDescriptor model)
    {
        lock (_sizes)
        {
            if (!_sizes.TryGetValue(model.Directory, out var sizes))
                _sizes[model.Directory] = sizes = ModelSizes.Read(ModelFiles.Locate(model.Directory, out var problem) ?? throw new InvalidOperationException(problem));
            return sizes;
        }
    }
}

/// <summary>What the estimator needs to know about a model, read from its files' headers and configs.</summary>
public sealed record ModelSizes(long WeightBytes, long VideoDim, long AudioDim, long Heads, long LatentChannels, long GemmaHidden,
    long GemmaLayers, long GemmaIntermediate, long GemmaHeads, VideoVaeConfig Vae, bool HasUpsampler)
{
    /// <summary>Set when the VAE file carries the LTX-2.5 diffusion decoder (decoded untiled) instead of the conv one.</summary>
    public DiffusionDecoderConfig? DiffusionVae { get; init; }

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
        return new ModelSizes(bytes, config.InnerDim, config.AudioInnerDim, config.NumAttentionHeads, config.InChannels,
            text.Int("hidden_size"), text.Int("num_hidden_layers"), text.Int("intermediate_size"), text.Int("num_attention_heads"),
            VideoVaeLoader.ReadConfig(vaeFile), files.Upsampler is not null)
        {
            DiffusionVae = VideoVaeLoader.IsDiffusionDecoder(vaeFile)
                ? DiffusionDecoderConfig.From(ConfigReader.FromMetadata(vaeFile.Metadata, "vae", files.VideoVae)) : null,
        };
    }
}
