using System.Net;
using System.Text.Json.Nodes;

namespace LtxLocal.Server.Tests;

/// <summary>
/// GET /v1/jobs through HTTP: newest first, cursor pages that neither repeat nor skip a job while new jobs arrive, the
/// status filter, and a 400 in the documented shape for every bad query.
/// </summary>
public sealed class JobListTests : IAsyncLifetime
{
    private readonly TestHost _host = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<JsonObject> ListAsync(string query)
    {
        var response = await _host.Client.GetAsync("/v1/jobs" + query);
        var body = await TestHost.ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    private static List<string> Ids(JsonObject page) => [.. page["data"]!.AsArray().Select(j => (string)j!["id"]!)];

    [Fact]
    public async Task Pages_through_25_jobs_newest_first_without_duplicates_while_new_jobs_arrive()
    {
        var submitted = new List<string>();
        for (var i = 0; i < 25; i++) submitted.Add((string)(await _host.SubmitAsync())["id"]!);
        submitted.Reverse(); // newest first

        var seen = new List<string>();
        var first = await ListAsync("?limit=10");
        seen.AddRange(Ids(first));
        // Jobs submitted between pages are newer than the cursor: they must not shift the pages still to come.
        var late = new List<string>();
        for (var i = 0; i < 3; i++) late.Add((string)(await _host.SubmitAsync())["id"]!);
        var cursor = (string?)first["next_cursor"];
        var pages = 1;
        while (cursor is not null)
        {
            var page = await ListAsync($"?limit=10&cursor={Uri.EscapeDataString(cursor)}");
            seen.AddRange(Ids(page));
            cursor = (string?)page["next_cursor"];
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(submitted, seen);
        var all = Ids(await ListAsync("?limit=100"));
        Assert.Equal([.. Enumerable.Reverse(late), .. submitted], all);
    }

    [Fact]
    public async Task A_page_holds_status_bodies_and_the_default_limit_is_20()
    {
        for (var i = 0; i < 21; i++) await _host.SubmitAsync();
        var page = await ListAsync("");
        Assert.Equal(20, page["data"]!.AsArray().Count);
        Assert.NotNull((string?)page["next_cursor"]);
        var job = page["data"]![0]!;
        Assert.Equal("64x64", (string?)job["parameters"]!["resolution"]);
        Assert.NotNull((string?)job["status"]);
    }

    [Fact]
    public async Task Status_filter_keeps_the_named_statuses()
    {
        _host.Generator.Hold();
        var running = (string)(await _host.SubmitAsync())["id"]!;
        await _host.Generator.WaitForStartAsync();
        var queued = (string)(await _host.SubmitAsync())["id"]!;
        var cancelled = (string)(await _host.SubmitAsync())["id"]!;
        Assert.Equal(HttpStatusCode.OK, (await _host.PostAsync($"/v1/jobs/{cancelled}/cancel")).StatusCode);
        await _host.WaitForAsync(running, "processing");

        Assert.Equal([cancelled], Ids(await ListAsync("?status=cancelled")));
        Assert.Equal([cancelled, queued], Ids(await ListAsync("?status=queued,cancelled")));
        Assert.Equal([queued, running], Ids(await ListAsync("?status=queued&status=processing")));
        Assert.Empty(Ids(await ListAsync("?status=completed")));
        _host.Generator.Release();
    }

    [Theory]
    [InlineData("?status=done", "unknown status 'done'")]
    [InlineData("?status=queued,runing", "unknown status 'runing'")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?cursor=not-a-cursor", "cursor")]
    [InlineData("?cursor=MjAyNi0wMS0wMVQwMDowMDowMC4wMDAwMDAwWnxub3QtYW4taWQ", "cursor")] // base64url of a time and a non-id
    public async Task Bad_query_is_a_400_in_the_documented_shape(string query, string mentions)
    {
        var message = await TestHost.AssertErrorAsync(await _host.Client.GetAsync("/v1/jobs" + query), 400, "invalid_request_error");
        Assert.Contains(mentions, message);
    }

    [Fact]
    public async Task Listing_needs_a_key()
    {
        await TestHost.AssertErrorAsync(await _host.Anonymous().GetAsync("/v1/jobs"), 401, "authentication_error");
    }
}
