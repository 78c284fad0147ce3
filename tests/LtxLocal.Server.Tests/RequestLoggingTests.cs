using System.Text.Json.Nodes;

namespace LtxLocal.Server.Tests;

/// <summary>Issue 15: Serilog.AspNetCore logs each request by method, route template, status and duration, and never the key or a query string.</summary>
public sealed class RequestLoggingTests
{
    [Fact]
    public async Task Each_request_is_one_line_with_its_route_template_and_no_secrets()
    {
        var log = Path.Combine(Directory.CreateTempSubdirectory("ltx-log-").FullName, "requests.json");
        await using (var host = new TestHost(new()
        {
            ["Serilog:MinimumLevel:Override:Serilog.AspNetCore.RequestLoggingMiddleware"] = "Debug",
            ["Serilog:WriteTo:9:Name"] = "File",
            ["Serilog:WriteTo:9:Args:path"] = log,
            ["Serilog:WriteTo:9:Args:formatter"] = "Serilog.Formatting.Json.JsonFormatter, Serilog",
        }))
        {
            var id = (string)(await host.SubmitAsync())["id"]!;
            await host.Client.PostAsync($"/v1/jobs/{id}?X-Amz-Signature=SECRET-SIGNATURE", null);
            await host.Client.PostAsync("/v1/text-to-video", new StringContent("{", System.Text.Encoding.UTF8, "application/json"));
        }
        var text = File.ReadAllText(log);
        Directory.Delete(Path.GetDirectoryName(log)!, recursive: true);
        var events = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!)
            .Where(e => (string?)e["MessageTemplate"] is { } t && t.StartsWith("HTTP ")).ToList();
        string Line(JsonNode e) => $"{e["Properties"]!["RequestMethod"]} {e["Properties"]!["RouteTemplate"]} {e["Properties"]!["StatusCode"]}";
        var lines = events.Select(Line).ToList();
        Assert.True(lines.Contains("POST /v1/text-to-video 202"), $"request lines: {string.Join(" | ", lines)}; the log: {text[..Math.Min(3000, text.Length)]}");
        Assert.Contains("POST /v1/jobs/{id} 200", lines);
        Assert.Contains("POST /v1/text-to-video 400", lines);
        Assert.All(events, e => Assert.True(e["Properties"]!["Elapsed"] is not null));
        Assert.DoesNotContain(TestHost.Key, text);
        Assert.DoesNotContain("SECRET-SIGNATURE", text);
    }
}
