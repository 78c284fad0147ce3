using System.Text.Json;
using System.Text.Json.Nodes;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Models.TextEncoder.Tiny;

/// <summary>
/// Writes a tiny random Gemma 3 text encoder in Google's Hugging Face layout: <c>config.json</c> (multimodal form, nested
/// text_config), <c>model-0000i-of-0000n.safetensors</c> shards (bf16, <c>language_model.model.*</c>),
/// <c>model.safetensors.index.json</c> and a <c>tokenizer.model</c> trained with spm_train. What `models create-tiny` uses.
/// </summary>
public static class TinyGemma
{
    /// <summary>Text the tiny tokenizer is trained on: prompts in several scripts, emoji, chat markers.</summary>
    public static readonly string[] DefaultCorpus =
    [
        "A cinematic shot of a red fox running through a snowy forest at dawn.",
        "The camera slowly pushes in on a woman reading by the window while rain falls outside.",
        "Waves crash against black volcanic rocks under a stormy sky, slow motion.",
        "A busy night market with lanterns, steam rising from food stalls, people walking.",
        "Close-up of a hummingbird hovering near a bright orange flower, shallow depth of field.",
        "Un chat noir traverse une rue pavée sous la pluie.",
        "Ein alter Zug fährt durch die Berge, Nebel hängt über den Tälern.",
        "夕暮れの海辺を歩く犬、カメラは横から追いかける。",
        "Fireworks 🎆 over the city skyline 🌃, crowds cheering 🎉.",
        "<start_of_turn>user\nDescribe the scene.<end_of_turn>\n<start_of_turn>model\n",
    ];

    public static void Create(string directory, TinyGemmaOptions? options = null)
    {
        options ??= new TinyGemmaOptions();
        Directory.CreateDirectory(directory);
        var tokenizerPath = Path.Combine(directory, "tokenizer.model");
        var (_, vocab) = TinyTokenizer.Train(tokenizerPath, options.VocabSize);

        var config = ConfigJson(options, vocab);
        File.WriteAllText(Path.Combine(directory, "config.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        WriteWeights(directory, options, vocab, headerOnly: false);
    }

    /// <summary>
    /// A Gemma 3 folder at the sizes of <paramref name="config"/> (a Hugging Face config.json, written as is) whose
    /// weights are header-only, drawn on load with <paramref name="seed"/> (<see cref="RandomWeights"/>); its tokenizer
    /// is a tokenizer.json of byte pieces (<see cref="ByteFallbackTokenizer"/>: no libsentencepiece needed), whose ids
    /// all fall inside the config's vocabulary.
    /// </summary>
    /// <returns>the tower's sizes as the encoder reads them</returns>
    public static Gemma.GemmaTowerShape CreateHeaderOnly(string directory, JsonObject config, ulong seed)
    {
        Directory.CreateDirectory(directory);
        // Read as the encoder will read it (keys the release leaves out take transformers' defaults).
        using var document = JsonDocument.Parse(config.ToJsonString());
        var gemma = Gemma.Gemma3Config.FromJson(document.RootElement);
        var tower = gemma.Tower;
        if (tower.VocabSize < ByteFallbackTokenizer.VocabSize)
            throw new ArgumentException($"vocab_size {tower.VocabSize}: a random-weight Gemma needs at least {ByteFallbackTokenizer.VocabSize}");
        File.WriteAllBytes(Path.Combine(directory, "tokenizer.json"), ByteFallbackTokenizer.TokenizerJson());
        File.WriteAllText(Path.Combine(directory, "config.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var sizes = new TinyGemmaOptions(tower.HiddenSize, tower.IntermediateSize, tower.NumLayers, gemma.NumHeads, gemma.NumKeyValueHeads,
            gemma.HeadDim, Shards: 1, Seed: seed);
        WriteWeights(directory, sizes, tower.VocabSize, headerOnly: true);
        return tower;
    }

    /// <summary>The config.json of a tiny Gemma 3 with <paramref name="o"/>'s sizes and <paramref name="vocab"/> tokens.</summary>
    public static JsonObject ConfigJson(TinyGemmaOptions o, int vocab) => new()
    {
        ["architectures"] = new JsonArray("Gemma3ForConditionalGeneration"),
        ["model_type"] = "gemma3",
        ["eos_token_id"] = new JsonArray(1),
        ["torch_dtype"] = "bfloat16",
        ["text_config"] = Text(o, vocab),
    };

    private static JsonObject Text(TinyGemmaOptions o, int vocab)
    {
        var text = TinyGemmaWeights.TextConfig("gemma3_text", o.HiddenSize, o.IntermediateSize, o.Layers, o.Heads, o.KeyValueHeads, o.HeadDim,
            o.SlidingWindow, vocab);
        text["query_pre_attn_scalar"] = o.HeadDim;
        text["sliding_window_pattern"] = o.SlidingWindowPattern;
        text["rope_theta"] = 1000000.0;
        text["rope_local_base_freq"] = 10000.0;
        text["rope_scaling"] = new JsonObject { ["factor"] = 8.0, ["rope_type"] = "linear" };
        return text;
    }

    private static void WriteWeights(string directory, TinyGemmaOptions o, int vocab, bool headerOnly)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var generator = new Generator(o.Seed);
        var draw = new TinyGemmaWeights(headerOnly ? null : generator, normMean: 0); // Gemma 3 norms: gain 1 + w
        var metadata = new Dictionary<string, string> { ["format"] = "pt" };
        if (headerOnly) metadata.Add(RandomWeights.Marker(o.Seed).Key, RandomWeights.Marker(o.Seed).Value);

        const string prefix = "language_model.model.";
        var tensors = new SortedDictionary<string, Tensor>(StringComparer.Ordinal);
        draw.AddEmbeddingAndNorm(tensors, prefix, vocab, o.HiddenSize);
        for (int i = 0; i < o.Layers; i++)
            draw.AddLayer(tensors, $"{prefix}layers.{i}.", o.HiddenSize, o.IntermediateSize, o.Heads, o.HeadDim, o.KeyValueHeads,
                valueProjection: true, layerScalar: false);

        // Shards split by layer ranges, named and indexed as Hugging Face does.
        int shards = Math.Max(1, o.Shards);
        var keys = tensors.Keys.ToList();
        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (int s = 0; s < shards; s++)
        {
            var name = $"model-{s + 1:D5}-of-{shards:D5}.safetensors";
            var part = keys.Where((_, index) => index * shards / keys.Count == s).ToDictionary(k => k, k => tensors[k]);
            SafetensorsWriter.Write(Path.Combine(directory, name), part, metadata);
            foreach (var k in part.Keys) weightMap[k] = name;
        }
        long totalBytes = tensors.Values.Sum(t => t.Numel * t.ElementSize);
        SafetensorsWriter.WriteIndex(Path.Combine(directory, "model.safetensors.index.json"), weightMap,
            new Dictionary<string, string> { ["total_size"] = totalBytes.ToString() });
    }
}
