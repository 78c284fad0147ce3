using LtxLocal.Torch;

namespace LtxLocal.Models.TextEncoder;

/// <summary>Gemma's view of one prompt: all hidden states stacked [1, T, D, L] and the attention mask [1, T].</summary>
public sealed record GemmaEncoding(Tensor HiddenStates, Tensor AttentionMask) : IDisposable
{
    public void Dispose()
    {
        HiddenStates.Dispose();
        AttentionMask.Dispose();
    }
}

/// <summary>
/// The LTX text encoder (ltx_core LTXGemmaTextEncoder.encode): tokenize (left padded to 1024, leading bos), run the
/// Gemma 3 text tower once, return every hidden state for the feature extractor. Loads Google's HF folder layout.
/// </summary>
public sealed class GemmaTextEncoder : IDisposable
{
    public GemmaTextEncoder(Gemma3TextModel model, GemmaTokenizer tokenizer)
    {
        Model = model;
        Tokenizer = tokenizer;
    }

    public Gemma3TextModel Model { get; }
    public GemmaTokenizer Tokenizer { get; }

    /// <summary>Opens a Gemma folder (config.json, safetensors shards + index, tokenizer.model).</summary>
    public static GemmaTextEncoder Load(string folder, Device device, DType dtype, int maxLength = GemmaTokenizer.DefaultMaxLength,
        Action<long, long>? progress = null)
    {
        using var configJson = GemmaCheckpoint.ReadConfig(folder);
        var config = Gemma3Config.FromJson(configJson.RootElement);
        var tokenizer = GemmaTokenizer.Load(folder, maxLength);
        var weights = GemmaCheckpoint.OpenWeights(folder);
        try
        {
            var model = GemmaCheckpoint.Load(o => new Gemma3TextModel(config, o), weights, device, dtype, progress);
            return new GemmaTextEncoder(model, tokenizer);
        }
        finally
        {
            (weights as IDisposable)?.Dispose();
        }
    }

    public GemmaEncoding Encode(string prompt)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var device = Model.EmbeddingWeight.Device;
        var (ids, mask) = Tokenizer.Tokenize(prompt).ToTensors(device);
        using var output = Model.Forward(ids, mask);
        var stacked = EmbeddingsProcessor.Stack(output.HiddenStates!);                                   // [1, T, D, L]
        return new GemmaEncoding(stacked.MoveToOuterScope(), mask.MoveToOuterScope());
    }

    public void Dispose()
    {
        Model.Dispose();
        Tokenizer.Dispose();
    }
}
