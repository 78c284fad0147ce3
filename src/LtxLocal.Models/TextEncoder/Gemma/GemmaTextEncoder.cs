using LtxLocal.Models.TextEncoder.Connector;
using LtxLocal.Models.TextEncoder.Tokenizers;
using LtxLocal.Torch;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>
/// The LTX text encoder (ltx_core LTXGemmaTextEncoder.encode): tokenize (left padded to 1024, leading bos), run the
/// Gemma text tower once, return every hidden state for the feature extractor. Loads Google's HF folder layout
/// (Gemma 3) or an LTX-2.5 single-file text-encoder pack (Gemma 4, gemma4_unified).
/// </summary>
public sealed class GemmaTextEncoder(IGemmaTextModel model, GemmaTokenizer tokenizer) : IDisposable
{
    /// <summary>The Gemma 3 or Gemma 4 tower.</summary>
    public IGemmaTextModel TextModel { get; } = model;
    public GemmaTokenizer Tokenizer { get; } = tokenizer;

    /// <summary>Opens a Gemma folder (config.json, safetensors shards + index, tokenizer.model or tokenizer.json) or a text-encoder pack file.</summary>
    public static GemmaTextEncoder Load(string path, Device device, DType dtype, int maxLength = GemmaTokenizer.DefaultMaxLength,
        Action<long, long>? progress = null)
    {
        var tokenizer = GemmaTokenizer.Load(path, maxLength);
        try
        {
            return new GemmaTextEncoder(GemmaCheckpoint.LoadTextModel(path, device, dtype, progress), tokenizer);
        }
        catch
        {
            tokenizer.Dispose();
            throw;
        }
    }

    public GemmaEncoding Encode(string prompt)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var device = TextModel.EmbeddingWeight.Device;
        var (ids, mask) = Tokenizer.Tokenize(prompt).ToTensors(device);
        using var output = TextModel.Forward(ids, mask);
        var stacked = EmbeddingsProcessor.Stack(output.HiddenStates!);                                   // [1, T, D, L]
        return new GemmaEncoding(stacked.MoveToOuterScope(), mask.MoveToOuterScope());
    }

    public void Dispose()
    {
        TextModel.Dispose();
        Tokenizer.Dispose();
    }
}
