using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using LtxLocal.Inference.Memory;
using LtxLocal.Inference.Pipelines.Blocks;
using LtxLocal.Inference.Requests;
using LtxLocal.Inference.Catalog;
using LtxLocal.Inference.Tiny;
using LtxLocal.Media;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LtxLocal.Inference.Tests.EndToEnd;

/// <summary>
/// The real server in-process with the real pipelines as its backend (as `ltx-local serve` composes them), a tiny
/// model created in a temp models directory, one CPU worker, SQLite and ffmpeg. <see cref="Wrap"/> lets a test watch
/// the generator's progress reports.
/// </summary>
public class TinyModelServer : IDisposable
{
    public const string Key = "e2e-key-0123456789";
    private readonly WebApplicationFactory<Program> _factory;

    public TinyModelServer() : this(_ => { })
    {
    }

    /// <param name="prepareModel">adds files to the tiny model's folder before the server starts</param>
    /// <param name="settings">more server settings (Ltx:...), over the defaults</param>
    /// <param name="services">services replacing the server's (a clock, say)</param>
    internal TinyModelServer(Action<string> prepareModel, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        Root = Directory.CreateTempSubdirectory("ltx-e2e-").FullName;
        TinyModel.Create(ModelDirectory, seed: 3);
        prepareModel(ModelDirectory);
        var config = new Dictionary<string, string?>
        {
            ["Ltx:DataDir"] = Path.Combine(Root, "data"),
            ["Ltx:ModelsDir"] = Path.Combine(Root, "models"),
            ["Ltx:ApiKeys:0"] = Key,
            ["Ltx:Devices"] = "cpu",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        foreach (var (k, v) in settings ?? []) config[k] = v;
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(config));
            b.ConfigureTestServices(s =>
            {
                s.AddSingleton<IGeneratorFactory>(sp => new ObservedFactory(
                    new LtxGeneratorFactory(promptCache: sp.GetRequiredService<PromptEmbeddingCache>(), kept: sp.GetRequiredService<ResidentNetworks>()), this));
                s.AddSingleton<IVramEstimator>(sp => new VramEstimator(sp.GetRequiredService<IModelCatalog>(), elementSize: 4)
                {
                    Kept = sp.GetRequiredService<ResidentNetworks>(),
                });
                services?.Invoke(s);
            });
        });
        Client = _factory.CreateClient();
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        Probe = new MediaProbe(FfmpegTools.Locate(null, null));
    }

    public string Root { get; }
    public string DataDirectory => Path.Combine(Root, "data");
    public IServiceProvider Services => _factory.Services;
    public string ModelDirectory => Path.Combine(Root, "models", "tiny");
    public HttpClient Client { get; }
    public MediaProbe Probe { get; }

    /// <summary>The generators the server created (the real ones, unwrapped), so a test can look at their loaded networks.</summary>
    public List<IVideoGenerator> Generators { get; } = [];

    /// <summary>Every request a generator was handed, in order.</summary>
    public List<GenerationRequest> Requests { get; } = [];

    /// <summary>Every progress report of the running generation, with the time it arrived.</summary>
    public List<(DateTime At, GenerationProgress Progress)> Reports { get; } = [];

    public async Task<JsonObject> SubmitAsync(JsonObject body, string path = "/v1/text-to-video")
    {
        var response = await Client.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var json = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, json.ToJsonString());
        return json;
    }

    public async Task<JsonObject> WaitForAsync(string id, Func<JsonObject, bool> done, double seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var job = (await (await Client.PostAsync($"/v1/jobs/{id}", null)).Content.ReadFromJsonAsync<JsonObject>())!;
            if (done(job)) return job;
            if ((string?)job["status"] is "failed") throw new Xunit.Sdk.XunitException($"job {id} failed: {job.ToJsonString()}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"job {id}: {job.ToJsonString()}");
            await Task.Delay(50);
        }
    }

    public Task<JsonObject> CompletedAsync(string id) => WaitForAsync(id, j => (string?)j["status"] == "completed");

    /// <summary>Downloads a finished job's file into the temp folder and returns its path.</summary>
    public async Task<string> DownloadAsync(string id)
    {
        var response = await Client.PostAsync($"/v1/jobs/{id}/download", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = Path.Combine(Root, $"{id}.mp4");
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        return path;
    }

    public void Dispose()
    {
        Client.Dispose();
        _factory.Dispose();
        Directory.Delete(Root, recursive: true);
    }

    /// <summary>The real factory; its generators' progress is copied into <see cref="Reports"/>.</summary>
    private sealed class ObservedFactory(IGeneratorFactory inner, TinyModelServer owner) : IGeneratorFactory
    {
        public string? Unavailable(ModelDescriptor model) => inner.Unavailable(model);

        public IVideoGenerator Create(ModelDescriptor model, ComputeDevice device)
        {
            var generator = inner.Create(model, device);
            lock (owner.Generators) owner.Generators.Add(generator);
            return new Observed(generator, owner);
        }
    }

    private sealed class Observed(IVideoGenerator inner, TinyModelServer owner) : IVideoGenerator
    {
        public Task<GenerationOutcome> GenerateAsync(GenerationRequest request, IReadOnlyList<ConditioningImage> images, IFrameSink sink,
            IProgress<GenerationProgress> progress, CancellationToken token)
        {
            lock (owner.Requests) owner.Requests.Add(request);
            return inner.GenerateAsync(request, images, sink, new Both(progress, owner), token);
        }

        public void Dispose() => inner.Dispose();
    }

    private sealed class Both(IProgress<GenerationProgress> server, TinyModelServer owner) : IProgress<GenerationProgress>
    {
        public void Report(GenerationProgress value)
        {
            lock (owner.Reports) owner.Reports.Add((DateTime.UtcNow, value));
            server.Report(value);
        }
    }
}
