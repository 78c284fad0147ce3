using System.CommandLine;
using System.Diagnostics;
using LtxLocal.Inference.Tiny;

namespace LtxLocal.Cli.Commands;

/// <summary>`ltx-local models create-tiny --out models/tiny`: a complete tiny model with random weights (its output is noise).</summary>
public static class CreateTinyCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder to write the model into", DefaultValueFactory = _ => "models/tiny" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the random weights", DefaultValueFactory = _ => 0 };
        var command = new Command("create-tiny", "Write a tiny LTX-2.3-format model with random weights (runs on a CPU; output is noise)") { output, seed };
        command.SetAction(result =>
        {
            var dir = Path.GetFullPath(result.GetValue(output)!);
            var clock = Stopwatch.StartNew();
            TinyModel.Create(dir, result.GetValue(seed));
            var bytes = Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            AnsiConsole.MarkupLineInterpolated($"tiny model written to [bold]{dir}[/] ({bytes / 1e6:F1} MB, {clock.Elapsed.TotalSeconds:F1} s); its weights are random, so its videos are noise");
            return 0;
        });
        return command;
    }
}
