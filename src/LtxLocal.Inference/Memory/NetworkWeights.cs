using LtxLocal.Inference.Catalog;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.TextEncoder.Connector;
using LtxLocal.Models.VideoVae;
using LtxLocal.Models.Transformer;
using LtxLocal.Torch.NN;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Memory;

/// <summary>
/// Parameter counts of each network a job places, read from the files' headers by the keys each loader reads (so a
/// single-file bundle is split as the loaders split it): the transformer (and how much of it is fp8-cast block
/// projections, and how much is blocks at all, for streaming), the text encoder (Gemma without its vision tower, the
/// connectors and projection), the video VAE encoder and decoder, the audio decoder (the vocoder, always float32, apart)
/// and the x2 upsampler.
/// </summary>
public sealed partial record NetworkWeights(long Transformer, long TransformerBlocks, long TransformerFp8, int TransformerLayers, long TextEncoder,
    long VideoEncoder, long VideoDecoder, long AudioDecoder, long Vocoder, long Upsampler)
{
    public const string BlocksPrefix = "transformer_blocks.";

    /// <summary>Bytes of the transformer as loaded: fp8 projections take one byte an element.</summary>
    public long TransformerBytes(int elementSize, bool fp8) => fp8 ? (Transformer - TransformerFp8) * elementSize + TransformerFp8 : Transformer * elementSize;

    /// <summary>Bytes of one transformer block as loaded (blocks are alike).</summary>
    public long BlockBytes(int elementSize, bool fp8) =>
        TransformerLayers == 0 ? 0 : (fp8 ? (TransformerBlocks - TransformerFp8) * elementSize + TransformerFp8 : TransformerBlocks * elementSize) / TransformerLayers;

    public long AudioDecoderBytes(int elementSize) => AudioDecoder * elementSize + Vocoder * 4;

    /// <summary>
    /// The transformer's elements, those in its blocks and those fp8-cast stores in float8, counted on the model built on
    /// the meta device from its config (nothing allocated), exactly as the loader builds it.
    /// </summary>
    public static (long All, long Blocks, long Fp8) TransformerCounts(LtxModelConfig config)
    {
        using var model = new LtxModel(config, new ModuleOptions(DType.Float32, Device.Meta), new ModuleOptions(DType.Float8E4M3FN, Device.Meta));
        long all = 0, blocks = 0, fp8 = 0;
        foreach (var (name, tensor) in model.StateDict())
        {
            all += tensor.Numel;
            if (name.StartsWith(BlocksPrefix, StringComparison.Ordinal)) blocks += tensor.Numel;
            if (tensor.DType.IsFloat8()) fp8 += tensor.Numel;
        }
        return (all, blocks, fp8);
    }

    public static NetworkWeights Read(ModelFiles files)
    {
        LtxModelConfig config;
        using (var file = SafetensorsFile.Open(files.Transformer)) config = LtxModelConfig.FromMetadata(file.Metadata, files.Transformer);
        var (transformer, blocks, fp8) = TransformerCounts(config);
        int layers = config.NumLayers;

        long text = Count(files.Connectors, EmbeddingsProcessor.VideoConnectorPrefix, EmbeddingsProcessor.AudioConnectorPrefix)
            + Count(files.Projection, EmbeddingsProcessor.ProjectionPrefix)
            + Directory.GetFiles(files.Gemma, "*.safetensors").Sum(path => Count(path, k =>
                !k.StartsWith("vision_tower.", StringComparison.Ordinal) && !k.StartsWith("multi_modal_projector.", StringComparison.Ordinal)));

        string vae;
        using (var file = SafetensorsFile.Open(files.VideoVae)) vae = VideoVaeLoader.PrefixOf(file);
        long statistics = Count(files.VideoVae, vae + "per_channel_statistics.");
        long encoder = Count(files.VideoVae, vae + "encoder.") + statistics;
        long decoder = Count(files.VideoVae, k => k.StartsWith(vae, StringComparison.Ordinal) && !k.StartsWith(vae + "encoder.", StringComparison.Ordinal)
            && (vae.Length > 0 || !IsOtherNetwork(k)));
        long audio = files.AudioVae is null ? 0 : Count(files.AudioVae, "audio_vae.decoder.", "audio_vae.per_channel_statistics.");
        long vocoder = files.Vocoder is null ? 0 : Count(files.Vocoder, "vocoder.");
        long upsampler = files.Upsampler is null ? 0 : Count(files.Upsampler, _ => true) + statistics;
        return new NetworkWeights(transformer, blocks, fp8, layers, text, encoder, decoder, audio, vocoder, upsampler);
    }

    // A split VAE file has no prefix; anything of another network there (none in the releases) is not the decoder's.
    private static bool IsOtherNetwork(string key) =>
        key.StartsWith(TransformerKeys.Prefix, StringComparison.Ordinal) || key.StartsWith("audio_vae.", StringComparison.Ordinal)
        || key.StartsWith("vocoder.", StringComparison.Ordinal) || key.StartsWith(EmbeddingsProcessor.ProjectionPrefix, StringComparison.Ordinal);

    private static long Count(string path, params string[] prefixes) =>
        Count(path, k => prefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal)));

    private static long Count(string path, Func<string, bool> keep)
    {
        using var file = SafetensorsFile.Open(path);
        return file.Keys.Where(keep).Sum(k => file.Info(k).Numel);
    }
}
