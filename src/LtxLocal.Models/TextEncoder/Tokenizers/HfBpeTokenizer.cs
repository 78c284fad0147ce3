using System.Text;
using System.Text.Json;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Torch.Text;

namespace LtxLocal.Models.TextEncoder.Tokenizers;

/// <summary>
/// Gemma's tokenizer from a Hugging Face tokenizer.json, in C# (what transformers' fast tokenizer does for Gemma):
/// added tokens are cut out of the raw text first, the rest is normalized (" " → "▁"), pre-split, and BPE-encoded;
/// decoding runs the file's decoder chain. The ids equal those of the SentencePiece model the file was converted from.
/// </summary>
public sealed class HfBpeTokenizer : ITokenizerBackend
{
    private readonly string[] _pieces;
    private readonly Dictionary<string, int> _ids;
    private readonly HashSet<int> _special;
    private readonly AddedTokenMatcher _raw, _normalized;
    private readonly BpeModel _model;
    private readonly HfTokenizerSpec _spec;

    public HfBpeTokenizer(HfTokenizerSpec spec, string source, SpecialTokenNames? names = null)
    {
        _spec = spec;
        _model = new BpeModel(spec, source);
        _ids = new Dictionary<string, int>(spec.Vocab, StringComparer.Ordinal);
        foreach (var token in spec.AddedTokens) _ids[token.Content] = token.Id;
        _pieces = new string[_ids.Values.DefaultIfEmpty(-1).Max() + 1];
        foreach (var (piece, id) in spec.Vocab) _pieces[id] = piece;
        foreach (var token in spec.AddedTokens) _pieces[token.Id] = token.Content;
        _special = spec.AddedTokens.Where(t => t.Special).Select(t => t.Id).ToHashSet();
        _raw = new AddedTokenMatcher(spec.AddedTokens.Where(t => !t.Normalized));
        _normalized = new AddedTokenMatcher(spec.AddedTokens.Where(t => t.Normalized));

        names ??= new SpecialTokenNames();
        UnkId = spec.UnkToken is { } unk ? _ids.GetValueOrDefault(unk, -1) : -1;
        BosId = _ids.GetValueOrDefault(names.Bos, -1);
        EosId = _ids.GetValueOrDefault(names.Eos, -1);
        PadId = _ids.GetValueOrDefault(names.Pad, -1);
    }

    /// <summary>Parses tokenizer.json bytes; <paramref name="source"/> names the file in errors.</summary>
    public static HfBpeTokenizer FromJson(ReadOnlySpan<byte> utf8Json, string source, SpecialTokenNames? names = null) =>
        new(HfTokenizerSpec.Parse(utf8Json, source), source, names);

    /// <summary>Opens a tokenizer.json, with the special-token names of a tokenizer_config.json beside it when there is one.</summary>
    public static HfBpeTokenizer Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"tokenizer.json not found: {path}", path);
        var config = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "tokenizer_config.json");
        var names = File.Exists(config) ? SpecialTokenNames.FromConfig(File.ReadAllBytes(config)) : null;
        return FromJson(File.ReadAllBytes(path), path, names);
    }

    public int VocabSize => _pieces.Length;
    public int UnkId { get; }
    public int BosId { get; }
    public int EosId { get; }
    public int PadId { get; }

    public int[] Encode(string text)
    {
        var ids = new List<int>(text.Length / 2 + 4);
        foreach (var (start, length, id) in _raw.Split(text))
        {
            if (id >= 0) { ids.Add(id); continue; }
            var normalized = Normalize(text.Substring(start, length));
            foreach (var (s, l, normalizedId) in _normalized.Split(normalized))
            {
                if (normalizedId >= 0) ids.Add(normalizedId);
                else EncodeNormalized(normalized.AsSpan(s, l), ids);
            }
        }
        return ids.ToArray();
    }

    public string[] EncodeAsPieces(string text) => Encode(text).Select(IdToPiece).ToArray();

    public string Decode(ReadOnlySpan<int> ids)
    {
        var tokens = new List<string>(ids.Length);
        foreach (var id in ids)
            if (id >= 0 && id < _pieces.Length && _pieces[id] is { } piece) tokens.Add(piece);
        return string.Concat(HfDecoder.Run(_spec.Decoder, tokens));
    }

    public string IdToPiece(int id) => id >= 0 && id < _pieces.Length && _pieces[id] is { } piece ? piece
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"not an id of this tokenizer (vocabulary of {_pieces.Length})");

    public int PieceToId(string piece) => _ids.GetValueOrDefault(piece, UnkId);

    /// <summary>Special added tokens are control pieces (skipped when decoding for display); &lt;0xXX&gt; are bytes.</summary>
    public PieceKind KindOf(int id)
    {
        var piece = IdToPiece(id);
        if (_special.Contains(id)) return PieceKind.Control;
        if (id == UnkId) return PieceKind.Unknown;
        return HfDecoder.ByteOf(piece) is not null ? PieceKind.Byte : PieceKind.Normal;
    }

    public void Dispose() { }

    private string Normalize(string text)
    {
        foreach (var (pattern, content) in _spec.Replacements) text = text.Replace(pattern, content, StringComparison.Ordinal);
        return text;
    }

    /// <summary>The Split pre-tokenizer (each delimiter joins the piece before it), then BPE per piece.</summary>
    private void EncodeNormalized(ReadOnlySpan<char> text, List<int> ids)
    {
        if (_spec.SplitPattern is not { Length: > 0 } delimiter)
        {
            _model.EncodeWord(text, ids);
            return;
        }
        int start = 0;
        bool previousWasDelimiter = false;
        while (start < text.Length)
        {
            int at = text[start..].IndexOf(delimiter, StringComparison.Ordinal);
            if (at == 0 && previousWasDelimiter)
            {
                _model.EncodeWord(text.Slice(start, delimiter.Length), ids); // a delimiter after a delimiter stands alone
                start += delimiter.Length;
                continue;
            }
            int end = at < 0 ? text.Length : start + at + delimiter.Length;
            _model.EncodeWord(text[start..end], ids);
            previousWasDelimiter = at >= 0;
            start = end;
        }
    }
}
