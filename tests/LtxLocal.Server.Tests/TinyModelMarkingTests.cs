using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LtxLocal.Server.Tests;

/// <summary>A model whose manifest says "kind": "tiny" is flagged as noise in /v1/models, in job status and at start-up.</summary>
public sealed class TinyModelMarkingTests
{
    private const string Notice = "random weights: output is noise";

    [Fact]
    public async Task Tiny_model_is_marked_in_models_status_and_banner()
    {
        var root = Directory.CreateTempSubdirectory("ltx-tiny-mark-").FullName;
        var dir = Path.Combine(root, "models", "ltx-tiny");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "ltx-model.json"), """{"id": "ltx-tiny", "kind": "tiny", "pipelines": ["distilled"], "audio": true}""");
        try
        {
            await CheckMarked(root);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task CheckMarked(string root)
    {
        var log = new LogCapture();
        await using var host = new TestHost(root: root, installModel: false, services: s => s.AddSingleton<ILoggerProvider>(log));

        var model = (await TestHost.ReadAsync(await host.Client.GetAsync("/v1/models")))["data"]![0]!;
        Assert.Equal(("tiny", Notice), ((string?)model["kind"], (string?)model["notice"]));

        var job = await host.SubmitAsync();
        var status = await host.StatusAsync((string)job["id"]!);
        Assert.Equal(("tiny", Notice), ((string?)status["model_kind"], (string?)status["model_notice"]));

        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("ltx-tiny") && e.Message.Contains(Notice));
    }

    [Fact]
    public async Task Real_model_has_kind_full_and_no_notice()
    {
        await using var host = new TestHost();
        var model = (await TestHost.ReadAsync(await host.Client.GetAsync("/v1/models")))["data"]![0]!;
        Assert.Equal("full", (string?)model["kind"]);
        Assert.Null(model["notice"]);
        var status = await host.StatusAsync((string)(await host.SubmitAsync())["id"]!);
        Assert.Equal("full", (string?)status["model_kind"]);
        Assert.Null(status["model_notice"]);
    }
}
