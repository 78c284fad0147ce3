using System.Reflection;
using System.Runtime.InteropServices;

namespace LtxLocal.Torch.Native;

/// <summary>Finds libltxnative.so: $LTX_NATIVE_LIB, next to the assemblies, or the repository's native/build.</summary>
internal static class NativeLibraryLoader
{
    private static int _registered;

    internal static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != NativeMethods.Lib) return IntPtr.Zero;
        foreach (var candidate in Candidates())
        {
            if (File.Exists(candidate)) return NativeLibrary.Load(candidate);
        }
        if (NativeLibrary.TryLoad("libltxnative.so", assembly, searchPath, out var handle)) return handle;
        throw new DllNotFoundException(
            "libltxnative.so not found. Build it with `make native` (or native/build.sh), or set LTX_NATIVE_LIB to its path. Looked in: "
            + string.Join(", ", Candidates()));
    }

    private static IEnumerable<string> Candidates()
    {
        var explicitPath = Environment.GetEnvironmentVariable("LTX_NATIVE_LIB");
        if (!string.IsNullOrEmpty(explicitPath)) yield return explicitPath;
        yield return Path.Combine(AppContext.BaseDirectory, "libltxnative.so");
        // Development: walk up from the build output to the repository's native/build.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "native", "build", "libltxnative.so");
            if (File.Exists(path)) { yield return path; yield break; }
        }
    }
}
