using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using LtxLocal.Inference;
using LtxLocal.Inference.Catalog;
using LtxLocal.Inference.Requests;

namespace LtxLocal.Server.Manifests;

/// <summary>
/// Builds a job's reproducibility manifest on the worker, before encoding starts (it goes into the file). Weight hashes
/// come from <see cref="WeightDigests"/>, which began hashing when the catalog first saw the files; if one is still being
/// computed the worker waits for it, so every manifest is complete and no request ever waits on a hash.
/// </summary>
public sealed class JobManifests(WeightDigests digests)
{
    /// <summary>The manifest as the file's comment: the same JSON as result.manifest, non-ASCII text left unescaped.</summary>
    private static readonly JsonSerializerOptions CommentJson = new(ApiJson.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task<ManifestDto> BuildAsync(string modelId, GenerationRequest r, ModelDescriptor model, ComputeDevice device, CancellationToken token)
    {
        var weights = new List<WeightDigestDto>();
        foreach (var path in ModelWeightFiles.Of(model, r.Loras.Select(l => l.Name)))
        {
            var file = Path.GetRelativePath(model.Directory, path).Replace(Path.DirectorySeparatorChar, '/');
            weights.Add(new WeightDigestDto(file, new FileInfo(path).Length, await digests.GetAsync(path, token)));
        }
        return new ManifestDto(r.Seed, ManifestParameters.Body(modelId, r), modelId, weights, r.Loras, r.MemoryPlan?.Plan,
            RuntimeVersions.Libtorch, device.IsCuda ? RuntimeVersions.Cuda : null, RuntimeVersions.LtxLocal, ManifestParameters.Endpoint(r),
            await InputsAsync(r, token));
    }

    public static string CommentText(ManifestDto manifest) => JsonSerializer.Serialize(manifest, CommentJson.GetTypeInfo(typeof(ManifestDto)));

    private static async Task<IReadOnlyList<InputDigestDto>> InputsAsync(GenerationRequest r, CancellationToken token)
    {
        var inputs = new List<InputDigestDto>();
        foreach (var image in r.Images)
            inputs.Add(new InputDigestDto(image.Keyframe ? "frame_images" : "image", image.FrameIndex, image.Strength, await Sha256Async(image.File, token)));
        if (r.Source is { File.Length: > 0 } source)
            inputs.Add(new InputDigestDto(source.Task == SourceTasks.AudioToVideo ? "audio" : "video", null, null, await Sha256Async(source.File, token)));
        return inputs;
    }

    private static async Task<string> Sha256Async(string path, CancellationToken token)
    {
        if (!File.Exists(path)) throw new Jobs.JobFailure("input_missing", $"the input {Path.GetFileName(path)} is gone from the data directory");
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, token));
    }
}
