using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LtxLocal.Inference;
using LtxLocal.Server.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LtxLocal.Server.Tests;

/// <summary>
/// The real server in-process (WebApplicationFactory) over a temp data directory with a real
/// SQLite file, a models directory holding one manifest, the fake generator on a CPU worker, and
/// the real ffmpeg. Loopback URLs are allowed only because this configuration says so.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    public const string Key = "test-key-0123456789";
    public const string ModelId = "ltx-test";

    private readonly WebApplicationFactory<Program> _factory;
    private readonly bool _ownsRoot;

    public string Root { get; }
    public string DataDir => Path.Combine(Root, "data");
    public string ModelsDir => Path.Combine(Root, "models");
    public FakeGeneratorFactory Generator { get; }
    public HttpClient Client { get; }

    public TestHost(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null,
        bool installModel = true, bool withGenerator = true, string? root = null, FakeGeneratorFactory? generator = null)
    {
        _ownsRoot = root is null;
        Root = root ?? Directory.CreateTempSubdirectory("ltx-server-tests-").FullName;
        Generator = generator ?? new FakeGeneratorFactory();
        if (installModel && !Directory.Exists(Path.Combine(ModelsDir, ModelId))) ModelManifests.Write(ModelsDir, ModelId);
        var config = new Dictionary<string, string?>
        {
            ["Ltx:DataDir"] = DataDir,
            ["Ltx:ModelsDir"] = ModelsDir,
            ["Ltx:ApiKeys:0"] = Key,
            ["Ltx:Devices"] = "cpu",
            ["Ltx:ExpirySweepSeconds"] = "0.2",
            ["Ltx:Outbound:AllowedNetworks:0"] = "127.0.0.1/32",
            ["Ltx:Webhooks:FirstRetrySeconds"] = "0.1",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        foreach (var (k, v) in settings ?? []) config[k] = v;
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(config));
            b.ConfigureTestServices(s =>
            {
                if (withGenerator) s.AddSingleton<IGeneratorFactory>(Generator);
                services?.Invoke(s);
            });
        });
        Client = _factory.CreateClient();
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
    }

    public HttpClient Anonymous() => _factory.CreateClient();

    /// <summary>An authorised client that streams request bodies as they are written (the default one buffers them to follow redirects).</summary>
    public HttpClient StreamingClient()
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return client;
    }

    public T Service<T>() where T : notnull => _factory.Services.GetRequiredService<T>();

    /// <summary>A small valid text-to-video request (64x64, 4 s, no audio: 97 frames); extra fields replace or add.</summary>
    public static JsonObject Request(object? extra = null)
    {
        var body = new JsonObject
        {
            ["model"] = "Lightricks/LTX-2", ["prompt"] = "a lighthouse at dusk", ["duration"] = 4,
            ["resolution"] = "64x64", ["generate_audio"] = false,
        };
        if (extra is not null)
            foreach (var (k, v) in JsonSerializer.SerializeToNode(extra)!.AsObject()) body[k] = v?.DeepClone();
        return body;
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, JsonNode body) =>
        Client.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

    public Task<HttpResponseMessage> PostAsync(string path) => Client.PostAsync(path, null);

    public async Task<JsonObject> SubmitAsync(object? extra = null, string path = "/v1/text-to-video")
    {
        var response = await PostJsonAsync(path, Request(extra));
        var body = await ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body.ToJsonString());
        return body;
    }

    public async Task<JsonObject> StatusAsync(string id)
    {
        var response = await PostAsync($"/v1/jobs/{id}");
        var body = await ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    public async Task<JsonObject> WaitForAsync(string id, string status, double seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var job = await StatusAsync(id);
            if ((string?)job["status"] == status) return job;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"job {id} is still {job["status"]} after {seconds}s: {job.ToJsonString()}");
            await Task.Delay(50);
        }
    }

    public static async Task<JsonObject> ReadAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    /// <summary>Asserts the documented error body and status; returns the message.</summary>
    public static async Task<string> AssertErrorAsync(HttpResponseMessage response, int status, string type)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal("error", (string?)body["type"]);
        Assert.Equal(type, (string?)body["error"]!["type"]);
        var message = (string?)body["error"]!["message"];
        Assert.False(string.IsNullOrWhiteSpace(message));
        return message!;
    }

    public long JobRowCount()
    {
        using var connection = OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM jobs";
        return (long)command.ExecuteScalar()!;
    }

    public SqliteConnection OpenDatabase() => OpenDatabase(DataDir);

    public static SqliteConnection OpenDatabase(string dataDir)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "jobs.db")};Pooling=False");
        connection.Open();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        if (_ownsRoot) Directory.Delete(Root, recursive: true);
    }
}
