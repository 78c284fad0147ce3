using System.CommandLine;
using System.CommandLine.Invocation;
using LtxLocal.Torch;

namespace LtxLocal.Cli.Commands;

/// <summary>
/// libtorch's intra-op threads for CPU work. Debian's libtorch starts with one, so the tiny model, the CI suite
/// and CPU text encoders ran on a single core; serve and the benches use every core unless told otherwise
/// (serve: Ltx:CpuThreads / LTX_CPU_THREADS; benches: --cpu-threads or LTX_CPU_THREADS).
/// </summary>
public static class CpuThreads
{
    public const string EnvironmentVariable = "LTX_CPU_THREADS";

    /// <summary>Sets and returns the thread count: <paramref name="requested"/> when positive, else LTX_CPU_THREADS, else one per core.</summary>
    public static int Apply(int requested = 0)
    {
        var threads = requested > 0 ? requested
            : int.TryParse(Environment.GetEnvironmentVariable(EnvironmentVariable), out var fromEnvironment) && fromEnvironment > 0 ? fromEnvironment
            : Environment.ProcessorCount;
        TorchRuntime.NumThreads = threads;
        return threads;
    }

    /// <summary>Gives every subcommand of <paramref name="parent"/> a --cpu-threads option applied before it runs.</summary>
    public static void AddTo(Command parent)
    {
        var option = new Option<int>("--cpu-threads")
        {
            Description = $"libtorch intra-op threads for CPU work (default: ${EnvironmentVariable}, else one per core)", Recursive = true,
        };
        parent.Options.Add(option);
        foreach (var command in parent.Subcommands)
        {
            var inner = command.Action;
            command.SetAction(async (result, token) =>
            {
                Apply(result.GetValue(option));
                return inner switch
                {
                    AsynchronousCommandLineAction run => await run.InvokeAsync(result, token),
                    SynchronousCommandLineAction run => run.Invoke(result),
                    _ => 0,
                };
            });
        }
    }
}
