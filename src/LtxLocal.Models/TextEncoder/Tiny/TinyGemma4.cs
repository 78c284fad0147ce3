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
            SentencePieceTrainer.Train(tokenizerPath, TinyGemma.DefaultCorpus, options.VocabSize);
            tokenizerBytes = File.ReadAllBytes(tokenizerPath);
            using var sp = Torch.Text.SentencePieceProcessor.FromBytes(tokenizerBytes);
            vocab = sp.VocabSize;
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
        ["text_config"] = new JsonObject
        {
            ["model_type"] = "gemma4_unified_text",
            ["hidden_size"] = o.HiddenSize,
            ["intermediate_size"] = o.IntermediateSize,
            ["num_hidden_layers"] = o.Layers,
            ["num_attention_heads"] = o.Heads,
            ["num_key_value_heads"] = o.KeyValueHeads,
            ["head_dim"] = o.HeadDim,
            ["global_head_dim"] = o.GlobalHeadDim,
            ["num_global_key_value_heads"] = o.GlobalKeyValueHeads,
            ["attention_k_eq_v"] = true,
            ["sliding_window"] = o.SlidingWindow,
            ["layer_types"] = new JsonArray(Enumerable.Range(0, o.Layers)
                .Select(i => (JsonNode)(i % 2 == 1 || i == o.Layers - 1 ? "full_attention" : "sliding_attention")).ToArray()),
            ["rope_parameters"] = new JsonObject
            {
                ["sliding_attention"] = new JsonObject { ["rope_type"] = "default", ["rope_theta"] = 10000.0 },
                ["full_attention"] = new JsonObject { ["rope_type"] = "proportional", ["partial_rotary_factor"] = 0.25, ["rope_theta"] = 1000000.0 },
            },
            ["final_logit_softcapping"] = 30.0,
            ["rms_norm_eps"] = 1e-6,
            ["vocab_size"] = vocab,
            ["hidden_activation"] = "gelu_pytorch_tanh",
            ["use_bidirectional_attention"] = "vision",
        },
    };

    private static SortedDictionary<string, Tensor> LanguageModel(TinyGemma4Options o, int vocab)
    {
        using var json = JsonDocument.Parse(ConfigJson(o, vocab).ToJsonString());
        var config = Gemma4Config.FromJson(json.RootElement);
        using var generator = new Generator(o.Seed);
        Tensor Random(long[] shape, double std, double mean = 0) => (Tensor.Randn(shape, generator) * std + mean).To(DType.BFloat16);
        Tensor Linear(long outF, long inF) => Random([outF, inF], 1.0 / Math.Sqrt(inF));
        Tensor Norm(long dim) => Random([dim], 0.25, mean: 1); // Gemma 4 norms multiply by the weight itself

        long d = o.HiddenSize;
        var tensors = new SortedDictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["model.embed_tokens.weight"] = Random([vocab, d], 1.0 / Math.Sqrt(d)),
            ["model.norm.weight"] = Norm(d),
        };
        for (int i = 0; i < o.Layers; i++)
        {
            var l = $"model.layers.{i}.";
            var shape = config.ShapeOf(i);
            long q = (long)o.Heads * shape.HeadDim, kv = (long)shape.NumKeyValueHeads * shape.HeadDim;
            foreach (var norm in new[] { "input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm", "post_feedforward_layernorm" })
                tensors[l + norm + ".weight"] = Norm(d);
            tensors[l + "layer_scalar"] = Random([1], 0.1, mean: 1);
            tensors[l + "self_attn.q_proj.weight"] = Linear(q, d);
            tensors[l + "self_attn.k_proj.weight"] = Linear(kv, d);
            if (config.SlidingLayers[i]) tensors[l + "self_attn.v_proj.weight"] = Linear(kv, d);
            tensors[l + "self_attn.o_proj.weight"] = Linear(d, q);
            tensors[l + "self_attn.q_norm.weight"] = Norm(shape.HeadDim);
            tensors[l + "self_attn.k_norm.weight"] = Norm(shape.HeadDim);
            tensors[l + "mlp.gate_proj.weight"] = Linear(o.IntermediateSize, d);
            tensors[l + "mlp.up_proj.weight"] = Linear(o.IntermediateSize, d);
            tensors[l + "mlp.down_proj.weight"] = Linear(d, o.IntermediateSize);
        }
        return tensors;
    }

    /// <summary>A random V2 feature-extractor projection: all num_layers + 1 hidden states to the video and audio widths.</summary>
    private static Dictionary<string, Tensor> Projection(TinyGemma4Options o)
    {
        using var generator = new Generator(o.Seed + 1);
        long flat = (long)o.HiddenSize * (o.Layers + 1);
        Tensor Random(long[] shape, double std) => (Tensor.Randn(shape, generator) * std).To(DType.BFloat16);
        const string p = EmbeddingsProcessor.ProjectionPrefix;
        return new Dictionary<string, Tensor>
        {
            [p + "video_aggregate_embed.weight"] = Random([o.VideoDim, flat], 1.0 / Math.Sqrt(flat)),
            [p + "video_aggregate_embed.bias"] = Random([o.VideoDim], 0.02),
            [p + "audio_aggregate_embed.weight"] = Random([o.AudioDim, flat], 1.0 / Math.Sqrt(flat)),
            [p + "audio_aggregate_embed.bias"] = Random([o.AudioDim], 0.02),
        };
    }
}
