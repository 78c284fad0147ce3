extern alias cli;
using cli::LtxLocal.Cli.Commands;
using LtxLocal.Inference.Tiny;
using LtxLocal.Media;
using Spectre.Console;

namespace LtxLocal.Inference.Tests.Cli;

/// <summary>
/// `ltx-local generate` on the shared resolver, run in-process against a tiny model: it refuses what the server refuses
/// (fps 30), refuses an --out extension that names no container we write, and writes the container --out names.
/// </summary>
[Trait("Category", "EndToEnd")]
[Trait("Component", "pipelines")]
public sealed class GenerateCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ltx-cli-").FullName;

    public GenerateCommandTests() => TinyModel.Create(Path.Combine(_root, "models", "tiny"), seed: 2);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private async Task<(int Exit, string Output)> Generate(params string[] extra)
    {
        var writer = new StringWriter();
        var previous = AnsiConsole.Console;
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(writer),
        });
        AnsiConsole.Console.Profile.Width = 1000; // one message per line, whatever the terminal
        try
        {
            string[] args = ["--models-dir", Path.Combine(_root, "models"), "--prompt", "waves", "--device", "cpu", "--resolution", "64x64",
                "--duration", "4", "--no-audio", "--seed", "3", .. extra];
            int exit = await GenerateCommand.Create().Parse(args).InvokeAsync();
            return (exit, writer.ToString());
        }
        finally
        {
            AnsiConsole.Console = previous;
        }
    }

    [Fact]
    public async Task Fps_30_is_refused_like_the_server_refuses_it()
    {
        var (exit, output) = await Generate("--fps", "30", "--out", Path.Combine(_root, "a.mp4"));
        Assert.NotEqual(0, exit);
        Assert.True(output.Contains("'fps' must be 25 or 50"), output);
        Assert.False(File.Exists(Path.Combine(_root, "a.mp4")));
    }

    [Fact]
    public async Task An_out_extension_that_names_no_container_is_refused()
    {
        var (exit, output) = await Generate("--fps", "24", "--out", Path.Combine(_root, "x.avi"));
        Assert.NotEqual(0, exit);
        Assert.Contains(".mp4, .webm or .mov", output);
        Assert.False(File.Exists(Path.Combine(_root, "x.avi")));
    }

    [Fact]
    public async Task A_lora_not_in_the_models_loras_folder_is_refused_naming_the_ones_there()
    {
        TinyLoras.WriteStyle(Path.Combine(_root, "models", "tiny"), "style", seed: 4);
        var (exit, output) = await Generate("--fps", "24", "--out", Path.Combine(_root, "l.mp4"), "--lora", "sepia:0.5");
        Assert.NotEqual(0, exit);
        Assert.Contains("unknown LoRA 'sepia'; model 'ltx-tiny' has: style", output);
        Assert.False(File.Exists(Path.Combine(_root, "l.mp4")));
    }

    [Fact]
    public async Task Out_names_the_container_and_adjustments_are_printed()
    {
        TinyLoras.WriteStyle(Path.Combine(_root, "models", "tiny"), "style", seed: 4);
        var path = Path.Combine(_root, "clip.webm");
        var (exit, output) = await Generate("--fps", "24", "--out", path, "--steps", "5", "--lora", "style:0.5");
        Assert.True(exit == 0, output);
        Assert.Contains("adjusted steps", output); // distilled ignores steps, and says so
        Assert.Contains("LoRAs style:0.5", output);
        var info = await new MediaProbe(FfmpegTools.Locate()).ProbeAsync(path);
        Assert.Contains("webm", info.FormatName);
        Assert.Equal("vp9", info.Video!.CodecName);
    }
}
