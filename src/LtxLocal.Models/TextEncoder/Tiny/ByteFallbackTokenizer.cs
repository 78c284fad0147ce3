using System.Text;
using LtxLocal.Models.TextEncoder.Tokenizers;

namespace LtxLocal.Models.TextEncoder.Tiny;

/// <summary>
/// A Gemma-form tokenizer.json that needs no training and no libsentencepiece: Gemma's special pieces (&lt;pad&gt; 0,
/// &lt;eos&gt; 1, &lt;bos&gt; 2, &lt;unk&gt; 3), the 256 byte pieces and "▁", so every text encodes through byte fallback.
/// Written as the SentencePiece BPE ModelProto Gemma's models are (add_dummy_prefix off) and converted like a release's
/// (<see cref="GemmaTokenizerJsonConverter"/>); read by the C# tokenizer. What random-weight text encoders use on a GPU
/// box where only PyTorch is installed.
/// </summary>
public static class ByteFallbackTokenizer
{
    /// <summary>Pieces in the vocabulary (every id is below this).</summary>
    public const int VocabSize = 4 + 256 + 1;

    public static byte[] TokenizerJson() => GemmaTokenizerJsonConverter.Convert(ModelProto());

    private static byte[] ModelProto()
    {
        var model = new MemoryStream();
        void Piece(string piece, SentencePieceType type)
        {
            var entry = new MemoryStream();
            Bytes(entry, 1, Encoding.UTF8.GetBytes(piece));
            Tag(entry, 2, 5);
            entry.Write(BitConverter.GetBytes(0f));
            Tag(entry, 3, 0);
            Varint(entry, (ulong)type);
            Bytes(model, 1, entry.ToArray());
        }
        Piece("<pad>", SentencePieceType.Control);
        Piece("<eos>", SentencePieceType.Control);
        Piece("<bos>", SentencePieceType.Control);
        Piece("<unk>", SentencePieceType.Unknown);
        for (int b = 0; b < 256; b++) Piece($"<0x{b:X2}>", SentencePieceType.Byte);
        Piece("▁", SentencePieceType.Normal);

        var trainer = new MemoryStream();
        Tag(trainer, 3, 0); Varint(trainer, 2);  // model_type: BPE
        Tag(trainer, 35, 0); Varint(trainer, 1); // byte_fallback
        Bytes(trainer, 45, Encoding.UTF8.GetBytes("<unk>"));
        Bytes(model, 2, trainer.ToArray());
        var normalizer = new MemoryStream();
        Tag(normalizer, 3, 0); Varint(normalizer, 0); // add_dummy_prefix off, as Gemma's
        Bytes(model, 3, normalizer.ToArray());
        return model.ToArray();
    }

    private static void Tag(Stream s, int field, int wire) => Varint(s, (ulong)(field << 3 | wire));

    private static void Bytes(Stream s, int field, byte[] value)
    {
        Tag(s, field, 2);
        Varint(s, (ulong)value.Length);
        s.Write(value);
    }

    private static void Varint(Stream s, ulong value)
    {
        while (value >= 0x80)
        {
            s.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        s.WriteByte((byte)value);
    }
}
