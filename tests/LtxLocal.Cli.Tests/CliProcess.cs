using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LtxLocal.Cli.Tests;

/// <summary>
/// The built <c>ltx-local</c> (src/LtxLocal.Cli/bin/&lt;configuration&gt;/net10.0, the one this test project's
/// reference builds) run as a child process, with its stdout and stderr collected.
/// </summary>
public sealed class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private CliProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "LtxLocal.sln"))) return dir.FullName;
            throw new InvalidOperationException($"no LtxLocal.sln above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>The configuration this test assembly was built in (bin/&lt;configuration&gt;/net10.0).</summary>
    private static string Configuration => new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    public static string Executable => Path.Combine(RepoRoot, "src", "LtxLocal.Cli", "bin", Configuration, "net10.0", "ltx-local");

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public static CliProcess Start(string workingDirectory, params string[] args) => Start(workingDirectory, args, []);

    /// <summary>Starts it with <paramref name="environment"/> added to this process's variables.</summary>
    public static CliProcess Start(string workingDirectory, string[] args, params (string Name, string Value)[] environment)
    {
        var info = new ProcessStartInfo(Executable) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) info.Environment[name] = value;
        return new CliProcess(Process.Start(info) ?? throw new InvalidOperationException($"could not start {Executable}"));
    }

    /// <summary>Runs to the end (or kills it after <paramref name="seconds"/>) and returns the exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, double seconds, params string[] args) =>
        RunAsync(workingDirectory, seconds, args, []);

    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, double seconds, string[] args,
        params (string Name, string Value)[] environment)
    {
        await using var process = Start(workingDirectory, args, environment);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        await process._process.WaitForExitAsync(timeout.Token);
        process._process.WaitForExit(); // drains the output handlers
        return (process.ExitCode, process.Output);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Polls <paramref name="url"/> until it answers 200; fails with the process output when it exits or times out.</summary>
    public async Task WaitForAsync(string url, double seconds = 120)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit(); // the wait without a timeout drains the output handlers
                throw new InvalidOperationException($"ltx-local exited with {_process.ExitCode} before {url} answered:\n{Output}");
            }
            try
            {
                if ((await http.GetAsync(url)).IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet, or slow to answer on a loaded machine: ask again
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{url} did not answer within {seconds}s:\n{Output}");
            await Task.Delay(200);
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
