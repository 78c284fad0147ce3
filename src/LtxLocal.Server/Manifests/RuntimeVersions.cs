using System.Reflection;
using LtxLocal.Torch;

namespace LtxLocal.Server.Manifests;

/// <summary>
/// The software versions a manifest names: LtxLocal's (with the commit the SDK appends), the libtorch the native shim was
/// built against and its CUDA runtime. Null where the native library does not load (a server running no model).
/// </summary>
public static class RuntimeVersions
{
    public static string LtxLocal { get; } =
        typeof(RuntimeVersions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(RuntimeVersions).Assembly.GetName().Version?.ToString() ?? "unknown";

    public static string? Libtorch => Native(() => TorchRuntime.Version);

    public static string? Cuda => Native(() => Torch.Cuda.RuntimeVersion);

    private static string? Native(Func<string?> read)
    {
        try { return read(); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException) { return null; }
    }
}
