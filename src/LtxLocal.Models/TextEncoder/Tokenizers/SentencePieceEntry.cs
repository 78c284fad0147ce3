using System.Buffers.Binary;

namespace LtxLocal.Models.TextEncoder.Tokenizers;

/// <summary>One vocabulary entry of a SentencePiece model.</summary>
public sealed record SentencePieceEntry(string Piece, float Score, SentencePieceType Type);
