using LtxLocal.Torch.Text;

namespace LtxLocal.Models.TextEncoder.Tokenizers;

/// <summary>
/// The text-to-pieces part of Gemma's tokenizer, whichever file it comes from: the SentencePiece model
/// (<see cref="SentencePieceBackend"/>) or the Hugging Face tokenizer.json (<see cref="HfBpeTokenizer"/>).
/// Encode gives the model's pieces only: no bos/eos, <see cref="GemmaTokenizer"/> adds those.
/// </summary>
public interface ITokenizerBackend : IDisposable
{
    int VocabSize { get; }
    /// <summary>Special ids; -1 where the tokenizer has none.</summary>
    int UnkId { get; }
    int BosId { get; }
    int EosId { get; }
    int PadId { get; }

    int[] Encode(string text);
    string[] EncodeAsPieces(string text);
    string Decode(ReadOnlySpan<int> ids);
    string IdToPiece(int id);
    /// <summary>The id of <paramref name="piece"/>, or the unknown id when the vocabulary lacks it.</summary>
    int PieceToId(string piece);
    PieceKind KindOf(int id);
}
