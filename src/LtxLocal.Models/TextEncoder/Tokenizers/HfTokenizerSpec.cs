using System.Text.Json;
using LtxLocal.Models.Checkpoints;

namespace LtxLocal.Models.TextEncoder.Tokenizers;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c> in the form Gemma's releases ship (what transformers' GemmaConverter writes):
/// a BPE model with byte fallback, a normalizer replacing " " by "▁", an optional Split on " " that merges with the
/// previous piece, a Replace/ByteFallback/Fuse(/Strip) decoder. Anything else is refused by name, never ignored.
/// The post_processor is not read: <see cref="GemmaTokenizer"/> adds &lt;bos&gt; itself, as ltx_core does for both families.
/// </summary>
public sealed class HfTokenizerSpec
{
    public required Dictionary<string, int> Vocab { get; init; }
    public required List<(string Left, string Right)> Merges { get; init; }
    public required List<HfAddedToken> AddedTokens { get; init; }
    public string? UnkToken { get; init; }
    public bool FuseUnk { get; init; }
    public bool ByteFallback { get; init; }
    public bool IgnoreMerges { get; init; }
    /// <summary>The normalizer's Replace steps, in order (pattern, content).</summary>
    public required List<(string Pattern, string Content)> Replacements { get; init; }
    /// <summary>The pre-tokenizer's Split pattern (behaviour MergedWithPrevious), or null for none.</summary>
    public string? SplitPattern { get; init; }
    public required List<HfDecodeStep> Decoder { get; init; }

    public static HfTokenizerSpec Parse(ReadOnlySpan<byte> utf8Json, string source)
    {
        using var doc = JsonDocument.Parse(utf8Json.ToArray());
        var root = doc.RootElement;
        var model = root.GetProperty("model");
        var type = model.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type != "BPE") throw Error(source, "model.type", type, "only Gemma's BPE model is supported");
        if (model.TryGetProperty("dropout", out var dropout) && dropout.ValueKind == JsonValueKind.Number && dropout.GetDouble() != 0)
            throw Error(source, "model.dropout", dropout.GetRawText(), "BPE dropout is a training-time option");
        foreach (var affix in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
            if (model.TryGetProperty(affix, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() != "")
                throw Error(source, "model." + affix, v.GetString(), "Gemma's BPE has none");

        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in model.GetProperty("vocab").EnumerateObject()) vocab[entry.Name] = entry.Value.GetInt32();
        var merges = new List<(string, string)>();
        foreach (var merge in model.GetProperty("merges").EnumerateArray()) merges.Add(MergePair(merge, source));

        return new HfTokenizerSpec
        {
            Vocab = vocab,
            Merges = merges,
            AddedTokens = AddedTokensOf(root, source),
            UnkToken = model.TryGetProperty("unk_token", out var unk) && unk.ValueKind == JsonValueKind.String ? unk.GetString() : null,
            FuseUnk = Flag(model, "fuse_unk"),
            ByteFallback = Flag(model, "byte_fallback"),
            IgnoreMerges = Flag(model, "ignore_merges"),
            Replacements = NormalizerOf(root, source),
            SplitPattern = PreTokenizerOf(root, source),
            Decoder = DecoderOf(root, source),
        };
    }

    private static (string, string) MergePair(JsonElement merge, string source)
    {
        if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2)
            return (merge[0].GetString()!, merge[1].GetString()!);
        // The older serialisation: "left right" (pieces never hold a plain space once " " became "▁").
        var text = merge.GetString() ?? "";
        int space = text.IndexOf(' ');
        if (space <= 0 || text.IndexOf(' ', space + 1) >= 0) throw Error(source, "model.merges", text, "expected \"left right\" or [left, right]");
        return (text[..space], text[(space + 1)..]);
    }

    private static List<HfAddedToken> AddedTokensOf(JsonElement root, string source)
    {
        var tokens = new List<HfAddedToken>();
        if (!root.TryGetProperty("added_tokens", out var added) || added.ValueKind != JsonValueKind.Array) return tokens;
        foreach (var token in added.EnumerateArray())
        {
            var content = token.GetProperty("content").GetString()!;
            foreach (var option in new[] { "single_word", "lstrip", "rstrip" })
                if (Flag(token, option))
                    throw Error(source, $"added_tokens[{content}].{option}", "true", "Gemma's added tokens match exactly");
            tokens.Add(new HfAddedToken(token.GetProperty("id").GetInt32(), content, Flag(token, "special"), Flag(token, "normalized")));
        }
        return tokens;
    }

    private static List<(string, string)> NormalizerOf(JsonElement root, string source) =>
        Steps(root, "normalizer", "normalizers", (step, type) => type == "Replace"
            ? (StringPattern(step, "normalizer.Replace", source), step.GetProperty("content").GetString()!)
            : throw Error(source, "normalizer.type", type, "Gemma's tokenizer.json only replaces \" \" by \"▁\""));

    private static string? PreTokenizerOf(JsonElement root, string source)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var step) || step.ValueKind == JsonValueKind.Null) return null;
        var type = step.GetProperty("type").GetString();
        if (type == "Sequence" && step.GetProperty("pretokenizers").GetArrayLength() == 1)
            step = step.GetProperty("pretokenizers")[0];
        type = step.GetProperty("type").GetString();
        if (type != "Split") throw Error(source, "pre_tokenizer.type", type, "Gemma's tokenizer.json uses none or Split");
        var behavior = step.GetProperty("behavior").GetString();
        if (behavior != "MergedWithPrevious") throw Error(source, "pre_tokenizer.behavior", behavior, "Gemma's Split merges with the previous piece");
        if (Flag(step, "invert")) throw Error(source, "pre_tokenizer.invert", "true", "Gemma's Split is not inverted");
        return StringPattern(step, "pre_tokenizer.Split", source);
    }

    private static List<HfDecodeStep> DecoderOf(JsonElement root, string source) =>
        Steps<HfDecodeStep>(root, "decoder", "decoders", (step, type) => type switch
        {
            "Replace" => new HfDecodeStep.Replace(StringPattern(step, "decoder.Replace", source), step.GetProperty("content").GetString()!),
            "ByteFallback" => new HfDecodeStep.ByteFallback(),
            "Fuse" => new HfDecodeStep.Fuse(),
            "Strip" => new HfDecodeStep.Strip(step.GetProperty("content").GetString()!, step.GetProperty("start").GetInt32(), step.GetProperty("stop").GetInt32()),
            _ => throw Error(source, "decoder.type", type, "Gemma's decoder is Replace, ByteFallback, Fuse (and Strip)"),
        });

    /// <summary>
    /// The steps of a pipeline section (normalizer, decoder) in order: none when it is absent or null, a
    /// <c>Sequence</c> flattened (nested ones too) through its <paramref name="listKey"/>, any other step read by <paramref name="read"/>.
    /// </summary>
    private static List<T> Steps<T>(JsonElement root, string section, string listKey, Func<JsonElement, string?, T> read)
    {
        var steps = new List<T>();
        void Add(JsonElement step)
        {
            if (step.ValueKind == JsonValueKind.Null) return;
            var type = step.GetProperty("type").GetString();
            if (type == "Sequence")
                foreach (var inner in step.GetProperty(listKey).EnumerateArray()) Add(inner);
            else
                steps.Add(read(step, type));
        }
        if (root.TryGetProperty(section, out var top)) Add(top);
        return steps;
    }

    /// <summary>A pattern given as {"String": ...}; regex patterns are not what Gemma uses.</summary>
    private static string StringPattern(JsonElement step, string where, string source)
    {
        var pattern = step.GetProperty("pattern");
        if (pattern.TryGetProperty("String", out var text)) return text.GetString()!;
        throw Error(source, where + ".pattern", pattern.GetRawText(), "only plain string patterns are supported");
    }

    private static bool Flag(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static ModelConfigException Error(string source, string key, string? value, string why) =>
        new($"{source}: unsupported tokenizer.json {key} = {value ?? "(missing)"} ({why})");
}
