using System.Diagnostics;

namespace LtxLocal.Media;

/// <summary>Runs a program to completion with bytes on stdin, collecting stdout and stderr; kills it on cancellation.</summary>
public static class ProcessRunner
{
    public sealed record Result(int ExitCode, byte[] Stdout, string Stderr);

    public static async Task<Result> RunAsync(string program, IEnumerable<string> arguments, byte[]? stdin, CancellationToken cancellationToken)
    {
        using var process = Start(program, arguments);
        var stdoutTask = ReadAllAsync(process.StandardOutput.BaseStream);
        var stderrTask = process.StandardError.ReadToEndAsync();
        await using (cancellationToken.Register(() => Kill(process)))
        {
            try
            {
                if (stdin is not null) await process.StandardInput.BaseStream.WriteAsync(stdin, cancellationToken);
            }
            catch (IOException)
            {
                // The program stopped reading (e.g. it rejected the input); its exit code and stderr say why.
            }
            process.StandardInput.Close();
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            return new Result(process.ExitCode, await stdoutTask, await stderrTask);
        }
    }

    public static Process Start(string program, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        try
        {
            return Process.Start(info) ?? throw new MediaException($"could not start '{program}'");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new MediaException($"could not start '{program}': {e.Message}", e);
        }
    }

    public static void Kill(Process process)
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { /* already gone */ }
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    /// <summary>ffmpeg's last stderr lines: the part that says what went wrong.</summary>
    public static string Tail(string stderr, int lines = 4) =>
        string.Join(" | ", stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(lines));
}
