using LtxLocal.Server.Hosting;
using Microsoft.Extensions.Options;

namespace LtxLocal.Server.Storage;

/// <summary>
/// Files under the data directory: finished videos in outputs/, validated input images in inputs/.
/// A video is written beside its final name and renamed into place, so a half-written file is never served.
/// </summary>
public sealed class OutputStore(IOptions<ServerOptions> options)
{
    public string OutputsDir => Path.Combine(options.Value.FullDataDir, "outputs");
    public string InputsDir => Path.Combine(options.Value.FullDataDir, "inputs");

    public void EnsureDirectories()
    {
        Directory.CreateDirectory(OutputsDir);
        Directory.CreateDirectory(InputsDir);
    }

    public string OutputPath(string jobId, string extension) => Path.Combine(OutputsDir, $"{jobId}.{extension}");

    public string PartialPath(string jobId, string extension) => Path.Combine(OutputsDir, $"{jobId}.partial.{extension}");

    public async Task<string> SaveInputAsync(string jobId, int index, byte[] data, CancellationToken token)
    {
        var path = Path.Combine(InputsDir, $"{jobId}-{index}.img");
        await File.WriteAllBytesAsync(path, data, token);
        return path;
    }

    /// <summary>Removes every file that belongs to a job: output, partial output and inputs.</summary>
    public void DeleteJobFiles(string jobId)
    {
        foreach (var dir in new[] { OutputsDir, InputsDir })
        {
            if (!Directory.Exists(dir)) continue;
            foreach (var file in Directory.EnumerateFiles(dir, $"{jobId}*")) TryDelete(file);
        }
    }

    public static void TryDelete(string? path)
    {
        try { if (path is not null) File.Delete(path); }
        catch (IOException) { /* gone or busy; the expiry sweep tries again */ }
    }
}
