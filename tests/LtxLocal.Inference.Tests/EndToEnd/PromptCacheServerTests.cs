using System.Globalization;
using System.Text.Json.Nodes;

namespace LtxLocal.Inference.Tests.EndToEnd;

/// <summary>
/// The prompt-embedding cache through HTTP with the tiny model: two jobs with the same prompt (different seeds) run the
/// text encoder once, which /metrics shows (ltxlocal_text_encoder_runs_total, ltxlocal_prompt_cache_hits_total,
/// ltxlocal_prompt_cache_bytes); with Ltx:PromptCacheBytes=0 every job encodes.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class PromptCacheServerTests
{
    private static JsonObject Body(int seed) => new()
    {
        ["model"] = "Lightricks/LTX-2", ["prompt"] = "a lighthouse at dusk", ["duration"] = 1, ["fps"] = 24, ["resolution"] = "128x128",
        ["pipeline"] = "distilled", ["generate_audio"] = true, ["seed"] = seed,
    };

    private static async Task<Func<string, double>> ScrapeAsync(TinyModelServer server)
    {
        var text = await server.Client.GetStringAsync("/metrics");
        return name =>
        {
            var line = text.Split('\n').SingleOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal));
            Assert.True(line is not null, $"no '{name}' series in:\n{text}");
            return double.Parse(line[(name.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
        };
    }

    private static async Task RunTwoJobsAsync(TinyModelServer server)
    {
        foreach (var seed in new[] { 5, 6 })
            await server.CompletedAsync((string)(await server.SubmitAsync(Body(seed)))["id"]!);
    }

    [Fact]
    public async Task A_repeated_prompt_runs_the_text_encoder_once()
    {
        using var server = new TinyModelServer();
        var before = await ScrapeAsync(server);
        Assert.Equal(0, before("ltxlocal_text_encoder_runs_total"));
        Assert.Equal(0, before("ltxlocal_prompt_cache_bytes"));

        await RunTwoJobsAsync(server);

        var after = await ScrapeAsync(server);
        Assert.Equal(1, after("ltxlocal_text_encoder_runs_total"));
        Assert.Equal(1, after("ltxlocal_prompt_cache_hits_total"));
        Assert.True(after("ltxlocal_prompt_cache_bytes") > 0);
    }

    [Fact]
    public async Task With_the_cache_off_every_job_encodes()
    {
        using var server = new TinyModelServer(_ => { }, new Dictionary<string, string?> { ["Ltx:PromptCacheBytes"] = "0" });
        await RunTwoJobsAsync(server);

        var after = await ScrapeAsync(server);
        Assert.Equal(2, after("ltxlocal_text_encoder_runs_total"));
        Assert.Equal(0, after("ltxlocal_prompt_cache_hits_total"));
        Assert.Equal(0, after("ltxlocal_prompt_cache_bytes"));
    }
}
