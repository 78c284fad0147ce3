namespace LtxLocal.Server.Storage;

/// <summary>The data directory's file system is full (or over quota): a 507 for the client, not a 500.</summary>
public sealed class InsufficientStorageException(string message, Exception? inner = null) : Exception(message, inner)
{
    private const int Enospc = 28, Edquot = 122, ErrorDiskFull = 112, ErrorHandleDiskFull = 39;

    /// <summary>.NET on Unix puts the errno in HResult; on Windows it is the Win32 error in an HRESULT.</summary>
    public static bool IsDiskFull(IOException e) => (e.HResult & 0xFFFF) is Enospc or Edquot or ErrorDiskFull or ErrorHandleDiskFull;
}
