using System.Buffers.Binary;

namespace LtxLocal.Models.TextEncoder.Tokenizers;

/// <summary>SentencePiece's piece types (sentencepiece_model.proto ModelProto.SentencePiece.Type).</summary>
public enum SentencePieceType { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 }
