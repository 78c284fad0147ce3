using System.Net;
using System.Text.Json.Nodes;
using LtxLocal.Server.Testing;

namespace LtxLocal.Server.Tests;

/// <summary>
/// safety.check_inputs / check_content against a checker on 127.0.0.1 (<see cref="ContentCheckerServer"/>: denies a prompt
/// with a word and outputs whose frames are all black): a denied prompt is a 422 with no job row and no file; a denied output
/// fails the job and keeps no file; an allowed job says nsfw_content false; a failing checker fails closed by default and
/// open when configured; a request asking for a check on a server without a checker is a 400.
/// </summary>
public sealed class SafetyCheckTests
{
    private static object Checks(bool inputs, bool content) => new { safety = new { check_inputs = inputs, check_content = content } };

    private static async Task<(ContentCheckerServer Checker, TestHost Host)> StartAsync(Dictionary<string, string?>? extra = null)
    {
        var checker = await ContentCheckerServer.StartAsync();
        var settings = new Dictionary<string, string?> { ["Ltx:Safety:Url"] = checker.Url };
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        return (checker, new TestHost(settings));
    }

    /// <summary>The files directly in a folder (outputs/.nodes holds the cluster marker, not job files).</summary>
    private static string[] FilesUnder(string dir) => Directory.Exists(dir) ? Directory.GetFiles(dir) : [];

    [Fact]
    public async Task A_denied_prompt_is_a_422_with_no_job_row_and_no_file()
    {
        var (checker, host) = await StartAsync();
        await using var _ = checker;
        await using var __ = host;
        var body = TestHost.Request(Checks(inputs: true, content: false));
        body["prompt"] = $"a {ContentCheckerServer.DeniedWord} scene";
        body["frame_images"] = new JsonArray(new JsonObject { ["image_uri"] = TestImages.DataUri(TestImages.Png(16, 12)), ["frame"] = "last" });

        var message = await TestHost.AssertErrorAsync(await host.PostJsonAsync("/v1/text-to-video", body), 422, "content_filtered_error");
        Assert.Contains(ContentCheckerServer.DeniedWord, message);
        Assert.Equal(0, host.JobRowCount());
        Assert.Empty(FilesUnder(Path.Combine(host.DataDir, "inputs")));
        var check = Assert.Single(checker.Checks);
        Assert.Equal("inputs", check.Kind);
        // The keyframe reached the checker as a PNG of the picture sent (decoded at the size the job uses, no larger).
        var image = Assert.Single(check.Images);
        Assert.Equal("frame_images[0]", image.Name);
        Assert.Equal((16, 12), (image.Width, image.Height));
    }

    [Fact]
    public async Task A_denied_output_fails_the_job_and_keeps_no_file()
    {
        var (checker, host) = await StartAsync();
        await using var _ = checker;
        await using var __ = host;
        host.Generator.Black = true;
        var id = (string)(await host.SubmitAsync(Checks(inputs: false, content: true)))["id"]!;

        var job = await host.WaitForAsync(id, "failed");
        Assert.Equal("content_filtered_error", (string?)job["error"]!["type"]);
        Assert.Contains("black", (string?)job["error"]!["message"]);
        Assert.Null(job["result"]);
        Assert.Empty(FilesUnder(Path.Combine(host.DataDir, "outputs")));
        await TestHost.AssertErrorAsync(await host.PostAsync($"/v1/jobs/{id}/download"), 409, "conflict");
    }

    [Fact]
    public async Task An_allowed_job_says_nsfw_content_false_and_the_checker_saw_the_sampled_frames()
    {
        var (checker, host) = await StartAsync();
        await using var _ = checker;
        await using var __ = host;
        var submitted = await host.SubmitAsync(Checks(inputs: true, content: true));
        var job = await host.WaitForAsync((string)submitted["id"]!, "completed");
        Assert.False((bool)job["result"]!["nsfw_content"]!);

        var frames = (int)job["parameters"]!["num_frames"]!;
        var fps = (double)job["parameters"]!["fps"]!;
        var expected = new SortedSet<int> { 0, (frames - 1) / 2, frames - 1 };
        for (var s = 1; Math.Round(s * fps) < frames; s++) expected.Add((int)Math.Round(s * fps));
        var content = Assert.Single(checker.Checks, c => c.Kind == "content");
        Assert.Equal(expected, content.Images.Select(i => i.Frame!.Value).Order());
        Assert.All(content.Images, i => Assert.Equal((64, 64), (i.Width, i.Height)));
        Assert.Contains(content.Images, i => i.Rgb.Any(b => b != 0));
        Assert.Single(checker.Checks, c => c.Kind == "inputs");
    }

    [Fact]
    public async Task Without_a_check_asked_nsfw_content_is_null_and_the_checker_is_not_called()
    {
        var (checker, host) = await StartAsync();
        await using var _ = checker;
        await using var __ = host;
        var job = await host.WaitForAsync((string)(await host.SubmitAsync())["id"]!, "completed");
        Assert.Null(job["result"]!["nsfw_content"]);
        Assert.Empty(checker.Checks);
    }

    [Fact]
    public async Task A_failing_checker_fails_closed_by_default()
    {
        var (checker, host) = await StartAsync();
        await using var _ = checker;
        await using var __ = host;
        checker.Failing = true;
        var message = await TestHost.AssertErrorAsync(
            await host.PostJsonAsync("/v1/text-to-video", TestHost.Request(Checks(inputs: true, content: false))), 503, "service_unavailable");
        Assert.Contains("503", message);
        Assert.Contains("Ltx:Safety:FailOpen", message);
        Assert.Equal(0, host.JobRowCount());

        var id = (string)(await host.SubmitAsync(Checks(inputs: false, content: true)))["id"]!;
        var job = await host.WaitForAsync(id, "failed");
        Assert.Equal("content_filtered_error", (string?)job["error"]!["type"]);
        Assert.Empty(FilesUnder(Path.Combine(host.DataDir, "outputs")));
    }

    [Fact]
    public async Task A_failing_checker_lets_content_through_unchecked_when_configured_to_fail_open()
    {
        var (checker, host) = await StartAsync(new() { ["Ltx:Safety:FailOpen"] = "true" });
        await using var _ = checker;
        await using var __ = host;
        checker.Failing = true;
        var job = await host.WaitForAsync((string)(await host.SubmitAsync(Checks(inputs: true, content: true)))["id"]!, "completed");
        Assert.Null(job["result"]!["nsfw_content"]); // unchecked is not "clean"
    }

    [Fact]
    public async Task Asking_for_a_check_without_a_checker_configured_is_a_400()
    {
        await using var host = new TestHost();
        var message = await TestHost.AssertErrorAsync(
            await host.PostJsonAsync("/v1/text-to-video", TestHost.Request(Checks(inputs: false, content: true))), 400, "invalid_request_error");
        Assert.Contains("Ltx:Safety", message);
        Assert.Equal(0, host.JobRowCount());
        // Asking for no check is fine without a checker.
        await host.SubmitAsync(Checks(inputs: false, content: false));
    }

    [Fact]
    public async Task The_checker_address_obeys_the_outbound_policy()
    {
        // Without the loopback allowance the checker on 127.0.0.1 may not be called: the check fails, closed.
        var (checker, host) = await StartAsync(new() { ["Ltx:Outbound:AllowedNetworks:0"] = "" });
        await using var _ = checker;
        await using var __ = host;
        var message = await TestHost.AssertErrorAsync(
            await host.PostJsonAsync("/v1/text-to-video", TestHost.Request(Checks(inputs: true, content: false))), 503, "service_unavailable");
        Assert.Contains("Ltx:Outbound:AllowedNetworks", message);
        Assert.Empty(checker.Checks);
    }

    [Fact]
    public async Task A_local_command_can_be_the_checker()
    {
        const string script = """input=$(cat); case "$input" in *forbidden*) echo '{"allow": false, "reason": "word list"}';; *) echo '{"allow": true}';; esac""";
        await using var host = new TestHost(new()
        {
            ["Ltx:Safety:Command"] = "/bin/sh", ["Ltx:Safety:Arguments:0"] = "-c", ["Ltx:Safety:Arguments:1"] = script,
        });
        var denied = TestHost.Request(Checks(inputs: true, content: false));
        denied["prompt"] = "something forbidden";
        var message = await TestHost.AssertErrorAsync(await host.PostJsonAsync("/v1/text-to-video", denied), 422, "content_filtered_error");
        Assert.Contains("word list", message);
        var job = await host.WaitForAsync((string)(await host.SubmitAsync(Checks(inputs: true, content: true)))["id"]!, "completed");
        Assert.False((bool)job["result"]!["nsfw_content"]!);
    }

    [Fact]
    public async Task Unknown_safety_fields_and_wrong_types_are_400s()
    {
        await using var host = new TestHost(new() { ["Ltx:Safety:Command"] = "/bin/true" });
        var typo = TestHost.Request(new { safety = new { check_input = true } });
        Assert.Contains("'safety.check_input'", await TestHost.AssertErrorAsync(await host.PostJsonAsync("/v1/text-to-video", typo), 400, "invalid_request_error"));
        var wrong = TestHost.Request(new { safety = new { check_inputs = "yes" } });
        Assert.Contains("'safety.check_inputs'", await TestHost.AssertErrorAsync(await host.PostJsonAsync("/v1/text-to-video", wrong), 400, "invalid_request_error"));
        Assert.Equal(HttpStatusCode.BadRequest, (await host.PostJsonAsync("/v1/text-to-video", TestHost.Request(new { safety = true }))).StatusCode);
    }
}
