using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using LtxLocal.Media;

namespace LtxLocal.Inference.Tests.EndToEnd;

/// <summary>
/// The reproducibility manifest through HTTP with the tiny model: re-submitting its parameters to its endpoint writes the
/// same bytes; its weight hashes are what the system's sha256sum says; the file's comment tag (ffprobe) holds it.
/// </summary>
[Trait("Category", "EndToEnd")]
[Trait("Component", "manifest")]
public sealed class ManifestEndToEndTests(TinyModelServer server) : IClassFixture<TinyModelServer>
{
    private static JsonObject Request(string format) => new()
    {
        ["model"] = "Lightricks/LTX-2", ["prompt"] = "a lighthouse at dusk — «waves» below", ["duration"] = 4, ["fps"] = 24,
        ["resolution"] = "64x64", ["pipeline"] = "one-stage", ["steps"] = 2, ["guidance_scale"] = 3.5, ["generate_audio"] = true,
        ["seed"] = 4242, ["output_format"] = format,
    };

    private async Task<(JsonObject Manifest, byte[] Bytes)> RunAsync(JsonObject body, string path = "/v1/text-to-video")
    {
        var job = await server.SubmitAsync(body, path);
        var done = await server.CompletedAsync((string)job["id"]!);
        var manifest = done["result"]!["manifest"]!.AsObject();
        return (manifest, await File.ReadAllBytesAsync(await server.DownloadAsync((string)job["id"]!)));
    }

    [Theory]
    [InlineData("mp4")]
    [InlineData("mov")]
    [InlineData("webm")]
    public async Task Resubmitting_the_manifest_parameters_writes_the_same_bytes(string format)
    {
        var (manifest, first) = await RunAsync(Request(format));
        var endpoint = (string)manifest["endpoint"]!;
        Assert.Equal("/v1/text-to-video", endpoint);
        Assert.Equal(4242, (long)manifest["seed"]!);

        var (again, second) = await RunAsync(manifest["parameters"]!.DeepClone().AsObject(), endpoint);

        Assert.True(JsonNode.DeepEquals(manifest, again), $"{manifest.ToJsonString()}\n{again.ToJsonString()}");
        Assert.Equal(first.Length, second.Length);
        Assert.True(first.AsSpan().SequenceEqual(second), $"the {format} files differ");
    }

    [Fact]
    public async Task Weight_hashes_equal_sha256sum_of_the_files()
    {
        var (manifest, _) = await RunAsync(Request("mp4"));
        var weights = manifest["weights"]!.AsArray();
        Assert.Contains(weights, w => ((string)w!["file"]!).EndsWith(".safetensors", StringComparison.Ordinal));
        var files = weights.Select(w => Path.Combine(server.ModelDirectory, (string)w!["file"]!)).ToList();

        var expected = await Sha256SumAsync(files);

        foreach (var (weight, path) in weights.Zip(files))
        {
            Assert.Equal(expected[path], (string)weight!["sha256"]!);
            Assert.Equal(new FileInfo(path).Length, (long)weight["bytes"]!);
        }
        Assert.Equal(files.Count, expected.Count);
    }

    [Fact]
    public async Task The_file_comment_tag_holds_the_manifest()
    {
        var (manifest, bytes) = await RunAsync(Request("mp4"));
        var path = Path.Combine(server.Root, $"comment-{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(path, bytes);

        var probe = await RunAsync(FfmpegTools.Locate(null, null).Ffprobe, "-v", "error", "-show_entries", "format_tags=comment", "-of", "json", path);
        var comment = (string?)JsonNode.Parse(probe)!["format"]!["tags"]!["comment"];

        Assert.NotNull(comment);
        Assert.True(JsonNode.DeepEquals(manifest, JsonNode.Parse(comment)), $"{manifest.ToJsonString()}\n{comment}");
        Assert.DoesNotContain("creation_time", probe);
    }

    [Fact]
    public async Task The_manifest_names_the_versions_the_plan_and_no_time_or_job_id()
    {
        var job = await server.SubmitAsync(Request("mp4"));
        var id = (string)job["id"]!;
        var done = await server.CompletedAsync(id);
        var manifest = done["result"]!["manifest"]!;

        Assert.False(string.IsNullOrEmpty((string?)manifest["libtorch"]));
        Assert.Null((string?)manifest["cuda"]); // the CPU worker
        Assert.False(string.IsNullOrEmpty((string?)manifest["version"]));
        Assert.Equal((string?)done["parameters"]!["memory_plan"]!["plan"], (string?)manifest["memory_plan"]);
        Assert.Equal((string)done["model"]!, (string)manifest["model"]!);
        var text = manifest.ToJsonString();
        Assert.DoesNotContain(id, text);
        Assert.DoesNotContain((string)done["created_at"]!, text);
    }

    /// <summary>Runs the system's sha256sum binary over the files; its answer by path.</summary>
    private static async Task<Dictionary<string, string>> Sha256SumAsync(IReadOnlyList<string> files)
    {
        var output = await RunAsync("sha256sum", [.. files]);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => (Hash: line[..64], Path: line[64..].TrimStart(' ', '*')))
            .ToDictionary(p => p.Path, p => p.Hash);
    }

    private static async Task<string> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8 };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} failed: {await stderr}");
        return await stdout;
    }
}
