using System.Diagnostics;

namespace LtxLocal.Cli.Tests;

/// <summary>
/// The README's "Quick start" and "The command line" blocks, run in a fresh clone of HEAD by scripts/test-readme.sh
/// (its header says what it reuses and how the server and `make install` blocks are handled). Slow: a clone, a
/// build, a self-contained publish and a tiny-model generation; `--filter Category!=Readme` leaves it out.
/// </summary>
public sealed class ReadmeTests
{
    [GitCheckoutFact]
    [Trait("Category", "Readme")]
    public async Task Quick_start_and_command_line_blocks_all_exit_0_in_a_fresh_clone()
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = CliProcess.RepoRoot };
        info.ArgumentList.Add(Path.Combine(CliProcess.RepoRoot, "scripts", "test-readme.sh"));
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(60));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, output);
        Assert.Contains("all exited 0", output);
    }
}
