using System.Text.Json;
using System.Text.Json.Nodes;
using LtxLocal.Models.TextEncoder.Connector;
using LtxLocal.Models.TextEncoder.Gemma;
using LtxLocal.Models.TextEncoder.Tokenizers;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Models.TextEncoder.Tiny;

/// <summary>
/// Writes a tiny random LTX-2.5 text-encoder pack (ltx_core gemma_assets): one safetensors file with the Hugging Face
/// config under the <c>gemma_config</c> metadata key, the language model flattened to <c>model.*</c> (Comfy layout),
/// the feature extractor's <c>text_embedding_projection.*</c>, and like the real pack the tokenizer as Hugging Face
/// tokenizer.json bytes in the uint8 tensor <c>tokenizer_json</c> (converted from a tiny SentencePiece model) with
/// <c>hf_asset__tokenizer_config.json</c>; or, with <see cref="TinyGemma4Options.EmbedSentencePieceModel"/>, the
/// SentencePiece model itself as <c>hf_asset__tokenizer.model</c>.
/// </summary>
public static class TinyGemma4
{
    public static void CreatePack(string path, TinyGemma4Options? options = null, IReadOnlyDictionary<string, Tensor>? projection = null)
    {
        options ??= new TinyGemma4Options();
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var tokenizerPath = Path.Combine(directory, $".{Path.GetFileName(path)}.tokenizer.model");
        byte[] tokenizerBytes;
        int vocab;
        try
        {
            (tokenizerBytes, vocab) = TinyTokenizer.Train(tokenizerPath, options.VocabSize);
        }
        finally
        {
            File.Delete(tokenizerPath);
        }

        using var scope = TorchRuntime.NewDisposeScope();
        var tensors = LanguageModel(options, vocab);
        foreach (var (key, value) in projection ?? Projection(options)) tensors[key] = value;
        foreach (var (key, bytes) in TokenizerAssets(tokenizerBytes, options.EmbedSentencePieceModel)) tensors[key] = Tensor.From(bytes, bytes.Length);
        var config = ConfigJson(options, vocab).ToJsonString();
        SafetensorsWriter.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt", [GemmaCheckpoint.PackConfigKey] = config });
    }

    private static Dictionary<string, byte[]> TokenizerAssets(byte[] sentencePieceModel, bool embedModel)
    {
        if (embedModel) return new() { [GemmaCheckpoint.PackAssetPrefix + "tokenizer.model"] = sentencePieceModel };
        var config = """{"bos_token": "<bos>", "eos_token": "<eos>", "pad_token": "<pad>", "unk_token": "<unk>", "padding_side": "left"}""";
        return new()
        {
            [GemmaCheckpoint.PackTokenizerJsonKey] = GemmaTokenizerJsonConverter.Convert(sentencePieceModel),
            [GemmaCheckpoint.PackAssetPrefix + "tokenizer_config.json"] = System.Text.Encoding.UTF8.GetBytes(config),
        };
    }

    /// <summary>Layer kinds alternate sliding/full, the last one full (as transformers forces).</summary>
    private static JsonObject ConfigJson(TinyGemma4Options o, int vocab) => new()
    {
        ["architectures"] = new JsonArray("Gemma4UnifiedForConditionalGeneration"),
        ["model_type"] = "gemma4_unified",
        ["gemma_version"] = o.GemmaVersion,
        ["eos_token_id"] = new JsonArray(1),
        ["torch_dtype"] = "bfloat16",
        ["text_config"] = Text(o, vocab),
    };

    private static JsonObject Text(TinyGemma4Options o, int vocab)
    {
        var text = TinyGemmaWeights.TextConfig("gemma4_unified_text", o.HiddenSize, o.IntermediateSize, o.Layers, o.Heads, o.KeyValueHeads,
            o.HeadDim, o.SlidingWindow, vocab);
        text["global_head_dim"] = o.GlobalHeadDim;
        text["num_global_key_value_heads"] = o.GlobalKeyValueHeads;
        text["attention_k_eq_v"] = true;
        text["layer_types"] = new JsonArray(Enumerable.Range(0, o.Layers)
            .Select(i => (JsonNode)(i % 2 == 1 || i == o.Layers - 1 ? "full_attention" : "sliding_attention")).ToArray());
        text["rope_parameters"] = new JsonObject
        {
            ["sliding_attention"] = new JsonObject { ["rope_type"] = "default", ["rope_theta"] = 10000.0 },
            ["full_attention"] = new JsonObject { ["rope_type"] = "proportional", ["partial_rotary_factor"] = 0.25, ["rope_theta"] = 1000000.0 },
        };
        text["final_logit_softcapping"] = 30.0;
        text["use_bidirectional_attention"] = "vision";
        return text;
    }

    private static SortedDictionary<string, Tensor> LanguageModel(TinyGemma4Options o, int vocab)
    {
        using var json = JsonDocument.Parse(ConfigJson(o, vocab).ToJsonString());
        var config = Gemma4Config.FromJson(json.RootElement);
        using var generator = new Generator(o.Seed);
        var draw = new TinyGemmaWeights(generator, normMean: 1); // Gemma 4 norms multiply by the weight itself

        var tensors = new SortedDictionary<string, Tensor>(StringComparer.Ordinal);
        draw.AddEmbeddingAndNorm(tensors, "model.", vocab, o.HiddenSize);
        for (int i = 0; i < o.Layers; i++)
            draw.AddLayer(tensors, $"model.layers.{i}.", o.HiddenSize, o.IntermediateSize, o.Heads, config.ShapeOf(i).HeadDim,
                config.ShapeOf(i).NumKeyValueHeads, valueProjection: config.Tower.SlidingLayers[i], layerScalar: true);
        return tensors;
    }

    /// <summary>A random V2 feature-extractor projection: all num_layers + 1 hidden states to the video and audio widths.</summary>
    private static Dictionary<string, Tensor> Projection(TinyGemma4Options o)
    {
        using var generator = new Generator(o.Seed + 1);
        long flat = (long)o.HiddenSize * (o.Layers + 1);
        var draw = new TinyGemmaWeights(generator, normMean: 0);
        const string p = EmbeddingsProcessor.ProjectionPrefix;
        return new Dictionary<string, Tensor>
        {
            [p + "video_aggregate_embed.weight"] = draw.Random([o.VideoDim, flat], 1.0 / Math.Sqrt(flat)),
            [p + "video_aggregate_embed.bias"] = draw.Random([o.VideoDim], 0.02),
            [p + "audio_aggregate_embed.weight"] = draw.Random([o.AudioDim, flat], 1.0 / Math.Sqrt(flat)),
            [p + "audio_aggregate_embed.bias"] = draw.Random([o.AudioDim], 0.02),
        };
    }
}
