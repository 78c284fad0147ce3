using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LtxLocal.Models.Checkpoints;

namespace LtxLocal.Models.TextEncoder.Tokenizers;

/// <summary>
/// Writes the tokenizer.json of a Gemma SentencePiece BPE model the way transformers' GemmaConverter does: the
/// pieces as the BPE vocabulary (id = index; a missing "\t" takes over &lt;0x09&gt;), merges for every split of a
/// piece into two pieces ordered by the merged piece's score (then longer left, longer right), unk/control and
/// user-defined pieces as added tokens (control, unk and the turn markers special), " " → "▁" normalization and the
/// Replace/ByteFallback/Fuse decoder. What the tiny Gemma 4 pack embeds, like the real LTX-2.5 pack.
/// </summary>
public static class GemmaTokenizerJsonConverter
{
    private static readonly HashSet<string> SpecialUserPieces = ["<start_of_turn>", "<end_of_turn>"];

    public static byte[] Convert(ReadOnlySpan<byte> sentencePieceModel)
    {
        var proto = SentencePieceModelProto.Parse(sentencePieceModel);
        if (proto.ModelType != 2) throw new ModelConfigException($"SentencePiece model_type {proto.ModelType}: Gemma's is BPE (2)");
        if (proto.AddDummyPrefix) throw new ModelConfigException("SentencePiece add_dummy_prefix is on: Gemma's models have it off");

        var vocab = proto.Pieces.Select(p => (p.Piece, (double)p.Score)).ToList();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < proto.Pieces.Count; i++) ids.TryAdd(proto.Pieces[i].Piece, i);
        // Older Gemma models byte-encode tab; the converter names that byte piece "\t" so a tab is one plain symbol.
        if (!ids.ContainsKey("\t") && ids.TryGetValue("<0x09>", out var tab))
        {
            vocab[tab] = ("\t", 0.0);
            ids["\t"] = tab;
        }

        var output = new MemoryStream();
        using (var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("version", "1.0");
            json.WriteNull("truncation");
            json.WriteNull("padding");
            json.WriteStartArray("added_tokens");
            for (int i = 0; i < proto.Pieces.Count; i++)
            {
                var p = proto.Pieces[i];
                if (p.Type is not (SentencePieceType.Control or SentencePieceType.UserDefined or SentencePieceType.Unknown)) continue;
                json.WriteStartObject();
                json.WriteNumber("id", i);
                json.WriteString("content", p.Piece);
                foreach (var flag in new[] { "single_word", "lstrip", "rstrip", "normalized" }) json.WriteBoolean(flag, false);
                json.WriteBoolean("special", p.Type != SentencePieceType.UserDefined || SpecialUserPieces.Contains(p.Piece));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            WriteRaw(json, "normalizer", """{"type":"Replace","pattern":{"String":" "},"content":"▁"}""");
            WriteRaw(json, "pre_tokenizer", """{"type":"Split","pattern":{"String":" "},"behavior":"MergedWithPrevious","invert":false}""");
            json.WriteNull("post_processor");
            WriteRaw(json, "decoder", """{"type":"Sequence","decoders":[{"type":"Replace","pattern":{"String":"▁"},"content":" "},{"type":"ByteFallback"},{"type":"Fuse"}]}""");
            json.WriteStartObject("model");
            json.WriteString("type", "BPE");
            json.WriteNull("dropout");
            json.WriteString("unk_token", proto.UnkPiece);
            json.WriteNull("continuing_subword_prefix");
            json.WriteNull("end_of_word_suffix");
            json.WriteBoolean("fuse_unk", true);
            json.WriteBoolean("byte_fallback", true);
            json.WriteBoolean("ignore_merges", false);
            json.WriteStartObject("vocab");
            var written = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < vocab.Count; i++)
                if (written.Add(vocab[i].Item1)) json.WriteNumber(vocab[i].Item1, i);
            json.WriteEndObject();
            json.WriteStartArray("merges");
            foreach (var (left, right) in Merges(vocab, ids))
            {
                json.WriteStartArray();
                json.WriteStringValue(left);
                json.WriteStringValue(right);
                json.WriteEndArray();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return output.ToArray();
    }

    /// <summary>Every split of a piece into two known pieces, by the piece's score (highest first), then longer left and right.</summary>
    private static IEnumerable<(string, string)> Merges(List<(string Piece, double Score)> vocab, Dictionary<string, int> ids)
    {
        var merges = new List<(string Left, string Right, double Score, int LeftLength, int RightLength)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (piece, score) in vocab)
        {
            if (!seen.Add(piece)) continue;
            var local = new List<(string, string, double, int, int)>();
            foreach (int cut in CodePointStarts(piece).Skip(1))
            {
                string left = piece[..cut], right = piece[cut..];
                if (ids.ContainsKey(left) && ids.ContainsKey(right))
                    local.Add((left, right, score, CodePoints(left), CodePoints(right)));
            }
            merges.AddRange(local.OrderBy(m => ids[m.Item1]).ThenBy(m => ids[m.Item2]));
        }
        return merges.OrderByDescending(m => m.Score).ThenByDescending(m => m.LeftLength).ThenByDescending(m => m.RightLength)
            .Select(m => (m.Left, m.Right));
    }

    private static IEnumerable<int> CodePointStarts(string text)
    {
        for (int i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1) yield return i;
    }

    private static int CodePoints(string text) => CodePointStarts(text).Count();

    private static void WriteRaw(Utf8JsonWriter json, string name, string rawJson)
    {
        json.WritePropertyName(name);
        json.WriteRawValue(Encoding.UTF8.GetBytes(rawJson));
    }
}
