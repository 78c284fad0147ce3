using LtxLocal.Torch.Text;

namespace LtxLocal.Models.TextEncoder.Tokenizers;

/// <summary>The SentencePiece model (Debian's libsentencepiece) as a <see cref="ITokenizerBackend"/>.</summary>
public sealed class SentencePieceBackend(SentencePieceProcessor processor) : ITokenizerBackend
{
    public SentencePieceProcessor Processor { get; } = processor;

    public int VocabSize => Processor.VocabSize;
    public int UnkId => Processor.UnkId;
    public int BosId => Processor.BosId;
    public int EosId => Processor.EosId;
    public int PadId => Processor.PadId;
    public int[] Encode(string text) => Processor.Encode(text);
    public string[] EncodeAsPieces(string text) => Processor.EncodeAsPieces(text);
    public string Decode(ReadOnlySpan<int> ids) => Processor.Decode(ids);
    public string IdToPiece(int id) => Processor.IdToPiece(id);
    public int PieceToId(string piece) => Processor.PieceToId(piece);
    public PieceKind KindOf(int id) => Processor.KindOf(id);
    public void Dispose() => Processor.Dispose();
}
