using System.Text.Json.Nodes;
using LtxLocal.Server.Testing;

namespace LtxLocal.Server.Tests;

/// <summary>Bodies are strict: a field the endpoint does not know is a 400 naming it, and the known name it is closest to.</summary>
public sealed class StrictBodyTests : IAsyncLifetime
{
    private readonly TestHost _host = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("guidence_scale", "guidance_scale")]
    [InlineData("setps", "steps")]
    [InlineData("Resolution", "resolution")]
    [InlineData("negative", null)]
    [InlineData("colour_grading", null)]
    public async Task An_unknown_field_is_a_400_naming_it_and_the_nearest_known_name(string field, string? nearest)
    {
        var response = await _host.PostJsonAsync("/v1/text-to-video", TestHost.Request().Also(b => b[field] = 1));
        var message = await TestHost.AssertErrorAsync(response, 400, "invalid_request_error");
        Assert.Contains($"'{field}'", message);
        if (nearest is null) Assert.DoesNotContain("did you mean", message);
        else Assert.Contains($"did you mean '{nearest}'", message);
        Assert.Empty(_host.Generator.Requests);
    }

    [Fact]
    public async Task An_unknown_keyframe_field_is_named_with_its_place()
    {
        var body = TestHost.Request(new
        {
            image_uri = TestImages.DataUri(TestImages.Png(8, 8)),
            frame_images = new[] { new { image_uri = TestImages.DataUri(TestImages.Png(8, 8)), frame = "last", fram = 3 } },
        });
        var message = await TestHost.AssertErrorAsync(await _host.PostJsonAsync("/v1/image-to-video", body), 400, "invalid_request_error");
        Assert.Contains("'frame_images[0].fram'", message);
    }

    [Fact]
    public async Task Resolution_and_duration_are_still_adjusted_not_refused()
    {
        var body = await _host.SubmitAsync(new { resolution = "100x100", duration = 2, dry_run = (bool?)null });
        Assert.Equal("96x96", (string?)body["parameters"]!["resolution"]);
        Assert.Equal(97, (int)body["parameters"]!["num_frames"]!);
    }
}
