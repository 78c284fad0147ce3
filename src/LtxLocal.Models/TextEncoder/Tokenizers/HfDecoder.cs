using System.Globalization;
using System.Text;

namespace LtxLocal.Models.TextEncoder.Tokenizers;

/// <summary>tokenizers' decoders over a token list: Replace, ByteFallback, Fuse and Strip, applied in order.</summary>
public static class HfDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    public static List<string> Run(IEnumerable<HfDecodeStep> steps, List<string> tokens)
    {
        foreach (var step in steps)
            tokens = step switch
            {
                HfDecodeStep.Replace r => tokens.Select(t => t.Replace(r.Pattern, r.Content, StringComparison.Ordinal)).ToList(),
                HfDecodeStep.ByteFallback => FuseBytes(tokens),
                HfDecodeStep.Fuse => [string.Concat(tokens)],
                HfDecodeStep.Strip s => tokens.Select(t => Strip(t, s)).ToList(),
                _ => throw new InvalidOperationException($"decoder step {step} is not implemented"),
            };
        return tokens;
    }

    /// <summary>The byte of a &lt;0xXX&gt; piece, or null for any other piece.</summary>
    public static byte? ByteOf(string piece) =>
        piece.Length == 6 && piece.StartsWith("<0x", StringComparison.Ordinal) && piece[5] == '>'
        && byte.TryParse(piece.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b) ? b : null;

    /// <summary>Runs of byte pieces become their UTF-8 text, or one U+FFFD per byte when they are not valid UTF-8.</summary>
    private static List<string> FuseBytes(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        var bytes = new List<byte>();
        foreach (var token in tokens)
        {
            if (ByteOf(token) is byte b) { bytes.Add(b); continue; }
            Flush();
            result.Add(token);
        }
        Flush();
        return result;

        void Flush()
        {
            if (bytes.Count == 0) return;
            try { result.Add(StrictUtf8.GetString(bytes.ToArray())); }
            catch (DecoderFallbackException) { result.AddRange(Enumerable.Repeat("\uFFFD", bytes.Count)); }
            bytes.Clear();
        }
    }

    private static string Strip(string token, HfDecodeStep.Strip strip)
    {
        int start = 0, end = token.Length;
        for (int n = 0; n < strip.Start && start < end && token.AsSpan(start).StartsWith(strip.Content, StringComparison.Ordinal); n++)
            start += strip.Content.Length;
        for (int n = 0; n < strip.Stop && end - strip.Content.Length >= start && token.AsSpan(start, end - start).EndsWith(strip.Content, StringComparison.Ordinal); n++)
            end -= strip.Content.Length;
        return token[start..end];
    }
}
