using System.Net.Http.Headers;
using LtxLocal.Inference;
using LtxLocal.Inference.Catalog;
using LtxLocal.Inference.Memory;
using LtxLocal.Inference.Tiny;
using LtxLocal.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace LtxLocal.Browser.Tests;

/// <summary>
/// The real server on a real port (a browser cannot reach an in-memory test server): built the way `ltx-local serve`
/// builds it, on 127.0.0.1 at a free port, with the real pipelines, a tiny model made in a temp folder, one CPU
/// worker, SQLite and ffmpeg. Shared by the tests of a class.
/// </summary>
public sealed class PlaygroundServer : IAsyncLifetime
{
    public const string Key = "browser-key-0123456789";
    private WebApplication? _app;

    public string Root { get; } = Directory.CreateTempSubdirectory("ltx-browser-").FullName;

    /// <summary>http://127.0.0.1:PORT, no trailing slash.</summary>
    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        TinyModel.Create(Path.Combine(Root, "models", "tiny"), seed: 3);
        _app = ServerApp.Build([
            "--urls", "http://127.0.0.1:0",
            "--Ltx:DataDir", Path.Combine(Root, "data"),
            "--Ltx:ModelsDir", Path.Combine(Root, "models"),
            "--Ltx:ApiKeys:0", Key,
            "--Ltx:Devices", "cpu",
            "--Serilog:MinimumLevel:Default", "Warning",
        ], services =>
        {
            services.AddSingleton<IGeneratorFactory>(new LtxGeneratorFactory());
            // The CPU runs float32: estimate memory with 4-byte elements, as the end-to-end tests do.
            services.AddSingleton<IVramEstimator>(sp => new VramEstimator(sp.GetRequiredService<IModelCatalog>(), elementSize: 4));
        });
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    /// <summary>A client for the API itself, with the key (to check what the page did, from outside the page).</summary>
    public HttpClient Client(bool withKey = true)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromMinutes(2) };
        if (withKey) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return client;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
