using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LtxLocal.Server.Tests;

/// <summary>
/// Keys given explicitly (Ltx:ApiKeys, Ltx:ApiKey, Ltx:KeysFile) are the only ones that work: the key generated into
/// the data directory by an earlier start is not read unless Ltx:KeepGeneratedKey says so. The log names the
/// sources and counts, never a key.
/// </summary>
public sealed class KeySourceTests : IDisposable
{
    private const string GeneratedKey = "ltx-generated-by-an-earlier-start";
    private readonly string _root = Directory.CreateTempSubdirectory("ltx-keys-").FullName;

    public KeySourceTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "data"));
        File.WriteAllLines(Path.Combine(_root, "data", "api-keys"), ["# generated", GeneratedKey]);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Explicit_key_disables_the_generated_key_file()
    {
        var log = new LogCapture();
        await using var host = new TestHost(root: _root, services: s => s.AddSingleton<ILoggerProvider>(log));
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/v1/models")).StatusCode);
        await TestHost.AssertErrorAsync(await WithKey(host, GeneratedKey).GetAsync("/v1/models"), 401, "authentication_error");
        Assert.Contains(log.Messages(), m => m.Contains("is not read") && m.Contains("--keep-generated-key"));
    }

    [Fact]
    public async Task Keep_generated_key_accepts_both()
    {
        await using var host = new TestHost(new() { ["Ltx:KeepGeneratedKey"] = "true" }, root: _root);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/v1/models")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await WithKey(host, GeneratedKey).GetAsync("/v1/models")).StatusCode);
    }

    [Fact]
    public async Task Without_explicit_keys_the_generated_file_is_used()
    {
        await using var host = new TestHost(new() { ["Ltx:ApiKeys:0"] = null }, root: _root);
        Assert.Equal(HttpStatusCode.OK, (await WithKey(host, GeneratedKey).GetAsync("/v1/models")).StatusCode);
        await TestHost.AssertErrorAsync(await host.Client.GetAsync("/v1/models"), 401, "authentication_error");
    }

    [Fact]
    public async Task Start_up_log_counts_keys_by_source_and_never_shows_one()
    {
        var keysFile = Path.Combine(_root, "more-keys");
        File.WriteAllLines(keysFile, ["# team keys", "file-key-one", "file-key-two"]);
        var log = new LogCapture();
        await using var host = new TestHost(new() { ["Ltx:ApiKey"] = "env-key", ["Ltx:KeysFile"] = keysFile },
            root: _root, services: s => s.AddSingleton<ILoggerProvider>(log));
        Assert.Equal(HttpStatusCode.OK, (await WithKey(host, "file-key-two").GetAsync("/v1/models")).StatusCode);
        var line = Assert.Single(log.Messages(), m => m.Contains("API key(s) accepted"));
        Assert.StartsWith("4 API key(s) accepted", line);
        Assert.Contains("1 from Ltx:ApiKeys", line);
        Assert.Contains("1 from Ltx:ApiKey (", line);
        Assert.Contains($"2 from keys file {keysFile}", line);
        foreach (var key in new[] { TestHost.Key, "env-key", "file-key-one", "file-key-two", GeneratedKey })
            Assert.DoesNotContain(log.Messages(), m => m.Contains(key));
    }

    private static HttpClient WithKey(TestHost host, string key)
    {
        var client = host.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
