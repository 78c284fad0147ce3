using System.Text.Json;
using LtxLocal.Torch.Text;

namespace LtxLocal.Models.TextEncoder.Tokenizers;

/// <summary>Which pieces are bos/eos/pad (tokenizer_config.json's bos_token, eos_token, pad_token); Gemma's by default.</summary>
public sealed record SpecialTokenNames(string Bos = "<bos>", string Eos = "<eos>", string Pad = "<pad>")
{
    /// <summary>The names a tokenizer_config.json gives (a string or an {"content": ...} object each), Gemma's where absent.</summary>
    public static SpecialTokenNames FromConfig(ReadOnlySpan<byte> tokenizerConfigJson)
    {
        using var doc = JsonDocument.Parse(tokenizerConfigJson.ToArray());
        var defaults = new SpecialTokenNames();
        string Name(string key, string fallback) =>
            !doc.RootElement.TryGetProperty(key, out var v) ? fallback
            : v.ValueKind == JsonValueKind.String ? v.GetString()!
            : v.ValueKind == JsonValueKind.Object && v.TryGetProperty("content", out var c) ? c.GetString()! : fallback;
        return new SpecialTokenNames(Name("bos_token", defaults.Bos), Name("eos_token", defaults.Eos), Name("pad_token", defaults.Pad));
    }
}
