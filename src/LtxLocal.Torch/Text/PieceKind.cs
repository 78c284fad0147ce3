using LtxLocal.Torch.Native;

namespace LtxLocal.Torch.Text;

/// <summary>What kind of piece an id is (SentencePiece's IsControl / IsUnknown / IsByte / IsUnused).</summary>
public enum PieceKind { Normal = 0, Control = 1, Unknown = 2, Byte = 3, Unused = 4 }
