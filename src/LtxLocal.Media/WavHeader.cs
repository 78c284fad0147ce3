using System.Buffers.Binary;
using System.Text;

namespace LtxLocal.Media;

/// <summary>
/// Reads a RIFF/WAVE file's chunk list far enough to find the data chunk and compares its declared length with the
/// bytes the file really holds. ffmpeg decodes a cut-off WAV without complaint (it stops at the end of the file), so a
/// truncated upload would otherwise pass as a shorter clip.
/// </summary>
public static class WavHeader
{
    /// <summary>
    /// (declared, present) data bytes when <paramref name="stream"/> is a RIFF/WAVE file with a data chunk; null when it is
    /// not one, or when the length is the "unknown" marker streaming writers leave (0 or 0xFFFFFFFF).
    /// </summary>
    public static (long Declared, long Present)? DataChunk(Stream stream)
    {
        Span<byte> header = stackalloc byte[12];
        stream.Position = 0;
        if (stream.ReadAtLeast(header, 12, throwOnEndOfStream: false) < 12) return null;
        if (Encoding.ASCII.GetString(header[..4]) != "RIFF" || Encoding.ASCII.GetString(header[8..12]) != "WAVE") return null;
        Span<byte> chunk = stackalloc byte[8];
        long position = 12;
        while (position + 8 <= stream.Length)
        {
            stream.Position = position;
            if (stream.ReadAtLeast(chunk, 8, throwOnEndOfStream: false) < 8) return null;
            long size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
            if (Encoding.ASCII.GetString(chunk[..4]) == "data")
            {
                if (size is 0 or 0xFFFFFFFF) return null;
                return (size, stream.Length - position - 8);
            }
            position += 8 + size + (size & 1);   // chunks are word-aligned
        }
        return null;
    }
}
