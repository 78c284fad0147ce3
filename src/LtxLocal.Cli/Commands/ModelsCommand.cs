using System.CommandLine;
using LtxLocal.Models.Checkpoints;

namespace LtxLocal.Cli.Commands;

/// <summary>`ltx-local models inspect &lt;path&gt;`: generation, components, parameter counts, dtypes and config of a release; `models create-tiny`.</summary>
public static class ModelsCommand
{
    public static Command Create()
    {
        var models = new Command("models", "Inspect model files");
        var path = new Argument<string>("path") { Description = "A .safetensors file or a folder of them" };
        var inspect = new Command("inspect", "Show what a checkpoint file or folder holds") { path };
        inspect.SetAction(result => Inspect(result.GetValue(path)!));
        models.Subcommands.Add(inspect);
        models.Subcommands.Add(CreateTinyCommand.Create());
        return models;
    }

    /// <summary>12.3 M, 22.0 B: parameter counts as model cards write them.</summary>
    private static string Count(long n) => n switch
    {
        >= 1_000_000_000 => $"{n / 1e9:F1} B",
        >= 1_000_000 => $"{n / 1e6:F1} M",
        >= 1_000 => $"{n / 1e3:F1} K",
        _ => $"{n}",
    };

    private static int Inspect(string path)
    {
        CheckpointInventory inventory;
        try { inventory = CheckpointInventory.Inspect(path); }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{e.Message}[/]");
            return 1;
        }
        AnsiConsole.MarkupLineInterpolated($"generation: [bold]{inventory.Generation}[/]");
        var table = new Table().AddColumns("component", "file", "key prefix", "tensors", "parameters", "dtypes");
        foreach (var c in inventory.Components)
            table.AddRow(Markup.Escape(c.Name), Markup.Escape(Path.GetFileName(c.File)), Markup.Escape(c.Prefix), $"{c.Tensors}",
                $"{c.Parameters:N0} ({Count(c.Parameters)})", string.Join(", ", c.DTypes));
        AnsiConsole.Write(table);
        foreach (var (section, json) in inventory.Configs)
        {
            AnsiConsole.MarkupLineInterpolated($"[bold]config {section}[/]");
            Console.WriteLine(json);
        }
        return 0;
    }
}
