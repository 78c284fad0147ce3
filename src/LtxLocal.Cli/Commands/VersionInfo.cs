using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using LtxLocal.Torch;

namespace LtxLocal.Cli.Commands;

/// <summary>
/// `ltx-local --version`: this build's version, the libtorch the native shim was built against and whether that
/// build has CUDA (and how many GPUs the runtime sees now). A shim that does not load is reported, not thrown:
/// --version is what one runs to find out why the install does not work.
/// </summary>
public sealed class VersionInfo : SynchronousCommandLineAction
{
    /// <summary>Makes the root command's built-in --version print these lines.</summary>
    public static void Attach(RootCommand root) => root.Options.OfType<VersionOption>().Single().Action = new VersionInfo();

    public override int Invoke(ParseResult parseResult)
    {
        foreach (var line in Lines()) parseResult.InvocationConfiguration.Output.WriteLine(line);
        return 0;
    }

    public static IEnumerable<string> Lines()
    {
        var assembly = typeof(VersionInfo).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "?";
        yield return $"ltx-local {version}";
        yield return $".NET {Environment.Version}";
        string torch;
        try
        {
            var cuda = Cuda.IsCompiled
                ? $"CUDA compiled in ({(Cuda.IsAvailable ? Cuda.DeviceCount : 0)} GPU(s) visible now)"
                : "CPU only (no CUDA compiled in)";
            torch = $"libtorch {TorchRuntime.Version}, {cuda}";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            torch = $"libtorch: the native library does not load: {e.Message}";
        }
        yield return torch;
    }
}
