using LtxLocal.Models.TextEncoder.Tiny;
using LtxLocal.Models.TextEncoder.Tokenizers;
using LtxLocal.Torch.Text;

namespace LtxLocal.Models.Tests.TextEncoder;

/// <summary>A tiny SentencePiece model trained once per test class with Debian's spm_train.</summary>
public sealed class TinySpmModel : IDisposable
{
    public TinySpmModel()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("ltx-tok-test-").FullName;
        Path = System.IO.Path.Combine(Directory, "tokenizer.model");
        SentencePieceTrainer.Train(Path, GemmaTokenizerTests.Corpus.Concat(TinyGemma.DefaultCorpus), vocabSize: 500);
    }

    public string Directory { get; }
    public string Path { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

[Trait("Component", "tokenizer")]
public class GemmaTokenizerTests(TinySpmModel model) : IClassFixture<TinySpmModel>
{
    internal static readonly string[] Corpus =
    [
        "A red fox jumps over a sleeping dog in the golden evening light.",
        "Ein Fuchs springt über den schlafenden Hund — schön, nicht wahr?",
        "東京の夜景、ネオンが雨に映る。カメラはゆっくりと前進する。",
        "Кот сидит на окне и смотрит на снег.",
        "The camera pans left 🎥 while fireworks 🎆🎇 light the sky ✨ and a crowd cheers 👏🏽.",
        "مرحبا بالعالم، هذا اختبار للنص العربي.",
        "<start_of_turn>user\nDescribe a calm lake.<end_of_turn>",
        "  leading and trailing spaces   and\ttabs  ",
        "Numbers 1234567890, symbols #@$%^&*()[]{} and ünïcödé ñ.",
    ];

    private static string LongText() => string.Join(" ", Enumerable.Repeat("A slow dolly shot follows a cyclist through misty streets 🚲, ", 120));

    public static IEnumerable<object[]> Prompts() => Corpus.Append(LongText()).Append("𝔘𝔫𝔦𝔠𝔬𝔡𝔢 outside the BMP 🀄").Select(p => new object[] { p });

    [Theory]
    [MemberData(nameof(Prompts))]
    public void Ids_and_pieces_equal_spm_encode(string prompt)
    {
        using var processor = SentencePieceProcessor.Load(model.Path);
        // spm_encode works per line; the prompts here are single lines.
        var line = prompt.Replace('\n', ' ');
        var expectedIds = SentencePieceTrainer.RunWithInput("spm_encode", line + "\n", $"--model={model.Path}", "--output_format=id")
            .TrimEnd('\n').Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
        var expectedPieces = SentencePieceTrainer.RunWithInput("spm_encode", line + "\n", $"--model={model.Path}", "--output_format=piece")
            .TrimEnd('\n').Split(' ', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(expectedIds, processor.Encode(line));
        Assert.Equal(expectedPieces, processor.EncodeAsPieces(line));
    }

    [Fact]
    public void Decode_round_trips_unicode_and_emoji()
    {
        using var processor = SentencePieceProcessor.Load(model.Path);
        foreach (var prompt in Corpus.Where(p => !p.Contains('\t') && !p.StartsWith(' ')))
            Assert.Equal(prompt, processor.Decode(processor.Encode(prompt)));
    }

    [Fact]
    public void Special_ids_follow_the_gemma_layout()
    {
        using var processor = SentencePieceProcessor.Load(model.Path);
        Assert.Equal((0, 1, 2, 3), (processor.PadId, processor.EosId, processor.BosId, processor.UnkId));
        Assert.Equal(PieceKind.Control, processor.KindOf(2));
        Assert.Equal(PieceKind.Normal, processor.KindOf(processor.PieceToId("<start_of_turn>")));
    }

    [Fact]
    public void Tokenize_left_pads_to_max_length_after_a_leading_bos()
    {
        using var tokenizer = new GemmaTokenizer(SentencePieceProcessor.Load(model.Path), maxLength: 64);
        var pieces = tokenizer.Processor.Encode("A red fox jumps.");
        var tokens = tokenizer.Tokenize("   A red fox jumps.  ");

        Assert.Equal(64, tokens.Length);
        int pads = 64 - pieces.Length - 1;
        Assert.All(tokens.Ids.Take(pads), id => Assert.Equal(tokenizer.PadId, id));
        Assert.All(tokens.Mask.Take(pads), m => Assert.Equal(0, m));
        Assert.Equal(tokenizer.BosId, tokens.Ids[pads]);
        Assert.Equal(pieces.Select(i => (long)i), tokens.Ids.Skip(pads + 1));
        Assert.All(tokens.Mask.Skip(pads), m => Assert.Equal(1, m));
    }

    [Fact]
    public void Tokenize_truncates_long_prompts_keeping_bos_and_the_start()
    {
        using var tokenizer = new GemmaTokenizer(SentencePieceProcessor.Load(model.Path), maxLength: 32);
        var text = LongText();
        var tokens = tokenizer.Tokenize(text);

        Assert.Equal(32, tokens.ValidCount);
        Assert.Equal(tokenizer.BosId, tokens.Ids[0]);
        Assert.Equal(tokenizer.Processor.Encode(text.Trim()).Take(31).Select(i => (long)i), tokens.Ids.Skip(1));
    }

    [Fact]
    public void Empty_prompt_is_bos_only()
    {
        using var tokenizer = new GemmaTokenizer(SentencePieceProcessor.Load(model.Path), maxLength: 8);
        var tokens = tokenizer.Tokenize("   ");
        Assert.Equal(new long[] { 0, 0, 0, 0, 0, 0, 0, 2 }, tokens.Ids);
        Assert.Equal(1, tokens.ValidCount);
    }

    [Fact]
    public void A_missing_model_is_a_clear_error()
    {
        var e = Assert.Throws<FileNotFoundException>(() => GemmaTokenizer.Load("/nonexistent/gemma"));
        Assert.Contains("tokenizer.model", e.Message);
    }
}
