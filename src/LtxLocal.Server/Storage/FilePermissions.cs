using System.Runtime.InteropServices;

namespace LtxLocal.Server.Storage;

/// <summary>
/// The data directory holds prompts, signed webhook/upload URLs, clients' images and videos: only the server's
/// user may read it. Folders are 0700 and files 0600 whatever the umask, and the process umask is narrowed to
/// 0077 so files made by others on our behalf (SQLite's WAL, ffmpeg's outputs) follow.
/// </summary>
public static partial class FilePermissions
{
    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the folder 0700, or narrows an existing one to 0700.</summary>
    public static void PrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(path, PrivateFolder);
        File.SetUnixFileMode(path, PrivateFolder);
    }

    /// <summary>Narrows existing files to 0600 (a data directory made by an older version, or under another umask).</summary>
    public static void PrivateFiles(params string[] paths)
    {
        if (OperatingSystem.IsWindows()) return;
        foreach (var path in paths.Where(File.Exists)) File.SetUnixFileMode(path, PrivateFile);
    }

    public static FileStreamOptions NewPrivateFile()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = PrivateFile;
        return options;
    }

    /// <summary>umask(0077) for this process and the processes it starts.</summary>
    public static void RestrictUmask()
    {
        if (!OperatingSystem.IsWindows()) _ = Umask(0b000_111_111);
    }

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint Umask(uint mask);
}
