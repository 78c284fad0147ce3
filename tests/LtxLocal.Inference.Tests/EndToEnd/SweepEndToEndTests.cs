using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace LtxLocal.Inference.Tests.EndToEnd;

/// <summary>
/// Issue 14's sweeps through HTTP with the tiny model on the CPU: a 2 × 2 grid (steps × guidance_scale, one-stage, 64×64
/// with audio) runs to the end; every cell has timings, seconds per step, peak memory, bytes and quality numbers; the
/// reference cell measured against itself gives SSIM 1 and the documented infinite PSNR (null + psnr_infinite); the
/// report references a contact sheet whose size ffprobe finds equal to api.md's formula; the CSV parses; the prompt (and
/// the negative prompt) are encoded once for the whole sweep (the prompt-embedding cache's /metrics counters).
/// </summary>
[Trait("Category", "EndToEnd")]
[Trait("Component", "server")]
public sealed class SweepEndToEndTests
{
    [Fact]
    public async Task Two_by_two_sweep_is_measured_and_reported()
    {
        // GETs answer at once: quality comes from the background pass they ask for, and the test polls until it is there.
        using var server = new TinyModelServer(_ => { }, new() { ["Ltx:SweepMeasureWaitSeconds"] = "0" });
        var body = new JsonObject
        {
            ["kind"] = "text-to-video",
            ["request"] = new JsonObject
            {
                ["model"] = "Lightricks/LTX-2", ["prompt"] = "a lighthouse at dusk", ["duration"] = 4, ["fps"] = 24, ["resolution"] = "64x64",
                ["pipeline"] = "one-stage", ["generate_audio"] = true, ["seed"] = 7,
            },
            ["axes"] = new JsonObject { ["steps"] = new JsonArray(1, 2), ["guidance_scale"] = new JsonArray(1.0, 3.0) },
        };
        var before = await PromptCacheServerTests.ScrapeAsync(server);
        var response = await server.Client.PostAsync("/v1/sweeps", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var accepted = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, accepted.ToJsonString());
        Assert.Equal(3, (int)accepted["reference_cell"]!); // most steps (2), then the highest CFG (3)
        Assert.All(accepted["cells"]!.AsArray(), c => Assert.Equal(7L, (long)c!["parameters"]!["seed"]!)); // one seed for the grid

        var self = (string)accepted["links"]!["self"]!;
        var sweep = await WaitForMeasuredAsync(server, await WaitForEndAsync(server, self), self);
        Assert.Equal("completed", (string?)sweep["status"]);
        var cells = sweep["cells"]!.AsArray();
        Assert.Equal(4, cells.Count);
        var after = await PromptCacheServerTests.ScrapeAsync(server);
        // Two texts in the whole grid, the prompt and the default negative prompt: each encoded once, every other use a cache hit.
        Assert.Equal(2, after("ltxlocal_text_encoder_runs_total") - before("ltxlocal_text_encoder_runs_total"));
        Assert.True(after("ltxlocal_prompt_cache_hits_total") - before("ltxlocal_prompt_cache_hits_total") >= 3);
        foreach (var cell in cells)
        {
            var timings = cell!["timings"]!.AsObject();
            foreach (var stage in new[] { "text", "denoise", "decode", "audio", "mux", "total" }) Assert.True(timings.ContainsKey(stage), stage);
            Assert.True((double)cell["seconds_per_step"]! > 0);
            Assert.True((long)cell["peak_memory"]!["ledger_bytes"]! > 0);
            Assert.Null(cell["peak_memory"]!["allocator_bytes"]); // the CPU has no allocator statistics
            var job = await server.WaitForAsync((string)cell["job_id"]!, j => (string?)j["status"] == "completed");
            Assert.Equal((long)job["result"]!["bytes"]!, (long)cell["output_bytes"]!);
            var quality = cell["quality"]!;
            Assert.NotNull(quality["loudness_lufs"]);
            Assert.True((double)quality["flicker"]! >= 0);
            if ((bool)cell["reference"]!)
            {
                Assert.Equal(1.0, (double)quality["ssim"]!);
                Assert.Null(quality["psnr"]);
                Assert.True((bool)quality["psnr_infinite"]!);
            }
            else
            {
                Assert.False((bool)quality["psnr_infinite"]!); // other settings, another video
                Assert.True((double)quality["psnr"]! > 0);
                Assert.InRange((double)quality["ssim"]!, -1.0, 1.0);
            }
        }

        var report = await server.Client.GetAsync($"{self}/report");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Equal("text/html", report.Content.Headers.ContentType!.MediaType);
        var html = await report.Content.ReadAsStringAsync();
        Assert.Contains("<svg", html);
        Assert.DoesNotContain("src=\"http", html); // nothing fetched from elsewhere
        Assert.DoesNotContain("href=\"http", html);
        Assert.Contains("src=\"contact-sheet.png\"", html);
        var sheet = await server.Client.GetAsync(new Uri(new Uri("http://localhost" + self + "/report"), "contact-sheet.png").AbsolutePath);
        Assert.Equal("image/png", sheet.Content.Headers.ContentType!.MediaType);
        var sheetPath = Path.Combine(server.Root, "sheet.png");
        await File.WriteAllBytesAsync(sheetPath, await sheet.Content.ReadAsByteArrayAsync());
        var image = (await server.Probe.ProbeAsync(sheetPath)).Video!;
        // api.md: tiles of the reference's size (64 ≤ 256: unscaled), 3 columns and one row per cell, 2 px between tiles
        Assert.Equal((3 * 64 + 2 * 2, 4 * 64 + 3 * 2), (image.Width, image.Height));

        var csv = await (await server.Client.GetAsync(self + "?format=csv")).Content.ReadAsStringAsync();
        var rows = Csv(csv);
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.Equal(rows[0].Count, r.Count));
        var ssim = rows[0].IndexOf("ssim");
        Assert.Equal("1", rows[4][ssim]);
        Assert.Equal(cells.Select(c => (string?)c!["job_id"]), rows.Skip(1).Select(r => r[rows[0].IndexOf("job_id")]));
    }

    private static async Task<JsonObject> WaitForEndAsync(TinyModelServer server, string self)
    {
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (true)
        {
            var sweep = JsonNode.Parse(await server.Client.GetStringAsync(self))!.AsObject();
            if ((string?)sweep["status"] is not ("queued" or "running")) return sweep;
            if (DateTime.UtcNow > deadline) throw new TimeoutException(sweep.ToJsonString());
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// Polls until every completed cell has its quality numbers; meanwhile a completed cell without them must say it is
    /// being measured (both it and the reference completed: nothing else may hold it back).
    /// </summary>
    private static async Task<JsonObject> WaitForMeasuredAsync(TinyModelServer server, JsonObject sweep, string self)
    {
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (true)
        {
            var pending = sweep["cells"]!.AsArray().Where(c => (string?)c!["status"] == "completed" && c["quality"] is null).ToList();
            if (pending.Count == 0) return sweep;
            Assert.All(pending, c => Assert.Equal("being measured in the background: ask again shortly", (string?)c!["quality_note"]));
            if (DateTime.UtcNow > deadline) throw new TimeoutException(sweep.ToJsonString());
            await Task.Delay(200);
            sweep = JsonNode.Parse(await server.Client.GetStringAsync(self))!.AsObject();
        }
    }

    /// <summary>RFC 4180: records end in CRLF; a quoted field may hold commas, quotes (doubled) and line breaks.</summary>
    private static List<List<string>> Csv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else field.Append(c);
        }
        Assert.True(field.Length == 0 && row.Count == 0, "the CSV must end with CRLF");
        return rows;
    }
}
