using LtxLocal.Inference.Catalog;
using LtxLocal.Models.VideoVae;
using LtxLocal.Models.VideoVae.Diffusion;

namespace LtxLocal.Inference.Memory;

/// <summary>
/// Peak memory of one generation = resident weights + the largest phase: text encoding (Gemma over 1024 tokens with
/// every hidden state kept), denoising (one transformer pass at the stage's token count: hidden states, Q/K/V, the
/// 4x feed-forward and the attention scores where attention is not fused) or the tiled VAE decode (one tile plus
/// the group buffers, <see cref="DecodeTilePlanner"/>), plus a runtime baseline. Element size 2 (bf16) on a GPU,
/// 4 on the CPU. The coefficients are calibrated against measured peaks (Memory/measurements.md).
/// </summary>
public sealed partial class VramEstimator(IModelCatalog? catalog, int elementSize = 2, bool fusedAttention = true) : IVramEstimator
{
    /// <summary>Bytes held besides tensors: the CUDA context and allocator slack on a GPU, the .NET runtime on the CPU.</summary>
    public long BaselineBytes { get; init; } = elementSize == 2 ? 1L << 30 : 380L << 20;

    /// <summary>
    /// [tokens, D]-sized buffers each pass holds through the whole block loop (the guidance passes of a step run block by
    /// block together, so every pass's are alive at once): the per-token AdaLN modulations (9 rows with cross-attention
    /// AdaLN, the embedded timestep, 4 A/V scale-shift rows = 14), the RoPE cos/sin tables kept in float32 for the self
    /// and the cross-modal attention (about 3 bf16 equivalents) and the residual stream.
    /// </summary>
    public double HeldBuffersPerPass { get; init; } = 18;

    /// <summary>
    /// Buffers a running block adds at its peak, the feed-forward: the normed input, the 4·D projection and its GELU
    /// (9), plus the block's output (1). The attention (q, k, v, the rotated q/k, its output) peaks lower with fused SDPA.
    /// </summary>
    public double BlockPeakBuffers { get; init; } = 10;

    private readonly Dictionary<string, ModelSizes> _sizes = new(StringComparer.Ordinal);

    /// <summary>The peak of the resident plan (every network on the device for the whole job).</summary>
    public long EstimatePeakBytes(GenerationShape shape) => Estimate(shape, MemoryPlan.Resident).PeakBytes;

    /// <summary>An estimator for sizes given directly (<see cref="Estimate(ModelSizes, GenerationShape, MemoryPlan)"/>), with no catalog.</summary>
    public VramEstimator(int elementSize = 2, bool fusedAttention = true) : this(null, elementSize, fusedAttention) { }

    private ModelSizes SizesOf(string modelId) =>
        SizesOf(catalog?.Resolve(modelId) ?? catalog?.Default ?? throw new InvalidOperationException($"unknown model {modelId}"));

    /// <summary>
    /// One transformer call of <paramref name="passes"/> guidance passes: activations at the token count (video + audio),
    /// attention scores of one head batch when unfused.
    /// </summary>
    public long TransformerPass(ModelSizes sizes, int width, int height, int frames, bool audio, int passes = 1)
    {
        long videoTokens = ((frames - 1) / 8 + 1) * (long)(height / 32) * (width / 32);
        long audioTokens = audio ? (long)Math.Round(frames / 25.0 * 25) : 0;
        double hidden = (passes * HeldBuffersPerPass + BlockPeakBuffers) * (videoTokens * sizes.VideoDim + audioTokens * sizes.AudioDim);
        long contextTokens = 1024;
        double scores = fusedAttention ? 0 : sizes.Heads * (double)videoTokens * Math.Max(videoTokens, contextTokens) * 2;
        return (long)((hidden + scores) * elementSize);
    }

    public long LatentBytes(ModelSizes sizes, int width, int height, int frames) =>
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
