using System.CommandLine;
using LtxLocal.Torch;

namespace LtxLocal.Cli.Commands;

/// <summary>
/// `ltx-local doctor [--models-dir DIR] [--fixtures DIR [--device cuda:0]]`: what a user runs after installing. Prints
/// the libtorch and its compiled features, the CUDA devices, FFmpeg, the model folders and what each can run; with
/// --fixtures it also runs every reference case found there (DoctorParity). Exit code 1 when anything failed.
/// </summary>
public static class DoctorCommand
{
    public static Command Create()
    {
        var modelsDir = new Option<string>("--models-dir") { Description = "Where model folders live", DefaultValueFactory = _ => "models" };
        var fixtures = new Option<string?>("--fixtures") { Description = "A reference fixture root (<root>/<component>/<case>/case.json): run every case" };
        var device = new Option<string>("--device") { Description = "Where --fixtures runs: cpu or cuda:N", DefaultValueFactory = _ => "cpu" };
        var command = new Command("doctor", "Check this installation: libtorch, devices, FFmpeg, models; --fixtures runs the reference cases")
        {
            modelsDir, fixtures, device,
        };
        command.SetAction(r => Run(r.GetValue(modelsDir)!, r.GetValue(fixtures), r.GetValue(device)!));
        return command;
    }

    private static int Run(string modelsDir, string? fixtures, string deviceText)
    {
        Device device;
        try { device = Device.Parse(deviceText); }
        catch (ArgumentException e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]--device: {e.Message}[/]");
            return 2;
        }
        CpuThreads.Apply(); // the fixture cases run on the CPU unless --device says otherwise; LTX_CPU_THREADS overrides
        bool healthy = DoctorSystem.Report(modelsDir);
        if (fixtures is not null) healthy &= DoctorParity.Run(fixtures, device);
        AnsiConsole.MarkupLine(healthy ? "[green]doctor: ok[/]" : "[red]doctor: problems found[/]");
        return healthy ? 0 : 1;
    }
}
