using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LtxLocal.Inference;
using LtxLocal.Server;
using LtxLocal.Server.Testing;
using Microsoft.Extensions.DependencyInjection;

// Load tool (not a test): hosts the real server on 127.0.0.1 with the test generator (a tool may,
// product code may not), then runs 50 submissions and 200 concurrent status pollers for a while
// and prints the error count and status-latency percentiles. Usage: [seconds] [port].
var seconds = args.Length > 0 ? int.Parse(args[0]) : 60;
var port = args.Length > 1 ? int.Parse(args[1]) : 18181;
var root = Directory.CreateTempSubdirectory("ltx-load-").FullName;
ModelManifests.Write(Path.Combine(root, "models"), "ltx-load");
const string key = "load-test-key";
var app = ServerApp.Build(
[
    $"--urls=http://127.0.0.1:{port}", $"--Ltx:DataDir={root}/data", $"--Ltx:ModelsDir={root}/models", $"--Ltx:ApiKeys:0={key}",
    "--Ltx:Devices=cpu", "--Ltx:MaxQueuedJobs=100", "--Serilog:MinimumLevel:Default=Warning",
], services => services.AddSingleton<IGeneratorFactory>(new FakeGeneratorFactory { StepDelay = TimeSpan.FromMilliseconds(50) }));
await app.StartAsync();

using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
var ids = new ConcurrentBag<string>();
var latencies = new ConcurrentBag<double>();
var errors = new ConcurrentBag<string>();
var stop = DateTime.UtcNow.AddSeconds(seconds);

async Task Submit(int i)
{
    var body = new JsonObject { ["model"] = "Lightricks/LTX-2", ["prompt"] = $"load {i}", ["duration"] = 4, ["resolution"] = "64x64", ["generate_audio"] = i % 2 == 0 };
    var response = await http.PostAsync("/v1/text-to-video", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
    if ((int)response.StatusCode != 202) errors.Add($"submit {i}: {(int)response.StatusCode}");
    else ids.Add((string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!);
}

async Task Poll(int worker)
{
    var random = new Random(worker);
    while (DateTime.UtcNow < stop)
    {
        var list = ids.ToArray();
        if (list.Length == 0) { await Task.Delay(20); continue; }
        var clock = Stopwatch.StartNew();
        var response = await http.PostAsync($"/v1/jobs/{list[random.Next(list.Length)]}", null);
        latencies.Add(clock.Elapsed.TotalMilliseconds);
        if ((int)response.StatusCode != 200) errors.Add($"poll: {(int)response.StatusCode}");
        await response.Content.ReadAsByteArrayAsync();
    }
}

// 50 submissions spread over the first part of the run, with 200 pollers throughout.
var submissions = Task.Run(async () =>
{
    for (var i = 0; i < 50; i++)
    {
        await Submit(i);
        await Task.Delay(TimeSpan.FromSeconds(seconds / 3.0 / 50));
    }
});
await Task.WhenAll([submissions, .. Enumerable.Range(0, 200).Select(Poll)]);

var states = new Dictionary<string, int>();
foreach (var id in ids)
{
    var status = (string)JsonNode.Parse(await (await http.PostAsync($"/v1/jobs/{id}", null)).Content.ReadAsStringAsync())!["status"]!;
    states[status] = states.GetValueOrDefault(status) + 1;
}
var sorted = latencies.Order().ToArray();
double Percentile(double p) => sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];
Console.WriteLine($"duration {seconds}s, submissions {ids.Count}/50, status polls {sorted.Length}, errors {errors.Count}");
Console.WriteLine($"status latency p50 {Percentile(0.50):F2} ms, p99 {Percentile(0.99):F2} ms, max {sorted.LastOrDefault():F2} ms");
Console.WriteLine($"job states at the end: {string.Join(", ", states.Select(s => $"{s.Key} {s.Value}"))}");
foreach (var e in errors.Take(10)) Console.WriteLine($"  error: {e}");
await app.StopAsync();
Directory.Delete(root, recursive: true);
return errors.IsEmpty ? 0 : 1;
