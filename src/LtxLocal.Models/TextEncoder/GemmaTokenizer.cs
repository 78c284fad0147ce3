using LtxLocal.Torch;
using LtxLocal.Torch.Text;

namespace LtxLocal.Models.TextEncoder;

/// <summary>Token ids [1, max_length] (int64) and the attention mask [1, max_length] (int64, 1 = token).</summary>
public sealed record TokenizedPrompt(long[] Ids, long[] Mask)
{
    public int Length => Ids.Length;
    public int ValidCount => Mask.Count(m => m != 0);

    public (Tensor Ids, Tensor Mask) ToTensors(Device device) =>
        (Tensor.From(Ids, 1, Ids.Length).To(device), Tensor.From(Mask, 1, Mask.Length).To(device));
}

/// <summary>
/// The LTX Gemma tokenizer (ltx_core LTXGemmaTokenizer over Gemma's SentencePiece model): strip the prompt, a leading
/// &lt;bos&gt;, no &lt;eos&gt;, truncate to max_length (1024 in the pipelines), pad on the LEFT with the pad id to exactly
/// max_length. Pad falls back to eos when the model has none, as the reference does.
/// </summary>
public sealed class GemmaTokenizer : IDisposable
{
    /// <summary>ltx_core TOKENIZER_MAX_LENGTH.</summary>
    public const int DefaultMaxLength = 1024;

    public GemmaTokenizer(SentencePieceProcessor processor, int maxLength = DefaultMaxLength, bool padLeft = true)
    {
        if (maxLength <= 0) throw new ArgumentOutOfRangeException(nameof(maxLength), "max length must be positive");
        Processor = processor;
        MaxLength = maxLength;
        PadLeft = padLeft;
        BosId = processor.BosId >= 0 ? processor.BosId : throw new InvalidOperationException("the tokenizer has no <bos>: the encode path requires one");
        PadId = processor.PadId >= 0 ? processor.PadId : processor.EosId;
        if (PadId < 0) throw new InvalidOperationException("the tokenizer has neither a pad nor an eos token");
    }

    /// <summary>
    /// Opens Gemma's SentencePiece model: <c>tokenizer.model</c> in a Gemma folder, the given model file, or for an
    /// LTX-2.5 text-encoder pack (.safetensors) its <c>hf_asset__tokenizer.model</c> tensor or a tokenizer.model beside it.
    /// </summary>
    public static GemmaTokenizer Load(string path, int maxLength = DefaultMaxLength)
    {
        if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) && File.Exists(path))
            return new GemmaTokenizer(LoadFromPack(path), maxLength);
        var file = Directory.Exists(path) ? Path.Combine(path, "tokenizer.model") : path;
        if (!File.Exists(file))
        {
            var json = Directory.Exists(path) ? Path.Combine(path, "tokenizer.json") : null;
            throw new FileNotFoundException(json is not null && File.Exists(json)
                ? $"{path} has only tokenizer.json; this build reads Gemma's SentencePiece tokenizer.model (put it next to the weights)"
                : $"no tokenizer.model at {file}", file);
        }
        return new GemmaTokenizer(SentencePieceProcessor.Load(file), maxLength);
    }

    private static SentencePieceProcessor LoadFromPack(string packPath)
    {
        const string assetKey = GemmaCheckpoint.PackAssetPrefix + "tokenizer.model";
        using (var pack = Torch.Safetensors.SafetensorsFile.Open(packPath))
            if (pack.Contains(assetKey))
            {
                using var bytes = pack.Load(assetKey, Device.Cpu);
                return SentencePieceProcessor.FromBytes(bytes.ToArray<byte>());
            }
        var beside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(packPath))!, "tokenizer.model");
        if (File.Exists(beside)) return SentencePieceProcessor.Load(beside);
        throw new FileNotFoundException(
            $"{packPath} carries its tokenizer only as Hugging Face tokenizer_json, which this build does not read; put Gemma's " +
            $"SentencePiece tokenizer.model next to it ({beside}) or embed it as the {assetKey} tensor", beside);
    }

    public SentencePieceProcessor Processor { get; }
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
