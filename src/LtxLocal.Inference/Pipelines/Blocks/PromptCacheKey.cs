using System.Globalization;
using System.Text;
using LtxLocal.Inference.Catalog;
using LtxLocal.Models.TextEncoder.Tokenizers;

namespace LtxLocal.Inference.Pipelines.Blocks;

/// <summary>
/// What a prompt's contexts depend on: the text that is encoded (after enhancement, so an enhanced prompt has its own
/// entry), and the encoder that encodes it — which weight files (Gemma, the connectors, the text projection and the
/// transformer whose config shapes the connectors, each by path, size and modification time, so a replaced file is a
/// new encoder), the token limit, and the device and dtype it runs in (a text-cpu plan encodes in float32 on the CPU,
/// which rounds differently from bf16 on a GPU).
/// </summary>
public sealed record PromptCacheKey(string Encoder, string Prompt)
{
    /// <summary>The identity of <paramref name="files"/>' prompt encoder running on <paramref name="home"/> as <paramref name="dtype"/>.</summary>
    public static string EncoderOf(ModelFiles files, Device home, DType dtype, int maxTokens = GemmaTokenizer.DefaultMaxLength)
    {
        var identity = new StringBuilder();
        foreach (var path in new[] { files.Gemma, files.Connectors, files.Projection, files.Transformer }) Describe(identity, path);
        identity.Append(CultureInfo.InvariantCulture, $"tokens={maxTokens};device={home};dtype={dtype}");
        return identity.ToString();
    }

    // A folder (Gemma's HF layout) is every file in it; a file is itself.
    private static void Describe(StringBuilder identity, string path)
    {
        var full = Path.GetFullPath(path);
        var files = Directory.Exists(full) ? Directory.GetFiles(full).Order(StringComparer.Ordinal).ToArray() : [full];
        foreach (var file in files)
        {
            var info = new FileInfo(file);
            var stamp = info.Exists ? $"{info.Length}@{info.LastWriteTimeUtc.Ticks}" : "missing";
            identity.Append(CultureInfo.InvariantCulture, $"{file}:{stamp};");
        }
    }
}
