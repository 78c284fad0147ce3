using System.Net;

namespace LtxLocal.Server.Tests;

/// <summary>Status, download, cancel and expiry error paths, each with its documented status and body.</summary>
public sealed class JobLifecycleTests : IAsyncLifetime
{
    private readonly TestHost _host = new(new() { ["Ltx:MaxQueuedJobs"] = "2" });

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>Submits a job that holds the only worker (processing, at the generator's gate) until Release.</summary>
    private async Task<string> OccupyTheWorkerAsync()
    {
        _host.Generator.Hold();
        var id = (string)(await _host.SubmitAsync())["id"]!;
        await _host.WaitForAsync(id, "processing");
        return id;
    }

    [Fact]
    public async Task Download_before_completion_returns_409()
    {
        _host.Generator.Hold();
        var id = (string)(await _host.SubmitAsync())["id"]!;
        await TestHost.AssertErrorAsync(await _host.PostAsync($"/v1/jobs/{id}/download"), 409, "conflict");
        _host.Generator.Release();
    }

    [Theory]
    [InlineData("/v1/jobs/{0}")]
    [InlineData("/v1/jobs/{0}/download")]
    [InlineData("/v1/jobs/{0}/cancel")]
    public async Task Unknown_id_returns_404(string route)
    {
        await TestHost.AssertErrorAsync(await _host.PostAsync(string.Format(route, Guid.NewGuid())), 404, "not_found");
        await TestHost.AssertErrorAsync(await _host.PostAsync(string.Format(route, "not-a-uuid")), 404, "not_found");
    }

    [Fact]
    public async Task Full_queue_returns_429_with_retry_after()
    {
        var running = await OccupyTheWorkerAsync();
        await _host.SubmitAsync();
        await _host.SubmitAsync();
        var response = await _host.PostJsonAsync("/v1/text-to-video", TestHost.Request());
        await TestHost.AssertErrorAsync(response, 429, "rate_limit_error");
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(3, _host.JobRowCount());
        _host.Generator.Release();
    }

    [Fact]
    public async Task Queued_jobs_report_their_queue_position()
    {
        var first = await OccupyTheWorkerAsync();
        var second = (string)(await _host.SubmitAsync())["id"]!;
        var third = (string)(await _host.SubmitAsync())["id"]!;
        Assert.Equal(1, (int)(await _host.StatusAsync(second))["queue_position"]!);
        Assert.Equal(2, (int)(await _host.StatusAsync(third))["queue_position"]!);
        Assert.Equal("queued", (string?)(await _host.StatusAsync(third))["progress"]!["stage"]);
        _host.Generator.Release();
    }

    [Fact]
    public async Task Cancel_of_a_queued_job_cancels_it_and_it_never_runs()
    {
        var running = await OccupyTheWorkerAsync();
        var queued = (string)(await _host.SubmitAsync())["id"]!;
        var response = await _host.PostAsync($"/v1/jobs/{queued}/cancel");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("cancelled", (string?)(await TestHost.ReadAsync(response))["status"]);
        _host.Generator.Release();
        await _host.WaitForAsync(running, "completed");
        Assert.Equal("cancelled", (string?)(await _host.StatusAsync(queued))["status"]);
        Assert.Single(_host.Generator.Requests);
    }

    [Fact]
    public async Task Cancel_of_a_running_job_stops_the_generator()
    {
        _host.Generator.Hold();
        var id = (string)(await _host.SubmitAsync())["id"]!;
        await _host.Generator.WaitForStartAsync();
        var response = await _host.PostAsync($"/v1/jobs/{id}/cancel");
        Assert.Equal("cancelled", (string?)(await TestHost.ReadAsync(response))["status"]);
        // The worker is free again: the next job runs (the gate stays closed for the cancelled one only).
        _host.Generator.Release();
        var next = (string)(await _host.SubmitAsync())["id"]!;
        await _host.WaitForAsync(next, "completed");
        var job = await _host.StatusAsync(id);
        Assert.Equal(("cancelled", "cancelled"), ((string?)job["status"], (string?)job["error"]!["type"]));
        Assert.False(File.Exists(Path.Combine(_host.DataDir, "outputs", $"{id}.mp4")));
    }

    [Fact]
    public async Task Cancel_of_a_finished_job_returns_409()
    {
        var id = (string)(await _host.SubmitAsync())["id"]!;
        await _host.WaitForAsync(id, "completed");
        await TestHost.AssertErrorAsync(await _host.PostAsync($"/v1/jobs/{id}/cancel"), 409, "conflict");
    }

    [Fact]
    public async Task Unknown_v1_route_returns_404_in_the_error_shape() =>
        await TestHost.AssertErrorAsync(await _host.PostAsync("/v1/nothing-here"), 404, "not_found");
}

/// <summary>Results expire after the TTL (about 1.1 s here): the id answers 404, file and row are deleted.</summary>
public sealed class ExpiryTests
{
    [Fact]
    public async Task Expired_job_returns_404_and_its_file_is_deleted()
    {
        await using var host = new TestHost(new() { ["Ltx:ResultTtlHours"] = "0.0003" });
        var id = (string)(await host.SubmitAsync())["id"]!;
        await host.WaitForAsync(id, "completed");
        var output = Path.Combine(host.DataDir, "outputs", $"{id}.mp4");
        Assert.True(File.Exists(output));
        await Task.Delay(TimeSpan.FromSeconds(1.6)); // TTL is about 1.1 s here
        await TestHost.AssertErrorAsync(await host.PostAsync($"/v1/jobs/{id}"), 404, "not_found");
        await TestHost.AssertErrorAsync(await host.PostAsync($"/v1/jobs/{id}/download"), 404, "not_found");
        for (var i = 0; i < 40 && File.Exists(output); i++) await Task.Delay(100);
        Assert.False(File.Exists(output));
        Assert.Equal(0, host.JobRowCount());
    }
}
