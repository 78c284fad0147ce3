using System.Runtime.InteropServices;
using System.Text;
using LtxLocal.Torch.Native;

namespace LtxLocal.Torch.Text;

/// <summary>
/// A SentencePiece model (Debian's libsentencepiece through libltxnative): the real library, so ids and
/// pieces are exactly what <c>spm_encode</c> and the Python tokenizers built on it produce.
/// </summary>
public sealed unsafe class SentencePieceProcessor : IDisposable
{
    private IntPtr _handle;

    private SentencePieceProcessor(IntPtr handle, string source)
    {
        if (handle == IntPtr.Zero) throw TorchException.FromNative($"loading SentencePiece model {source}");
        _handle = handle;
        VocabSize = NativeMethods.ltx_spm_vocab_size(_handle);
        UnkId = Special(0); BosId = Special(1); EosId = Special(2); PadId = Special(3);
    }

    public static SentencePieceProcessor Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"SentencePiece model not found: {path}", path);
        return new SentencePieceProcessor(NativeMethods.ltx_spm_load(path), path);
    }

    public static SentencePieceProcessor FromBytes(ReadOnlySpan<byte> model)
    {
        fixed (byte* p = model) return new SentencePieceProcessor(NativeMethods.ltx_spm_load_bytes(p, model.Length), "(bytes)");
    }

    public int VocabSize { get; }
    /// <summary>Special ids as the model defines them; -1 where the model has none.</summary>
    public int UnkId { get; }
    public int BosId { get; }
    public int EosId { get; }
    public int PadId { get; }

    public int[] Encode(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        // A piece covers at least one byte (byte fallback included), so bytes+1 ids always suffice; retry anyway.
        var ids = new int[bytes.Length + 1];
        while (true)
        {
            int count;
            fixed (byte* t = bytes)
            fixed (int* i = ids)
                count = NativeMethods.ltx_spm_encode(Handle, t, bytes.Length, i, ids.Length);
            if (count < 0) throw TorchException.FromNative("SentencePiece encode");
            if (count <= ids.Length) return ids[..count];
            ids = new int[count];
        }
    }

    public string[] EncodeAsPieces(string text) => Encode(text).Select(IdToPiece).ToArray();

    public string Decode(ReadOnlySpan<int> ids)
    {
        fixed (int* p = ids) return TakeString(NativeMethods.ltx_spm_decode(Handle, p, ids.Length), "SentencePiece decode");
    }

    public string IdToPiece(int id) => TakeString(NativeMethods.ltx_spm_id_to_piece(Handle, id), "SentencePiece id_to_piece");

    /// <summary>The id of <paramref name="piece"/>, or the unknown id when the vocabulary lacks it.</summary>
    public int PieceToId(string piece) => NativeMethods.ltx_spm_piece_to_id(Handle, piece);

    public PieceKind KindOf(int id)
    {
        var kind = NativeMethods.ltx_spm_id_kind(Handle, id);
        if (kind < 0) throw TorchException.FromNative("SentencePiece id kind");
        return (PieceKind)kind;
    }

    public void Dispose()
    {
        if (_handle != IntPtr.Zero) NativeMethods.ltx_spm_free(_handle);
        _handle = IntPtr.Zero;
    }

    private IntPtr Handle => _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(nameof(SentencePieceProcessor));

    private int Special(int which)
    {
        var id = NativeMethods.ltx_spm_special_id(_handle, which);
        if (id < -1) throw TorchException.FromNative("SentencePiece special id");
        return id;
    }

    private static string TakeString(IntPtr text, string context)
    {
        if (text == IntPtr.Zero) throw TorchException.FromNative(context);
        try { return Marshal.PtrToStringUTF8(text) ?? ""; }
        finally { NativeMethods.ltx_string_free(text); }
    }
}
