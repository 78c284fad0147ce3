using LtxLocal.Models.TextEncoder;
using LtxLocal.Models.TextEncoder.Tokenizers;
using LtxLocal.Torch.Text;
using Microsoft.ML.Tokenizers;

namespace LtxLocal.Models.Tests.TextEncoder;

/// <summary>
/// Issue 15: does Microsoft.ML.Tokenizers give the ids of spm_encode / libsentencepiece on the tokenizer corpus, from
/// the SentencePiece model and from the tokenizer.json converted from it? (The other tokenizer tests tie
/// libsentencepiece to spm_encode, so it stands for spm_encode here, including on multi-line prompts.)
/// </summary>
[Trait("Component", "tokenizer")]
public sealed class MlTokenizersEvaluationTests(TinySpmModel model) : IClassFixture<TinySpmModel>
{
    public static IEnumerable<object[]> Prompts() => HfTokenizerTests.Prompts();

    /// <summary>The model's user-defined pieces (Gemma's turn markers and the like) by id.</summary>
    private Dictionary<string, int> UserDefinedPieces() => SentencePieceModelProto.Parse(File.ReadAllBytes(model.Path)).Pieces
        .Select((p, id) => (p, id)).Where(x => x.p.Type == SentencePieceType.UserDefined).ToDictionary(x => x.p.Piece, x => x.id);

    private SentencePieceTokenizer FromModel(IReadOnlyDictionary<string, int>? special)
    {
        using var stream = File.OpenRead(model.Path);
        return SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false, specialTokens: special);
    }

    [Theory]
    [MemberData(nameof(Prompts))]
    public void From_the_sentencepiece_model_with_its_user_defined_pieces_the_ids_are_the_same(string prompt)
    {
        using var spm = SentencePieceProcessor.Load(model.Path);
        Assert.Equal(spm.Encode(prompt), FromModel(UserDefinedPieces()).EncodeToIds(prompt).ToArray());
    }

    /// <summary>
    /// Why the tokenizer.json backend stays ours: the library reads only Unigram tokenizer.json files, and Gemma's
    /// (like the one converted here, as transformers' GemmaConverter writes it) is a BPE model with byte fallback.
    /// </summary>
    [Fact]
    public void A_gemma_bpe_tokenizer_json_is_refused_by_the_library()
    {
        using var json = new MemoryStream(GemmaTokenizerJsonConverter.Convert(File.ReadAllBytes(model.Path)));
        var e = Assert.Throws<InvalidDataException>(() => SentencePieceTokenizer.CreateFromTokenizerJson(json, addBeginningOfSentence: false, addEndOfSentence: false));
        Assert.Contains("Unigram", e.Message);
    }

    /// <summary>Why a backend on it must pass the user-defined pieces itself: the library splits them like text.</summary>
    [Fact]
    public void Without_the_user_defined_pieces_turn_markers_are_split_into_characters()
    {
        using var spm = SentencePieceProcessor.Load(model.Path);
        const string prompt = "<start_of_turn>user\nDescribe a calm lake.<end_of_turn>";
        var ours = spm.Encode(prompt);
        var library = FromModel(special: null).EncodeToIds(prompt).ToArray();
        Assert.Equal(spm.PieceToId("<start_of_turn>"), ours[0]);
        Assert.NotEqual(ours, library);
        Assert.True(library.Length > ours.Length, $"{library.Length} ids vs {ours.Length}");
    }
}
