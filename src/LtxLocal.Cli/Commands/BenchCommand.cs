using System.CommandLine;

namespace LtxLocal.Cli.Commands;

/// <summary>`ltx-local bench &lt;what&gt;`: performance numbers, never pass/fail tests.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Measure performance (numbers for the README and closing notes)");
        bench.Subcommands.Add(TorchBench.Create());
        bench.Subcommands.Add(TextBench.Create());
        bench.Subcommands.Add(VaeBench.Create());
        bench.Subcommands.Add(TransformerBench.Create());
        bench.Subcommands.Add(LoadBench.Create());
        bench.Subcommands.Add(TokenizerBench.Create());
        bench.Subcommands.Add(PipelineBench.Create());
        CpuThreads.AddTo(bench);
        return bench;
    }
}
