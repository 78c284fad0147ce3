namespace LtxLocal.Server.Tests;

/// <summary>A fact that needs root (it mounts a small tmpfs); skipped, with the reason, elsewhere.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess) Skip = "needs root on Linux to mount a tmpfs";
    }
}
