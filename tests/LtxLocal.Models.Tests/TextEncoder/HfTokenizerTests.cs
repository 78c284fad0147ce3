using System.Text;
using System.Text.Json.Nodes;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.TextEncoder.Tiny;
using LtxLocal.Models.TextEncoder.Tokenizers;
using LtxLocal.Torch.Text;

namespace LtxLocal.Models.Tests.TextEncoder;

/// <summary>
/// The tokenizer.json backend against Debian's spm_encode and libsentencepiece on the same model: the tiny
/// SentencePiece BPE model is converted to tokenizer.json as transformers' GemmaConverter does, then both must give
/// identical ids (and pieces) on Unicode, emoji, CJK, very long text, byte-fallback characters, whitespace runs and
/// turn markers.
/// </summary>
[Trait("Component", "tokenizer")]
public sealed class HfTokenizerTests : IClassFixture<TinySpmModel>, IDisposable
{
    private readonly TinySpmModel _model;
    private readonly byte[] _json;
    private readonly HfBpeTokenizer _hf;
    private readonly SentencePieceProcessor _spm;

    public HfTokenizerTests(TinySpmModel model)
    {
        _model = model;
        _json = GemmaTokenizerJsonConverter.Convert(File.ReadAllBytes(model.Path));
        _hf = HfBpeTokenizer.FromJson(_json, "tiny tokenizer.json");
        _spm = SentencePieceProcessor.Load(model.Path);
    }

    public void Dispose() => _spm.Dispose();

    private static string LongText() => string.Concat(Enumerable.Range(0, 150).Select(i =>
        $"Shot {i}: a slow dolly follows a cyclist 🚲 through misty streets, 東京の夜景 and Кот on a roof.  "));

    public static IEnumerable<object[]> Prompts() => GemmaTokenizerTests.Prompts().Select(p => p[0]).Cast<string>()
        .Concat([
            LongText(),
            "whitespace   runs \t\t and    more     ",
            "bytes outside the vocabulary: ẞ ǅ ꙮ 𓀀 🦩 ⅶ and a lone 〄",
            "<start_of_turn>model\nA calm lake<end_of_turn><start_of_turn>user",
            "", " ", "▁already▁marked",
        ]).Select(p => new object[] { p });

    [Theory]
    [MemberData(nameof(Prompts))]
    public void Ids_equal_spm_encode_and_the_sentencepiece_backend(string prompt)
    {
        Assert.Equal(_spm.Encode(prompt), _hf.Encode(prompt));
        // GemmaConverter names the tab byte piece "\t" when the model has no tab piece (same id).
        Assert.Equal(_spm.EncodeAsPieces(prompt).Select(p => p == "<0x09>" ? "\t" : p), _hf.EncodeAsPieces(prompt));

        // spm_encode reads lines: compare it on the single-line form.
        var line = prompt.Replace('\n', ' ');
        if (line.Length == 0) return;
        var expected = SentencePieceTrainer.RunWithInput("spm_encode", line + "\n", $"--model={_model.Path}", "--output_format=id")
            .TrimEnd('\n').Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
        Assert.Equal(expected, _hf.Encode(line));
    }

    [Fact]
    public void Decode_equals_sentencepiece_and_round_trips()
    {
        foreach (var prompt in Prompts().Select(p => (string)p[0]))
        {
            var ids = _spm.Encode(prompt);
            Assert.Equal(_spm.Decode(ids), _hf.Decode(ids));
            if (!prompt.Contains('▁')) Assert.Equal(prompt, _hf.Decode(_hf.Encode(prompt))); // "▁" decodes to " " in both
        }
        // Bytes that are not valid UTF-8 decode to one U+FFFD each, as tokenizers' ByteFallback does.
        Assert.Equal("a\uFFFD\uFFFD", _hf.Decode([_hf.PieceToId("a"), _hf.PieceToId("<0xE6>"), _hf.PieceToId("<0x9D>")]));
    }

    [Fact]
    public void Special_ids_and_kinds_follow_the_gemma_layout()
    {
        Assert.Equal((0, 1, 2, 3), (_hf.PadId, _hf.EosId, _hf.BosId, _hf.UnkId));
        Assert.Equal(_spm.VocabSize, _hf.VocabSize);
        Assert.Equal(PieceKind.Control, _hf.KindOf(_hf.BosId));
        Assert.Equal(PieceKind.Control, _hf.KindOf(_hf.PieceToId("<start_of_turn>"))); // GemmaConverter marks the turn markers special
        Assert.Equal(PieceKind.Byte, _hf.KindOf(_hf.PieceToId("<0xF0>")));
        Assert.Equal(PieceKind.Normal, _hf.KindOf(_hf.PieceToId("▁the")));
        Assert.Equal(_hf.UnkId, _hf.PieceToId("no such piece"));
    }

    [Fact]
    public void The_protobuf_reader_sees_the_pieces_libsentencepiece_sees()
    {
        var proto = SentencePieceModelProto.Parse(File.ReadAllBytes(_model.Path));
        Assert.Equal(_spm.VocabSize, proto.Pieces.Count);
        Assert.Equal((2, true, "<unk>", false), (proto.ModelType, proto.ByteFallback, proto.UnkPiece, proto.AddDummyPrefix));
        for (int id = 0; id < proto.Pieces.Count; id++)
        {
            Assert.Equal(_spm.IdToPiece(id), proto.Pieces[id].Piece);
            var expected = _spm.KindOf(id) switch
            {
                PieceKind.Control => SentencePieceType.Control,
                PieceKind.Unknown => SentencePieceType.Unknown,
                PieceKind.Byte => SentencePieceType.Byte,
                PieceKind.Unused => SentencePieceType.Unused,
                _ => proto.Pieces[id].Piece is "<start_of_turn>" or "<end_of_turn>" ? SentencePieceType.UserDefined : SentencePieceType.Normal,
            };
            Assert.Equal(expected, proto.Pieces[id].Type);
        }
    }

    [Fact]
    public void Gemma_tokenizer_gives_the_same_padded_ids_with_either_backend()
    {
        using var sp = new GemmaTokenizer(SentencePieceProcessor.Load(_model.Path), maxLength: 48);
        using var hf = new GemmaTokenizer(_hf, maxLength: 48);
        foreach (var prompt in new[] { "  A red fox jumps.  ", LongText(), "   ", "<start_of_turn>user\nhi<end_of_turn>" })
        {
            var (a, b) = (sp.Tokenize(prompt), hf.Tokenize(prompt));
            Assert.Equal(a.Ids, b.Ids);
            Assert.Equal(a.Mask, b.Mask);
        }
        var generated = sp.Processor.Encode("<start_of_turn>A calm lake.<end_of_turn>");
        Assert.Equal("A calm lake.", hf.Decode(generated));
    }

    [Fact]
    public void Load_prefers_tokenizer_model_and_falls_back_to_tokenizer_json()
    {
        var folder = Directory.CreateTempSubdirectory("ltx-hftok-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(folder, "tokenizer.json"), _json);
            using (var onlyJson = GemmaTokenizer.Load(folder))
            {
                Assert.IsType<HfBpeTokenizer>(onlyJson.Processor);
                Assert.Equal(_spm.Encode("A red fox"), onlyJson.Processor.Encode("A red fox"));
            }
            File.Copy(_model.Path, Path.Combine(folder, "tokenizer.model"));
            using var both = GemmaTokenizer.Load(folder);
            Assert.IsType<SentencePieceBackend>(both.Processor);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_pack_with_tokenizer_json_loads_and_encodes_like_its_sentencepiece_model()
    {
        var folder = Directory.CreateTempSubdirectory("ltx-hftok-pack-").FullName;
        try
        {
            var jsonPack = Path.Combine(folder, "json", "te.safetensors");
            var modelPack = Path.Combine(folder, "model", "te.safetensors");
            TinyGemma4.CreatePack(jsonPack);
            TinyGemma4.CreatePack(modelPack, new TinyGemma4Options(EmbedSentencePieceModel: true));
            using var fromJson = GemmaTokenizer.Load(jsonPack, maxLength: 64);
            using var fromModel = GemmaTokenizer.Load(modelPack, maxLength: 64);
            Assert.IsType<HfBpeTokenizer>(fromJson.Processor);
            Assert.IsType<SentencePieceBackend>(fromModel.Processor);
            foreach (var prompt in TinyGemma.DefaultCorpus.Append("ünïcödé 🎆 and 𝔘𝔫𝔦"))
                Assert.Equal(fromModel.Tokenize(prompt).Ids, fromJson.Tokenize(prompt).Ids);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("model", "type", "\"Unigram\"", "model.type")]
    [InlineData("normalizer", null, """{"type": "NFKC"}""", "normalizer.type")]
    [InlineData("pre_tokenizer", null, """{"type": "Metaspace", "replacement": "▁"}""", "pre_tokenizer.type")]
    [InlineData("pre_tokenizer", null, """{"type": "Split", "pattern": {"String": " "}, "behavior": "Isolated", "invert": false}""", "pre_tokenizer.behavior")]
    [InlineData("pre_tokenizer", null, """{"type": "Split", "pattern": {"Regex": "\\s+"}, "behavior": "MergedWithPrevious", "invert": false}""", "pattern")]
    [InlineData("decoder", null, """{"type": "ByteLevel"}""", "decoder.type")]
    [InlineData("model", "continuing_subword_prefix", "\"##\"", "continuing_subword_prefix")]
    [InlineData("model", "dropout", "0.1", "dropout")]
    public void Unsupported_tokenizer_json_is_a_clear_error(string section, string? key, string value, string named)
    {
        var root = JsonNode.Parse(_json)!.AsObject();
        if (key is null) root[section] = JsonNode.Parse(value);
        else root[section]![key] = JsonNode.Parse(value);
        var e = Assert.Throws<ModelConfigException>(() => HfBpeTokenizer.FromJson(Encoding.UTF8.GetBytes(root.ToJsonString()), "test.json"));
        Assert.Contains(named, e.Message);
        Assert.Contains("test.json", e.Message);
    }

    [Fact]
    public void Added_tokens_with_strip_options_are_refused()
    {
        var root = JsonNode.Parse(_json)!.AsObject();
        root["added_tokens"]![0]!["lstrip"] = true;
        var e = Assert.Throws<ModelConfigException>(() => HfBpeTokenizer.FromJson(Encoding.UTF8.GetBytes(root.ToJsonString()), "test.json"));
        Assert.Contains("lstrip", e.Message);
    }

    [Fact]
    public void Legacy_string_merges_and_a_sequence_normalizer_read_the_same()
    {
        var root = JsonNode.Parse(_json)!.AsObject();
        var merges = root["model"]!["merges"]!.AsArray();
        root["model"]!["merges"] = new JsonArray(merges.Select(m => (JsonNode)JsonValue.Create($"{m![0]} {m[1]}")).ToArray());
        root["normalizer"] = new JsonObject { ["type"] = "Sequence", ["normalizers"] = new JsonArray(root["normalizer"]!.DeepClone()) };
        var legacy = HfBpeTokenizer.FromJson(Encoding.UTF8.GetBytes(root.ToJsonString()), "legacy.json");
        var text = LongText();
        Assert.Equal(_hf.Encode(text), legacy.Encode(text));
    }
}
