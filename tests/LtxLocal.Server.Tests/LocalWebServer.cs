using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using LtxLocal.Server.Testing;
using Microsoft.AspNetCore.Http;

namespace LtxLocal.Server.Tests;

/// <summary>
/// A real HTTP server on 127.0.0.1 (random port) for the outbound side: it serves image bytes at
/// chosen paths and records what webhooks and uploads send to it.
/// </summary>
public sealed class LocalWebServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    public ConcurrentDictionary<string, (byte[] Body, string ContentType)> Files { get; } = new();
    /// <summary>Paths answered with 302 Found and this Location.</summary>
    public ConcurrentDictionary<string, string> Redirects { get; } = new();
    /// <summary>Paths answered with this status and no body (a failing webhook receiver).</summary>
    public ConcurrentDictionary<string, int> Statuses { get; } = new();
    public ConcurrentQueue<(string Method, string Path, Dictionary<string, string> Headers, byte[] Body)> Received { get; } = new();
    public string BaseUrl { get; }

    private LocalWebServer(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public static async Task<LocalWebServer> StartAsync()
    {
        LocalWebServer? self = null;
        var (app, baseUrl) = await LoopbackApp.StartAsync(app => app.Run(async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            self!.Received.Enqueue((context.Request.Method, context.Request.Path, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString()), buffer.ToArray()));
            if (self.Statuses.TryGetValue(context.Request.Path, out var status)) context.Response.StatusCode = status;
            else if (self.Redirects.TryGetValue(context.Request.Path, out var location))
            {
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = location;
            }
            else if (self.Files.TryGetValue(context.Request.Path, out var file))
            {
                context.Response.ContentType = file.ContentType;
                await context.Response.Body.WriteAsync(file.Body);
            }
            else context.Response.StatusCode = context.Request.Method == "GET" ? 404 : 200;
        }));
        self = new LocalWebServer(app, baseUrl);
        return self;
    }

    public string Serve(string path, byte[] body, string contentType = "image/png")
    {
        Files[path] = (body, contentType);
        return BaseUrl + path;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
