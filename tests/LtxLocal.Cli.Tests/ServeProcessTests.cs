using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using LtxLocal.Torch;

namespace LtxLocal.Cli.Tests;

/// <summary>`ltx-local serve` as a user starts it: device choice, key sources, start-up errors.</summary>
public sealed class ServeProcessTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ltx-cli-serve-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string[] Args(int port, params string[] more) =>
        ["serve", "--urls", $"http://127.0.0.1:{port}", "--data-dir", Path.Combine(_root, "data"), "--models-dir", Path.Combine(_root, "models"), .. more];

    [Fact]
    public async Task Without_devices_flag_it_serves_on_every_gpu_or_else_the_cpu_with_a_warning()
    {
        var port = CliProcess.FreePort();
        await using var server = CliProcess.Start(_root, Args(port));
        await server.WaitForAsync($"http://127.0.0.1:{port}/health");
        using var http = new HttpClient();
        var response = await http.GetAsync($"http://127.0.0.1:{port}/ready"); // 503 without a model; the devices check is still there
        var devices = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["checks"]!["devices"]!;
        if (Cuda.IsAvailable)
        {
            Assert.Equal(string.Join(",", Enumerable.Range(0, Cuda.DeviceCount).Select(i => $"cuda:{i}")), (string?)devices["detail"]);
            Assert.DoesNotContain("No CUDA GPU", server.Output);
        }
        else
        {
            Assert.Equal(("cpu", true), ((string?)devices["detail"], (bool)devices["ok"]!));
            Assert.Single(server.Output.Split('\n'), l => l.Contains("WRN") && l.Contains("No CUDA GPU") && l.Contains("serving on the CPU"));
        }
    }

    [Fact]
    public async Task A_gpu_that_does_not_exist_stops_the_start_with_a_clear_message()
    {
        var missing = $"cuda:{(Cuda.IsAvailable ? Cuda.DeviceCount : 0) + 3}";
        var (exitCode, output) = await CliProcess.RunAsync(_root, 120, Args(CliProcess.FreePort(), "--devices", missing));
        Assert.NotEqual(0, exitCode);
        Assert.Contains($"{missing}, which does not exist", output);
    }

    [Theory]
    [InlineData("--host-memory-limit", "Ltx:HostMemoryLimit")]
    [InlineData("--gpu-memory-limit", "Ltx:GpuMemoryLimit")]
    public async Task A_bad_memory_limit_stops_the_start_naming_the_setting_without_a_stack_trace(string flag, string setting)
    {
        var (exitCode, output) = await CliProcess.RunAsync(_root, 120, Args(CliProcess.FreePort(), flag, "lots"));
        Assert.Equal(2, exitCode);
        Assert.Contains($"ltx-local serve: {setting} ({flag}) must be", output);
        Assert.DoesNotContain("Unhandled exception", output);
    }

    [Fact]
    public async Task Api_key_flag_is_the_only_key_and_the_log_counts_sources_without_keys()
    {
        const string generated = "ltx-generated-earlier-0000";
        const string given = "flag-key-1111";
        Directory.CreateDirectory(Path.Combine(_root, "data"));
        File.WriteAllLines(Path.Combine(_root, "data", "api-keys"), ["# generated", generated]);
        var port = CliProcess.FreePort();
        await using var server = CliProcess.Start(_root, Args(port, "--api-key", given));
        await server.WaitForAsync($"http://127.0.0.1:{port}/health");

        Assert.Equal(HttpStatusCode.OK, await Status(port, given));
        Assert.Equal(HttpStatusCode.Unauthorized, await Status(port, generated));
        Assert.Contains("1 API key(s) accepted: 1 from Ltx:ApiKeys (--api-key)", server.Output);
        Assert.DoesNotContain(given, server.Output);
        Assert.DoesNotContain(generated, server.Output);
    }

    [Fact]
    public async Task Keep_generated_key_flag_accepts_the_generated_key_too()
    {
        const string generated = "ltx-generated-earlier-2222";
        Directory.CreateDirectory(Path.Combine(_root, "data"));
        File.WriteAllLines(Path.Combine(_root, "data", "api-keys"), [generated]);
        var port = CliProcess.FreePort();
        await using var server = CliProcess.Start(_root, Args(port, "--api-key", "flag-key-3333", "--keep-generated-key"));
        await server.WaitForAsync($"http://127.0.0.1:{port}/health");
        Assert.Equal(HttpStatusCode.OK, await Status(port, generated));
        Assert.Equal(HttpStatusCode.OK, await Status(port, "flag-key-3333"));
    }

    private static async Task<HttpStatusCode> Status(int port, string key)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return (await http.GetAsync($"http://127.0.0.1:{port}/v1/models")).StatusCode;
    }
}
