using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace LtxLocal.Server.Tests.Cluster;

/// <summary>
/// One real `ltx-local serve` process from the solution's build output, on a free loopback port. Its console output
/// is kept for failure messages; <see cref="Kill"/> is SIGKILL (no graceful shutdown); Dispose always kills it.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    public const string Key = "cluster-test-key-0123456789";
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private bool _disposed;

    private ServerProcess(string name, IEnumerable<string> args)
    {
        Name = name;
        Port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])[CliDll, "serve", "--urls", Url, .. args]) start.ArgumentList.Add(a);
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["OMP_NUM_THREADS"] = "1"; // two nodes on a small machine: one compute thread each keeps both responsive
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
    }

    public string Name { get; }
    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}";
    public HttpClient Client { get; }
    /// <summary>
    /// Whether the process has ended; when it has, its output handlers are drained first, so <see cref="Log"/> then holds
    /// everything it printed (HasExited turns true before the last lines reach the asynchronous readers).
    /// </summary>
    public bool Exited
    {
        get
        {
            if (!_process.HasExited) return false;
            _process.WaitForExit();
            return true;
        }
    }

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    /// <summary>The tests' lease: renewed every second, expiring after 8 s (short, yet not lost on a heavily loaded machine).</summary>
    public const double LeaseRenewSeconds = 1, LeaseExpirySeconds = 8;

    /// <summary>A node of the shared queue: PostgreSQL store, CPU worker, short leases.</summary>
    public static ServerProcess StartNode(string name, string postgres, string dataDir, string modelsDir) => new(name,
    [
        "--devices", "cpu", "--data-dir", dataDir, "--models-dir", modelsDir, "--api-key", Key,
        "--Ltx:Store=postgres", $"--Ltx:PostgresConnection={postgres}", $"--Ltx:NodeName={name}",
        "--Ltx:LeaseRenewSeconds=1", $"--Ltx:LeaseExpirySeconds={LeaseExpirySeconds}", "--Ltx:MaxAttempts=3", "--Serilog:MinimumLevel:Default=Information",
    ]);

    /// <summary>Runs the CLI to the end (e.g. `models create-tiny`), failing with its output when it fails.</summary>
    public static void RunCli(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[CliDll, .. args]) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2))) process.Kill(entireProcessTree: true);
        Assert.True(process.ExitCode == 0, $"ltx-local {string.Join(' ', args)} failed: {output.Result}{errors.Result}");
    }

    /// <summary>Waits until /ready answers 200 (the node joined the queue and can run the tiny model).</summary>
    public async Task WaitReadyAsync(double seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (Exited) throw new Xunit.Sdk.XunitException($"node {Name} exited with {_process.ExitCode}:\n{Log}");
            try
            {
                if ((await Client.GetAsync("/ready")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"node {Name} not ready after {seconds} s:\n{Log}");
    }

    public async Task<JsonObject> PostAsync(string path, JsonObject? body = null)
    {
        var content = body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        var response = await Client.PostAsync(path, content);
        var json = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.IsSuccessStatusCode, $"{Name} {path}: {(int)response.StatusCode} {json?.ToJsonString()}");
        return json!;
    }

    public async Task<JsonObject> StatusAsync(string id) => await PostAsync($"/v1/jobs/{id}");

    /// <summary>A gauge or counter from this node's /metrics (the first sample whose line starts with <paramref name="name"/>).</summary>
    public async Task<double> MetricAsync(string name)
    {
        var text = await Client.GetStringAsync("/metrics");
        var line = text.Split('\n').First(l => l.StartsWith(name + " ", StringComparison.Ordinal) || l.StartsWith(name + "{", StringComparison.Ordinal));
        return double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>SIGKILL: the process gets no chance to give its jobs back.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Kill();
        Client.Dispose();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The CLI from this solution's build output, same configuration as the tests.</summary>
    private static string CliDll
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LtxLocal.sln"))) dir = dir.Parent;
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/<tfm>/
            var dll = Path.Combine(dir?.FullName ?? ".", "src", "LtxLocal.Cli", "bin", configuration, "net10.0", "ltx-local.dll");
            Assert.True(File.Exists(dll), $"{dll} is missing: build the solution first (make build)");
            return dll;
        }
    }
}
