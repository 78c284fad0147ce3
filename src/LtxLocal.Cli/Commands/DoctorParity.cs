using System.Diagnostics;
using LtxLocal.Models.Parity;
using LtxLocal.Torch;

namespace LtxLocal.Cli.Commands;

/// <summary>
/// `ltx-local doctor --fixtures DIR`: every reference case under DIR that a parity runner knows, run on the device in
/// float32 (TF32 off on CUDA, so float32 means float32) and compared at the case files' tolerances — the comparisons
/// of the parity tests. Prints one line per case with its worst tensor, a summary per component, and the cases of
/// components no runner covers as not run.
/// </summary>
public static class DoctorParity
{
    public static bool Run(string root, Device device)
    {
        List<(string Component, string Directory)> cases;
        try { cases = [.. ParitySuite.Discover(root)]; }
        catch (DirectoryNotFoundException e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]fixtures: {e.Message}[/]");
            return false;
        }
        if (device.IsCuda) Cuda.AllowTF32 = false;
        AnsiConsole.MarkupLineInterpolated($"fixtures: {Path.GetFullPath(root)}, {cases.Count} cases, on {device} in float32{(device.IsCuda ? " (TF32 off)" : "")}");
        var summary = new Dictionary<string, (int Passed, int Failed, double Worst)>();
        var notRun = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (component, directory) in cases)
        {
            if (ParitySuite.RunnerFor(component) is not { } runner)
            {
                notRun[component] = notRun.GetValueOrDefault(component) + 1;
                continue;
            }
            var clock = Stopwatch.StartNew();
            var result = ParitySuite.RunCase(runner, directory, device);
            var worst = result.Comparisons.Count == 0 ? double.NaN : result.Comparisons.Max(c => c.MaxError);
            var worstTensor = result.Comparisons.MaxBy(c => c.MaxError)?.Tensor ?? "-";
            AnsiConsole.MarkupLine(
                $"  {Verdict(result.Passed)} {Markup.Escape($"{component}/{result.Case}: {result.Comparisons.Count} tensors, worst {worst:G3} ({worstTensor}), {clock.Elapsed.TotalSeconds:F1} s")}");
            if (result.Error is { } error) AnsiConsole.MarkupLineInterpolated($"       [red]{error}[/]");
            foreach (var failure in result.Comparisons.Where(c => !c.Passed)) AnsiConsole.MarkupLineInterpolated($"       [red]{failure.Failure}[/]");
            var s = summary.GetValueOrDefault(component);
            summary[component] = result.Passed ? (s.Passed + 1, s.Failed, Math.Max(s.Worst, worst)) : (s.Passed, s.Failed + 1, Math.Max(s.Worst, worst));
        }
        foreach (var (component, s) in summary.OrderBy(p => p.Key, StringComparer.Ordinal))
            AnsiConsole.MarkupLine($"{Markup.Escape(component)}: {Verdict(s.Failed == 0)} {s.Passed} passed, {s.Failed} failed, worst error {s.Worst:G3}");
        foreach (var (component, count) in notRun)
            AnsiConsole.MarkupLineInterpolated($"{component}: not run by doctor ({count} cases; the test suite covers them)");
        int ran = summary.Values.Sum(s => s.Passed + s.Failed);
        if (ran == 0) AnsiConsole.MarkupLine("[red]fixtures: no case ran[/]");
        return ran > 0 && summary.Values.All(s => s.Failed == 0);
    }

    // Markup of its own: interpolated arguments of MarkupLineInterpolated are escaped, so the colour tags go here.
    private static string Verdict(bool passed) => passed ? "[green]pass[/]" : "[red]FAIL[/]";
}
