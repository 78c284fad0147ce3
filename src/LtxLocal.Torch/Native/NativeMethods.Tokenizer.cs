using System.Runtime.InteropServices;

namespace LtxLocal.Torch.Native;

/// <summary>The SentencePiece part of native/include/ltxnative.h (native/src/ops_tokenizer.cpp).</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial IntPtr ltx_spm_load(string path);
    [LibraryImport(Lib)] internal static partial IntPtr ltx_spm_load_bytes(byte* data, long length);
    [LibraryImport(Lib)] internal static partial void ltx_spm_free(IntPtr p);
    [LibraryImport(Lib)] internal static partial int ltx_spm_vocab_size(IntPtr p);
    [LibraryImport(Lib)] internal static partial int ltx_spm_special_id(IntPtr p, int which);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial int ltx_spm_piece_to_id(IntPtr p, string piece);
    [LibraryImport(Lib)] internal static partial int ltx_spm_id_kind(IntPtr p, int id);
    [LibraryImport(Lib)] internal static partial IntPtr ltx_spm_id_to_piece(IntPtr p, int id);
    [LibraryImport(Lib)] internal static partial int ltx_spm_encode(IntPtr p, byte* text, long length, int* ids, int capacity);
    [LibraryImport(Lib)] internal static partial IntPtr ltx_spm_decode(IntPtr p, int* ids, int count);
}
