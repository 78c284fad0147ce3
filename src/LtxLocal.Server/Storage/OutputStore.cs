namespace LtxLocal.Server.Storage;

/// <summary>
/// Files under the data directory: finished videos in outputs/, validated input images in inputs/.
/// A video is written beside its final name and renamed into place, so a half-written file is never served.
/// Folders are 0700 and files 0600: they hold prompts' results and clients' images.
/// </summary>
public sealed class OutputStore(IOptions<ServerOptions> options)
{
    public string OutputsDir => Path.Combine(options.Value.FullDataDir, "outputs");
    public string InputsDir => Path.Combine(options.Value.FullDataDir, "inputs");

    public void EnsureDirectories()
    {
        FilePermissions.PrivateDirectory(options.Value.FullDataDir);
        FilePermissions.PrivateDirectory(OutputsDir);
        FilePermissions.PrivateDirectory(InputsDir);
    }

    public string OutputPath(string jobId, string extension) => Path.Combine(OutputsDir, $"{jobId}.{extension}");

    public string PartialPath(string jobId, string extension) => Path.Combine(OutputsDir, $"{jobId}.partial.{extension}");

    /// <summary>Writes an input image (0600). A failed write leaves no file behind; a full disk is an <see cref="InsufficientStorageException"/>.</summary>
    public async Task<string> SaveInputAsync(string jobId, int index, byte[] data, CancellationToken token, string extension = "img")
    {
        var path = Path.Combine(InputsDir, $"{jobId}-{index}.{extension}");
        try
        {
            await using var file = new FileStream(path, FilePermissions.NewPrivateFile());
            await file.WriteAsync(data, token);
            await file.FlushAsync(token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            TryDelete(path);
            if (e is IOException io && InsufficientStorageException.IsDiskFull(io))
                throw new InsufficientStorageException($"the input image could not be stored: {io.Message} (data directory {options.Value.FullDataDir})", io);
            throw;
        }
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

    /// <summary>
    /// Deletes files named after a job the store no longer has (a crash or full disk between writing an input and
    /// queueing its job, an expiry that ran while files were busy). Files not named after a job id are left alone.
    /// </summary>
    /// <param name="minAge">Files younger than this are kept: on a shared (PostgreSQL) data directory another node may be
    /// between writing a job's inputs and queueing it.</param>
    public async Task<int> SweepOrphansAsync(Func<string, CancellationToken, Task<bool>> jobExists, TimeSpan minAge, CancellationToken token)
    {
        var removed = 0;
        foreach (var dir in new[] { OutputsDir, InputsDir })
        {
            if (!Directory.Exists(dir)) continue;
            foreach (var file in Directory.EnumerateFiles(dir))
            {
                var name = Path.GetFileName(file);
                if (name.Length < 36 || !Guid.TryParseExact(name[..36], "D", out _)) continue;
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) < minAge) continue;
                if (await jobExists(name[..36], token)) continue;
                TryDelete(file);
                removed++;
            }
        }
        return removed;
    }

    public static void TryDelete(string? path)
    {
        try { if (path is not null) File.Delete(path); }
        catch (IOException) { /* gone or busy; the expiry sweep tries again */ }
    }
}
