using LtxLocal.Models.TextEncoder.Gemma;
using LtxLocal.Torch;
using LtxLocal.Torch.Text;

namespace LtxLocal.Models.TextEncoder.Tokenizers;

/// <summary>
/// The LTX Gemma tokenizer (ltx_core LTXGemmaTokenizer): strip the prompt, a leading &lt;bos&gt;, no &lt;eos&gt;,
/// truncate to max_length (1024 in the pipelines), pad on the LEFT with the pad id to exactly max_length. Pad falls
/// back to eos when the model has none, as the reference does. The pieces come from Gemma's SentencePiece model or,
/// where a release ships only that, its Hugging Face tokenizer.json (<see cref="ITokenizerBackend"/>).
/// </summary>
public sealed class GemmaTokenizer : IDisposable
{
    /// <summary>ltx_core TOKENIZER_MAX_LENGTH.</summary>
    public const int DefaultMaxLength = 1024;

    public GemmaTokenizer(ITokenizerBackend backend, int maxLength = DefaultMaxLength, bool padLeft = true)
    {
        if (maxLength <= 0) throw new ArgumentOutOfRangeException(nameof(maxLength), "max length must be positive");
        Processor = backend;
        MaxLength = maxLength;
        PadLeft = padLeft;
        BosId = backend.BosId >= 0 ? backend.BosId : throw new InvalidOperationException("the tokenizer has no <bos>: the encode path requires one");
        PadId = backend.PadId >= 0 ? backend.PadId : backend.EosId;
        if (PadId < 0) throw new InvalidOperationException("the tokenizer has neither a pad nor an eos token");
    }

    public GemmaTokenizer(SentencePieceProcessor processor, int maxLength = DefaultMaxLength, bool padLeft = true)
        : this(new SentencePieceBackend(processor), maxLength, padLeft)
    {
    }

    /// <summary>
    /// Opens Gemma's tokenizer: in a Gemma folder <c>tokenizer.model</c>, else <c>tokenizer.json</c>; a given model or
    /// .json file; for an LTX-2.5 text-encoder pack (.safetensors) its <c>hf_asset__tokenizer.model</c> tensor, else its
    /// <c>tokenizer_json</c> tensor, else a tokenizer.model / tokenizer.json beside it.
    /// </summary>
    public static GemmaTokenizer Load(string path, int maxLength = DefaultMaxLength)
    {
        if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) && File.Exists(path))
            return new GemmaTokenizer(LoadFromPack(path), maxLength);
        if (File.Exists(path))
            return new GemmaTokenizer(path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                ? HfBpeTokenizer.Load(path) : new SentencePieceBackend(SentencePieceProcessor.Load(path)), maxLength);
        if (Directory.Exists(path)) return new GemmaTokenizer(FromFolder(path, path), maxLength);
        throw new FileNotFoundException($"no tokenizer.model or tokenizer.json at {path}", path);
    }

    private static ITokenizerBackend FromFolder(string folder, string what)
    {
        var model = Path.Combine(folder, "tokenizer.model");
        if (File.Exists(model)) return new SentencePieceBackend(SentencePieceProcessor.Load(model));
        var json = Path.Combine(folder, "tokenizer.json");
        if (File.Exists(json)) return HfBpeTokenizer.Load(json);
        throw new FileNotFoundException($"{what} has neither tokenizer.model nor tokenizer.json", model);
    }

    private static ITokenizerBackend LoadFromPack(string packPath)
    {
        const string modelKey = GemmaCheckpoint.PackAssetPrefix + "tokenizer.model";
        const string configKey = GemmaCheckpoint.PackAssetPrefix + "tokenizer_config.json";
        using (var pack = Torch.Safetensors.SafetensorsFile.Open(packPath))
        {
            if (pack.Contains(modelKey)) return new SentencePieceBackend(SentencePieceProcessor.FromBytes(AssetBytes(pack, modelKey)));
            if (pack.Contains(GemmaCheckpoint.PackTokenizerJsonKey))
            {
                // Older packs carry tokenizer_config.json as metadata rather than as an hf_asset__ tensor.
                var config = pack.Contains(configKey) ? AssetBytes(pack, configKey)
                    : pack.Metadata.TryGetValue("tokenizer_config.json", out var text) ? System.Text.Encoding.UTF8.GetBytes(text) : null;
                return HfBpeTokenizer.FromJson(AssetBytes(pack, GemmaCheckpoint.PackTokenizerJsonKey),
                    $"{packPath}:{GemmaCheckpoint.PackTokenizerJsonKey}", config is null ? null : SpecialTokenNames.FromConfig(config));
            }
        }
        var beside = Path.GetDirectoryName(Path.GetFullPath(packPath))!;
        return FromFolder(beside, $"{packPath} (no {modelKey} or {GemmaCheckpoint.PackTokenizerJsonKey} tensor) and its folder");
    }

    private static byte[] AssetBytes(Torch.Safetensors.SafetensorsFile pack, string key)
    {
        using var bytes = pack.Load(key, Device.Cpu);
        return bytes.ToArray<byte>();
    }

    /// <summary>The pieces' tokenizer (SentencePiece or tokenizer.json backend).</summary>
    public ITokenizerBackend Processor { get; }
    public int MaxLength { get; }
    public bool PadLeft { get; }
    public int BosId { get; }
    public int PadId { get; }

    /// <summary>The prompt as the text encoder takes it: [bos] + pieces, truncated, padded to <see cref="MaxLength"/>.</summary>
    public TokenizedPrompt Tokenize(string text)
    {
        var pieces = Processor.Encode(text.Trim());
        int count = Math.Min(pieces.Length + 1, MaxLength);
        var ids = new long[MaxLength];
        var mask = new long[MaxLength];
        int start = PadLeft ? MaxLength - count : 0;
        Array.Fill(ids, PadId);
        ids[start] = BosId;
        for (int i = 1; i < count; i++) ids[start + i] = pieces[i - 1];
        Array.Fill(mask, 1L, start, count);
        return new TokenizedPrompt(ids, mask);
    }

    /// <summary>Text of generated ids, control tokens (bos/eos/pad, chat markers that are control pieces) skipped.</summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecial = true) =>
        Processor.Decode(ids.Where(id => !skipSpecial || Processor.KindOf(id) != PieceKind.Control).ToArray());

    public void Dispose() => Processor.Dispose();
}
