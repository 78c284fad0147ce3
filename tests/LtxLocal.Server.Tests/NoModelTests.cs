using System.Net;
using LtxLocal.Inference;
using LtxLocal.Server.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LtxLocal.Server.Tests;

/// <summary>Without a model (or without a backend) the server starts, says why it is not ready, and answers valid requests 503.</summary>
public sealed class NoModelTests
{
    [Fact]
    public async Task Without_a_model_ready_is_503_and_says_how_to_install_one()
    {
        await using var host = new TestHost(installModel: false);
        var response = await host.Anonymous().GetAsync("/ready");
        var message = await TestHost.AssertErrorAsync(response, 503, "service_unavailable");
        Assert.Contains("create-tiny", message);
        Assert.Equal(HttpStatusCode.OK, (await host.Anonymous().GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Without_a_model_a_valid_request_gets_503_with_the_weights_location()
    {
        await using var host = new TestHost(installModel: false);
        var message = await TestHost.AssertErrorAsync(await host.PostJsonAsync("/v1/text-to-video", TestHost.Request()), 503, "service_unavailable");
        Assert.Contains(host.ModelsDir, message);
        Assert.Contains("ltx-local models create-tiny --out models/tiny", message);
        Assert.Equal(0, host.JobRowCount());
    }

    [Fact]
    public async Task Without_a_model_a_malformed_request_is_still_400()
    {
        await using var host = new TestHost(installModel: false);
        await TestHost.AssertErrorAsync(await host.PostJsonAsync("/v1/text-to-video", TestHost.Request(new { fps = 30 })), 400, "invalid_request_error");
        await TestHost.AssertErrorAsync(await host.PostJsonAsync("/v1/text-to-video", TestHost.Request(new { model = "no-such-model" })), 400, "invalid_request_error");
    }

    [Fact]
    public async Task Without_a_backend_the_model_is_listed_unavailable_and_requests_get_503()
    {
        await using var host = new TestHost(withGenerator: false);
        var models = await TestHost.ReadAsync(await host.Client.GetAsync("/v1/models"));
        var model = models["data"]!.AsArray().Single()!;
        Assert.Equal(("unavailable", true), ((string?)model["state"], ((string?)model["reason"])!.Contains("backend")));
        await TestHost.AssertErrorAsync(await host.PostJsonAsync("/v1/text-to-video", TestHost.Request()), 503, "service_unavailable");
        await TestHost.AssertErrorAsync(await host.Anonymous().GetAsync("/ready"), 503, "service_unavailable");
    }

    [Fact]
    public async Task Without_a_gpu_and_no_cpu_worker_requests_get_503()
    {
        await using var host = new TestHost(new() { ["Ltx:Devices"] = "all" });
        var message = await TestHost.AssertErrorAsync(await host.PostJsonAsync("/v1/text-to-video", TestHost.Request()), 503, "service_unavailable");
        Assert.Contains("GPU", message);
    }

    [Fact]
    public async Task With_model_backend_and_worker_ready_is_200_and_models_lists_the_alias()
    {
        await using var host = new TestHost(services: s => s.AddSingleton<IGpuInventory>(new FakeGpuInventory()));
        var ready = await TestHost.ReadAsync(await host.Anonymous().GetAsync("/ready"));
        Assert.True((bool)ready["ready"]!);
        var model = (await TestHost.ReadAsync(await host.Client.GetAsync("/v1/models")))["data"]![0]!;
        Assert.Equal((TestHost.ModelId, "ready", true), ((string?)model["id"], (string?)model["state"], (bool)model["default"]!));
        Assert.Contains(IModelCatalog.DefaultAlias, model["aliases"]!.AsArray().Select(a => (string?)a));
    }

    [Fact]
    public async Task Metrics_are_prometheus_text()
    {
        await using var host = new TestHost();
        await host.SubmitAsync();
        var response = await host.Anonymous().GetAsync("/metrics");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE ltx_queue_depth gauge", text);
        Assert.Contains("ltx_jobs_submitted_total 1", text);
        Assert.Contains("ltx_ready 1", text);
    }

    [Fact]
    public async Task Missing_ffmpeg_stops_the_server_at_startup_with_a_clear_message()
    {
        // The real host, started the way `ltx-local serve` starts it (no test factory in between).
        var root = Directory.CreateTempSubdirectory("ltx-no-ffmpeg-").FullName;
        try
        {
            await using var app = ServerApp.Build([
                "--urls", "http://127.0.0.1:0", "--Ltx:DataDir", Path.Combine(root, "data"), "--Ltx:ModelsDir", Path.Combine(root, "models"),
                "--Ltx:FfmpegPath", "/nonexistent/ffmpeg", "--Serilog:MinimumLevel:Default", "Fatal"]);
            var e = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
            Assert.True(e.ToString().Contains("apt-get install ffmpeg"), e.ToString());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
