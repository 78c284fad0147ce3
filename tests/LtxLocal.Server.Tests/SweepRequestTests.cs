using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace LtxLocal.Server.Tests;

/// <summary>
/// POST /v1/sweeps refusals (documented error shape, nothing queued), the cancel of a sweep whose cells wait in the queue,
/// a sweep that outlives a restart, and one deleted (row, cached quality, contact sheet) once all its cells' jobs are gone. The fake generator stands in for the pipelines; the tiny-model sweep that runs to
/// the end and is measured lives in the end-to-end tests.
/// </summary>
public sealed class SweepRequestTests
{
    /// <summary>A text-to-video sweep of the one-stage pipeline (unless pipeline is an axis) over <paramref name="axes"/>.</summary>
    private static JsonObject Sweep(JsonObject axes) => new()
    {
        ["kind"] = "text-to-video", ["request"] = TestHost.Request(axes.ContainsKey("pipeline") ? null : new { pipeline = "one-stage" }), ["axes"] = axes,
    };

    private static JsonArray List(params object[] values) => new([.. values.Select(v => JsonValue.Create(v))]);

    [Fact]
    public async Task Grid_over_64_cells_is_a_400_with_its_count_and_queues_nothing()
    {
        await using var host = new TestHost();
        var axes = new JsonObject { ["steps"] = List(1, 2, 3, 4, 5, 6, 7, 8, 9), ["guidance_scale"] = List(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0) };
        var message = await TestHost.AssertErrorAsync(await host.PostJsonAsync("/v1/sweeps", Sweep(axes)), 400, "invalid_request_error");
        Assert.Contains("72 cells", message);
        Assert.Equal(0, host.JobRowCount());
    }

    [Theory]
    [InlineData("""{"cfg": [1, 2]}""", "axes.cfg")]
    [InlineData("""{"steps": []}""", "axes.steps")]
    [InlineData("""{"steps": [2.5]}""", "axes.steps[0]")]
    [InlineData("""{"pipeline": [3]}""", "axes.pipeline[0]")]
    [InlineData("""{"steps": [2, 2]}""", "twice")]
    [InlineData("""{}""", "names no axis")]
    [InlineData("""{"guidance_scale": [3, 30]}""", "cell 1 (guidance_scale=30)")]
    [InlineData("""{"pipeline": ["one-stage", "three-stage"]}""", "cell 1 (pipeline=three-stage)")]
    [InlineData("""{"steps": [2, 500]}""", "cell 1 (steps=500)")]
    public async Task Bad_axes_are_a_400_naming_the_problem_and_queue_nothing(string axes, string named)
    {
        await using var host = new TestHost();
        var response = await host.PostJsonAsync("/v1/sweeps", Sweep(JsonNode.Parse(axes)!.AsObject()));
        Assert.Contains(named, await TestHost.AssertErrorAsync(response, 400, "invalid_request_error"));
        Assert.Equal(0, host.JobRowCount());
    }

    [Theory]
    [InlineData("""{"kind": "text-to-video", "axes": {"steps": [1]}}""", "'request' is required")]
    [InlineData("""{"kind": "retake", "request": {}, "axes": {"steps": [1]}}""", "'kind' must be one of")]
    [InlineData("""{"kind": "text-to-video", "request": {"model": "Lightricks/LTX-2", "prompt": "x"}, "axes": {"steps": [1]}, "extra": 1}""", "unknown field 'extra'")]
    [InlineData("""{"kind": "text-to-video", "request": {"model": "Lightricks/LTX-2", "prompt": "x", "stpes": 3}, "axes": {"steps": [1]}}""", "cell 0 (steps=1): unknown field 'stpes'")]
    [InlineData("""{"kind": "text-to-video", "request": {"model": "Lightricks/LTX-2", "prompt": "x", "steps": 3}, "axes": {"steps": [1]}}""", "'request.steps' is also an axis")]
    [InlineData("""{"kind": "text-to-video", "request": {"model": "Lightricks/LTX-2", "prompt": "x"}, "axes": {"steps": [1, 2]}, "reference_cell": {"steps": 7}}""", "matches no cell")]
    [InlineData("""{"kind": "text-to-video", "request": {"model": "Lightricks/LTX-2", "prompt": "x", "number_results": 2}, "axes": {"steps": [1]}}""", "number_results")]
    public async Task Bad_sweep_bodies_are_a_400_and_queue_nothing(string body, string named)
    {
        await using var host = new TestHost();
        var response = await host.PostJsonAsync("/v1/sweeps", JsonNode.Parse(body)!);
        Assert.Contains(named, await TestHost.AssertErrorAsync(response, 400, "invalid_request_error"));
        Assert.Equal(0, host.JobRowCount());
    }

    [Fact]
    public async Task Sweeps_need_the_api_key()
    {
        await using var host = new TestHost();
        var anonymous = host.Anonymous();
        await TestHost.AssertErrorAsync(await anonymous.GetAsync($"/v1/sweeps/{Guid.NewGuid()}"), 401, "authentication_error");
        await TestHost.AssertErrorAsync(await anonymous.GetAsync($"/v1/sweeps/{Guid.NewGuid()}/contact-sheet.png"), 401, "authentication_error");
        await TestHost.AssertErrorAsync(await host.Client.GetAsync($"/v1/sweeps/{Guid.NewGuid()}"), 404, "not_found");
    }

    [Fact]
    public async Task Cancelling_a_sweep_cancels_its_queued_cells_and_the_running_one()
    {
        await using var host = new TestHost();
        host.Generator.Hold(); // the first cell starts and waits; the rest stay queued
        var accepted = await SubmitAsync(host, Sweep(new JsonObject { ["steps"] = List(1, 2, 3, 4) }));
        Assert.Contains((string?)accepted["status"], new[] { "queued", "running" }); // the worker may take cell 0 before the answer is built
        Assert.Equal(4, (int)accepted["cell_count"]!);
        Assert.Equal(3, (int)accepted["reference_cell"]!); // most steps
        await host.Generator.WaitForStartAsync();

        var response = await host.Client.DeleteAsync((string)accepted["links"]!["self"]!);
        var cancelled = await TestHost.ReadAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        host.Generator.Release();

        Assert.Equal("cancelled", (string?)cancelled["status"]);
        var cells = cancelled["cells"]!.AsArray();
        Assert.All(cells, c => Assert.Equal("cancelled", (string?)c!["status"]));
        foreach (var cell in cells) Assert.Equal("cancelled", (string?)(await host.StatusAsync((string)cell!["job_id"]!))["status"]);
        Assert.Single(host.Generator.Requests); // no queued cell started
    }

    [Fact]
    public async Task A_sweep_outlives_a_restart()
    {
        var root = Directory.CreateTempSubdirectory("ltx-sweep-restart-").FullName;
        try
        {
            JsonObject accepted;
            await using (var first = new TestHost(root: root))
            {
                first.Generator.Hold();
                accepted = await SubmitAsync(first, Sweep(new JsonObject { ["steps"] = List(1, 2), ["guidance_scale"] = List(2.0, 4.0) }));
                Assert.Equal(4, accepted["cells"]!.AsArray().Count);
            }
            await using var second = new TestHost(root: root);
            var response = await second.Client.GetAsync((string)accepted["links"]!["self"]!);
            var sweep = await TestHost.ReadAsync(response);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(accepted["cells"]!.AsArray().Select(c => (string?)c!["job_id"]), sweep["cells"]!.AsArray().Select(c => (string?)c!["job_id"]));
            Assert.Equal(3, (int)sweep["reference_cell"]!); // steps 2, guidance 4
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_sweep_whose_cells_have_all_expired_is_deleted_with_its_contact_sheet()
    {
        var clock = new LtxLocal.Server.Testing.ShiftedClock();
        await using var host = new TestHost(services: s => s.AddSingleton<TimeProvider>(clock));
        var body = new JsonObject
        {
            ["kind"] = "text-to-video", ["request"] = TestHost.Request(new { pipeline = "one-stage", ttl = 60 }), ["axes"] = new JsonObject { ["steps"] = List(1, 2) },
        };
        var accepted = await SubmitAsync(host, body);
        var self = (string)accepted["links"]!["self"]!;
        foreach (var cell in accepted["cells"]!.AsArray()) await host.WaitForAsync((string)cell!["job_id"]!, "completed");
        var sheet = await host.Client.GetAsync($"{self}/contact-sheet.png");
        Assert.Equal(HttpStatusCode.OK, sheet.StatusCode);
        var folder = Path.Combine(host.DataDir, "sweeps", (string)accepted["id"]!);
        Assert.True(File.Exists(Path.Combine(folder, "contact-sheet.png")));

        // One cell deleted by hand: the sweep stays, showing it as expired.
        var first = (string)accepted["cells"]![0]!["job_id"]!;
        Assert.Equal(HttpStatusCode.NoContent, (await host.Client.DeleteAsync($"/v1/jobs/{first}")).StatusCode);
        var partly = await TestHost.ReadAsync(await host.Client.GetAsync(self));
        Assert.Equal("expired", (string?)partly["cells"]![0]!["status"]);

        clock.Advance(TimeSpan.FromSeconds(61)); // the other cell's ttl passes; the expiry pass (every 0.2 s here) removes it, then the sweep
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await host.Client.GetAsync(self)).StatusCode != HttpStatusCode.NotFound && DateTime.UtcNow < deadline) await Task.Delay(50);
        await TestHost.AssertErrorAsync(await host.Client.GetAsync(self), 404, "not_found");
        Assert.False(Directory.Exists(folder));
        using var db = host.OpenDatabase();
        using var count = db.CreateCommand();
        count.CommandText = "SELECT (SELECT COUNT(*) FROM sweeps) + (SELECT COUNT(*) FROM sweep_quality)";
        Assert.Equal(0L, (long)count.ExecuteScalar()!);
    }

    private static async Task<JsonObject> SubmitAsync(TestHost host, JsonObject body)
    {
        var response = await host.PostJsonAsync("/v1/sweeps", body);
        var json = await TestHost.ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, json.ToJsonString());
        return json;
    }
}
