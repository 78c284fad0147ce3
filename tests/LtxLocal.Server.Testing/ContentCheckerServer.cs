using System.Collections.Concurrent;
using System.Text.Json;
using LtxLocal.Media;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LtxLocal.Server.Testing;

/// <summary>
/// A content checker for tests, on 127.0.0.1 (random port), speaking the server's checker protocol: it denies an inputs
/// check whose prompt contains <see cref="DeniedWord"/> and a content check whose frames are all black (it decodes every
/// PNG it is sent), and allows the rest. <see cref="Failing"/> makes it answer 503, as a broken moderation service would.
/// </summary>
public sealed class ContentCheckerServer : IAsyncDisposable
{
    public const string DeniedWord = "forbidden";
    private readonly WebApplication _app;

    /// <summary>Every check received, decoded: kind, prompt, and each image's name, frame index, size and pixels (RGB).</summary>
    public ConcurrentQueue<ReceivedCheck> Checks { get; } = new();
    public volatile bool Failing;
    public string Url { get; }

    private ContentCheckerServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public static async Task<ContentCheckerServer> StartAsync()
    {
        ContentCheckerServer? self = null;
        var decoder = new ImageDecoder(new ImageLimits());
        var (app, baseUrl) = await LoopbackApp.StartAsync(app => app.MapPost("/check", async (HttpContext context) =>
        {
            if (self!.Failing) return Results.StatusCode(503);
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            var root = body.RootElement;
            var images = new List<ReceivedImage>();
            foreach (var image in root.GetProperty("images").EnumerateArray())
            {
                Assert("image/png", image.GetProperty("content_type").GetString());
                var decoded = await decoder.DecodeAsync(Convert.FromBase64String(image.GetProperty("data").GetString()!));
                images.Add(new ReceivedImage(image.GetProperty("name").GetString()!,
                    image.TryGetProperty("frame", out var f) && f.ValueKind == JsonValueKind.Number ? f.GetInt32() : null,
                    decoded.Width, decoded.Height, decoded.Rgb));
            }
            var check = new ReceivedCheck(root.GetProperty("check").GetString()!, root.GetProperty("prompt").GetString()!, images);
            self.Checks.Enqueue(check);
            if (check.Kind == "inputs" && check.Prompt.Contains(DeniedWord, StringComparison.OrdinalIgnoreCase))
                return Results.Json(new { allow = false, reason = $"the prompt contains '{DeniedWord}'" });
            if (check.Kind == "content" && images.Count > 0 && images.All(i => i.Rgb.All(b => b == 0)))
                return Results.Json(new { allow = false, reason = "every sampled frame is black" });
            return Results.Json(new { allow = true, reason = "fine" });
        }));
        self = new ContentCheckerServer(app, baseUrl + "/check");
        return self;
    }

    private static void Assert(string expected, string? actual)
    {
        if (expected != actual) throw new InvalidOperationException($"expected {expected}, got {actual}");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
