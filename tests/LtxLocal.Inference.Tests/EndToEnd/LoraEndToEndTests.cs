using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using LtxLocal.Inference.Catalog;
using LtxLocal.Inference.Pipelines;
using LtxLocal.Inference.Tiny;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Server.Testing;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Tests.EndToEnd;

/// <summary>
/// LoRAs per request and keyframe strength through HTTP with the tiny model: GET /v1/models lists the folder's LoRAs; a
/// LoRA changes the video and is echoed; after its job the transformer holds the checkpoint's weights bit for bit and the
/// next job's file equals one made before any LoRA; bad LoRA requests are 400s that leave no job and no file; a keyframe's
/// strength is echoed and changes the video.
/// </summary>
[Trait("Category", "EndToEnd")]
[Trait("Component", "pipelines")]
public sealed class LoraEndToEndTests(LoraTinyModelServer server) : IClassFixture<LoraTinyModelServer>
{
    private static JsonObject Request(long seed = 5) => new()
    {
        ["model"] = "Lightricks/LTX-2", ["prompt"] = "a red kite over a beach", ["duration"] = 4, ["fps"] = 24,
        ["resolution"] = "64x64", ["pipeline"] = "distilled", ["generate_audio"] = true, ["seed"] = seed,
    };

    private static JsonObject With(JsonObject body, Action<JsonObject> change)
    {
        change(body);
        return body;
    }

    private static JsonArray Loras(params (string Name, double Strength)[] loras) =>
        new([.. loras.Select(l => (JsonNode)new JsonObject { ["name"] = l.Name, ["strength"] = l.Strength })]);

    private async Task<byte[]> RunAsync(JsonObject body, string path = "/v1/text-to-video")
    {
        var job = await server.SubmitAsync(body, path);
        await server.CompletedAsync((string)job["id"]!);
        return await File.ReadAllBytesAsync(await server.DownloadAsync((string)job["id"]!));
    }

    [Fact]
    public async Task Models_lists_each_lora_with_whether_it_fits()
    {
        var models = (await server.Client.GetFromJsonAsync<JsonObject>("/v1/models"))!;
        var loras = models["data"]!.AsArray().Single(m => (string?)m!["id"] == TinyModel.Id)!["loras"]!.AsArray();
        Assert.Equal(["foreign", "style"], loras.Select(l => (string)l!["name"]!));
        Assert.Equal("ready", (string?)loras[1]!["state"]);
        Assert.Null(loras[1]!["reason"]);
        Assert.Equal(8, (int)loras[1]!["layers"]!);
        Assert.Equal("unusable", (string?)loras[0]!["state"]);
        Assert.Contains("matches a weight", (string?)loras[0]!["reason"]);
    }

    [Fact]
    public async Task A_lora_changes_the_video_is_echoed_and_does_not_leak_into_the_next_job()
    {
        var before = await RunAsync(Request());

        var withLora = With(Request(), b => b["loras"] = Loras(("style.safetensors", 0.8)));
        var job = await server.SubmitAsync(withLora);
        var echoed = Assert.Single(job["parameters"]!["loras"]!.AsArray())!;
        Assert.Equal("style", (string?)echoed["name"]);
        Assert.Equal(0.8, (double)echoed["strength"]!);
        await server.CompletedAsync((string)job["id"]!);
        var styled = await File.ReadAllBytesAsync(await server.DownloadAsync((string)job["id"]!));
        Assert.NotEqual(before, styled);
        Assert.Equal(0.8, Assert.Single(server.Requests.Last().Loras).Strength);

        // The LoRA stays in the resident transformer until a job with another set; that job's stages take it out.
        Assert.NotEmpty(Assert.IsType<LtxVideoGenerator>(Assert.Single(server.Generators)).Model.Loras.FusedWeights);
        Assert.Equal(before, await RunAsync(Request()));
        AssertTransformerHoldsTheCheckpoint();
    }

    /// <summary>Every transformer weight of the server's loaded model equals the checkpoint's, bit for bit.</summary>
    private void AssertTransformerHoldsTheCheckpoint()
    {
        var generator = Assert.IsType<LtxVideoGenerator>(Assert.Single(server.Generators));
        using var scope = TorchRuntime.NewDisposeScope();
        using var file = SafetensorsFile.Open(Path.Combine(server.ModelDirectory, TinyModel.BundleFile));
        var checkpoint = new KeyMappedSource(file, TransformerKeys.Prefix, name => !TransformerKeys.IsConnector(name));
        Assert.True(generator.Model.Transformer.IsLoaded, "the resident plan keeps the transformer between jobs");
        using var transformer = generator.Model.Transformer.Acquire();
        var weights = transformer.Network.StateDict();
        Assert.Equal(checkpoint.Keys.Order(StringComparer.Ordinal), weights.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, weight) in weights)
        {
            var expected = checkpoint.Load(name, Device.Cpu, weight.DType).Contiguous().ToArray<float>();
            Assert.True(expected.AsSpan().SequenceEqual(weight.Contiguous().ToArray<float>()), $"{name} differs from the checkpoint after the job");
        }
        Assert.Empty(generator.Model.Loras.FusedWeights);
    }

    public static readonly TheoryData<string, string> BadLoras = new()
    {
        { """[{"name": "sepia", "strength": 1}]""", "unknown LoRA 'sepia'; model 'ltx-tiny' has: foreign, style" },
        { """[{"name": "foreign"}]""", "none of its 2 layers matches a weight of the transformer" },
        { """[{"name": "../tiny/loras/style"}]""", "not a path" },
        { """[{"name": "/etc/passwd"}]""", "not a path" },
        { """[{"name": "style", "strength": 4.5}]""", "'loras[0].strength' must be a number between -4 and 4" },
        { """[{"name": "style", "strength": "1"}]""", "'loras[0].strength' must be a number" },
        { """[{"name": "style"}, {"name": "style.safetensors"}]""", "listed twice" },
        { """[{"name": "style", "weight": 1}]""", "unknown field 'loras[0].weight'" },
        { """[{"strength": 1}]""", "'loras[0].name' is required" },
        { "\"style\"", "'loras' must be an array" },
    };

    [Fact]
    public async Task A_bad_lora_is_a_400_that_leaves_no_job_and_no_file()
    {
        var files = DataFiles();
        var ran = server.Requests.Count;
        foreach (var (loras, expected) in BadLoras.Select(row => ((string)row[0], (string)row[1])))
        {
            var body = With(Request(), b => b["loras"] = JsonNode.Parse(loras));
            var response = await server.Client.PostAsync("/v1/text-to-video", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
            var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{loras}: {error.ToJsonString()}");
            Assert.Equal("invalid_request_error", (string?)error["error"]!["type"]);
            Assert.Contains(expected, (string?)error["error"]!["message"]);
        }

        // Jobs run in submission order: had a refused body queued a row, it would have run before this one.
        var next = await server.SubmitAsync(With(Request(), b => b["resolution"] = "32x32"));
        await server.CompletedAsync((string)next["id"]!);
        Assert.Equal(ran + 1, server.Requests.Count);
        Assert.Equal(files, DataFiles().Where(f => !f.Contains((string)next["id"]!, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_keyframe_strength_is_echoed_and_changes_the_video()
    {
        JsonObject Body(double? strength)
        {
            var keyframe = new JsonObject { ["image_uri"] = "data:image/png;base64," + Convert.ToBase64String(TestImages.Png(64, 64)), ["frame"] = "last" };
            if (strength is { } s) keyframe["strength"] = s;
            return With(Request(), b => b["frame_images"] = new JsonArray(keyframe));
        }
        var half = await server.SubmitAsync(Body(0.5));
        var echoed = Assert.Single(half["parameters"]!["frame_images"]!.AsArray())!;
        Assert.Equal(0.5, (double)echoed["strength"]!);
        Assert.Equal((int)half["parameters"]!["num_frames"]! - 1, (int)echoed["frame"]!);
        await server.CompletedAsync((string)half["id"]!);
        Assert.Equal(0.5, Assert.Single(server.Requests.Last().Images).Strength);

        var full = await RunAsync(Body(null));
        Assert.Equal(1.0, Assert.Single(server.Requests.Last().Images).Strength);
        Assert.NotEqual(full, await File.ReadAllBytesAsync(await server.DownloadAsync((string)half["id"]!)));

        foreach (var bad in new JsonNode[] { 1.5, -0.1, "0.5" })
        {
            var body = Body(null);
            body["frame_images"]![0]!["strength"] = bad.DeepClone();
            var response = await server.Client.PostAsync("/v1/text-to-video", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("frame_images[0].strength", await response.Content.ReadAsStringAsync());
        }
    }

    private List<string> DataFiles() =>
        [.. Directory.EnumerateFiles(Path.Combine(server.Root, "data"), "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).Contains(".db", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
}
