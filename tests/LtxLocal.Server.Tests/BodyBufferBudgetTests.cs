using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LtxLocal.Server.Endpoints;

namespace LtxLocal.Server.Tests;

/// <summary>
/// Issue 15, defect 4 (bodies): JSON bodies are held in memory within one server-wide budget
/// (Ltx:MaxBufferedBodyBytes). A body that does not fit beside the ones being read is a 503 with Retry-After in the
/// documented shape, before it is read; a body over Ltx:MaxBodyBytes is a 413 whether or not it announced its length.
/// </summary>
public sealed class BodyBufferBudgetTests
{
    /// <summary>A JSON body of exactly <paramref name="length"/> bytes (the request padded with spaces) that stops after its first kilobyte until released.</summary>
    private sealed class HeldBody(byte[] json, int length) : HttpContent
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _release.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var body = new byte[length];
            Array.Fill(body, (byte)' ');
            json.CopyTo(body, 0);
            await stream.WriteAsync(body.AsMemory(0, 1024));
            await stream.FlushAsync();
            await _release.Task;
            await stream.WriteAsync(body.AsMemory(1024));
        }

        protected override bool TryComputeLength(out long size)
        {
            size = length;
            return true;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited 60 s for {what}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_body_that_does_not_fit_beside_the_ones_being_read_is_a_503_until_they_are_done()
    {
        await using var host = new TestHost(new() { ["Ltx:MaxBodyBytes"] = "400000", ["Ltx:MaxBufferedBodyBytes"] = "500000" });
        var budget = host.Service<BodyBufferBudget>();
        var json = Encoding.UTF8.GetBytes(TestHost.Request(new { dry_run = true }).ToJsonString());
        var held = new HeldBody(json, 300_000);
        held.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var streaming = host.StreamingClient();
        var first = streaming.PostAsync("/v1/text-to-video", held);
        // The first body's reservation is what the server holds once it started reading it.
        await WaitUntilAsync(() => budget.Held >= 300_000, "the first body's reservation");

        var second = new ByteArrayContent([.. json, .. Enumerable.Repeat((byte)' ', 300_000 - json.Length)]);
        second.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var refused = await host.Client.PostAsync("/v1/text-to-video", second);
        var message = await TestHost.AssertErrorAsync(refused, 503, "service_unavailable");
        Assert.Contains("Ltx:MaxBufferedBodyBytes", message);
        Assert.NotNull(refused.Headers.RetryAfter);

        held.Release();
        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode); // a dry run: planned, not queued
        await WaitUntilAsync(() => budget.Held == 0, "the reservations to be released");
        var again = new ByteArrayContent([.. json, .. Enumerable.Repeat((byte)' ', 300_000 - json.Length)]);
        again.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAsync("/v1/text-to-video", again)).StatusCode);
        Assert.Equal(0, host.JobRowCount());
    }

    /// <summary>A body without Content-Length (chunked), streamed in 64 KB pieces.</summary>
    private sealed class ChunkedBody(int length) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var piece = new byte[65536];
            Array.Fill(piece, (byte)' ');
            for (int sent = 0; sent < length; sent += piece.Length) await stream.WriteAsync(piece.AsMemory(0, Math.Min(piece.Length, length - sent)));
        }

        protected override bool TryComputeLength(out long size)
        {
            size = 0;
            return false;
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_json_body_over_the_limit_is_a_413_with_or_without_a_length(bool announced)
    {
        await using var host = new TestHost(new() { ["Ltx:MaxBodyBytes"] = "200000" });
        HttpContent content = announced ? new ByteArrayContent(new byte[250_000]) : new ChunkedBody(1_000_000);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var message = await TestHost.AssertErrorAsync(await host.Client.PostAsync("/v1/text-to-video", content), 413, "request_too_large");
        Assert.Contains("Ltx:MaxBodyBytes", message);
        Assert.Equal(0, host.Service<BodyBufferBudget>().Held);
        Assert.Equal(0, host.JobRowCount());
    }
}
