using System.Text.Json;
using LtxLocal.Models.Checkpoints;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>
/// ltx_core's check that a transformer checkpoint is paired with the Gemma it was trained with: a checkpoint that
/// declares <c>gemma_source_checkpoint</c> (LTX-2.5) must match the Gemma config's <c>gemma_version</c>; one that does
/// not must use Gemma 3, unless its model_version is 2.4.0 or later, where the declaration is required.
/// </summary>
public static class GemmaVersionCheck
{
    /// <param name="transformerMetadata">the transformer file's safetensors metadata</param>
    /// <param name="gemmaConfig">the Hugging Face config of the Gemma in use</param>
    /// <returns>a warning to log when the pairing cannot be checked, else null</returns>
    public static string? Verify(IReadOnlyDictionary<string, string> transformerMetadata, JsonElement gemmaConfig, string gemmaPath)
    {
        var gemma = new ConfigReader(gemmaConfig, "gemma");
        string? actual = gemma.Has("gemma_version") ? gemma.String("gemma_version") : null;
        if (transformerMetadata.TryGetValue("gemma_source_checkpoint", out var source))
        {
            using var declared = JsonDocument.Parse(source);
            var expected = declared.RootElement.TryGetProperty("gemma_version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            if (expected != actual)
                throw new ModelConfigException($"Gemma version mismatch: the checkpoint expects gemma_version \"{expected}\", but the Gemma at {gemmaPath} has \"{actual}\"");
            return null;
        }
        if (transformerMetadata.TryGetValue("model_version", out var modelVersion) && AtLeast(modelVersion, 2, 4, 0))
        {
            if (actual is null)
                return $"checkpoint model_version {modelVersion} should declare gemma_source_checkpoint and {gemmaPath} has no gemma_version: pairing not checked";
            throw new ModelConfigException($"checkpoint model_version {modelVersion} must declare gemma_source_checkpoint.gemma_version, but none was found");
        }
        var modelType = gemma.Has("model_type") ? gemma.String("model_type") : null;
        if (modelType != "gemma3")
            throw new ModelConfigException($"the checkpoint declares no gemma_source_checkpoint, so it needs a Gemma 3 config (model_type gemma3) at {gemmaPath}, got \"{modelType}\"");
        return null;
    }

    private static bool AtLeast(string version, params int[] floor)
    {
        var parts = version.TrimStart('v').Split('.', '-', '+').Take(3)
            .Select(p => int.TryParse(p, out var n) ? n : 0).Concat(Enumerable.Repeat(0, 3)).Take(3).ToArray();
        for (int i = 0; i < 3; i++)
            if (parts[i] != floor[i]) return parts[i] > floor[i];
        return true;
    }
}
