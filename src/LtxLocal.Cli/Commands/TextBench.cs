using System.CommandLine;
using System.Diagnostics;
using LtxLocal.Models.TextEncoder.Gemma;
using LtxLocal.Torch;

namespace LtxLocal.Cli.Commands;

/// <summary>
/// `ltx-local bench text`: one Gemma 3 encoder pass over a 256-token prompt with the 12B's layer shapes
/// (3840 hidden, 15360 MLP, 16/8 heads of 256, window 1024, pattern 6), random bf16/fp32 weights. --layers reduces
/// the depth where the full 48 layers do not fit (CPU); time per layer is reported so it scales.
/// </summary>
public static class TextBench
{
    // The embedding lookup costs nothing measurable; a 16k vocabulary instead of 262k saves ~2-4 GB of random weights.
    private const int VocabForBench = 16384;

    public static Command Create()
    {
        var layers = new Option<int>("--layers") { Description = "Decoder layers (the 12B has 48)", DefaultValueFactory = _ => 48 };
        var tokens = new Option<int>("--tokens") { Description = "Prompt length in tokens", DefaultValueFactory = _ => 256 };
        var device = new Option<string>("--device") { Description = "cpu or cuda:N", DefaultValueFactory = _ => "cpu" };
        var dtype = new Option<string>("--dtype") { Description = "float32 or bfloat16", DefaultValueFactory = _ => "bfloat16" };
        var reps = new Option<int>("--repeats") { Description = "Timed passes after one warm-up", DefaultValueFactory = _ => 3 };
        var command = new Command("text", "Gemma 3 12B-shaped encoder time for one prompt") { layers, tokens, device, dtype, reps };
        command.SetAction(r => Run(r.GetValue(layers), r.GetValue(tokens), Device.Parse(r.GetValue(device)!),
            r.GetValue(dtype) == "float32" ? DType.Float32 : DType.BFloat16, r.GetValue(reps)));
        return command;
    }

    private static int Run(int layers, int tokens, Device device, DType dtype, int repeats)
    {
        var tower = new GemmaTowerShape(VocabForBench, 3840, 15360, 1e-6, GemmaNormGain.OnePlusWeight, LayerScalar: false, 1024,
            Enumerable.Range(0, layers).Select(i => (i + 1) % 6 != 0).ToArray(), (new GemmaRope(1e6, 8), 256), (new GemmaRope(1e4, 1), 256), 0, [], [1, 106], null);
        var config = new Gemma3Config("gemma3", tower, 16, 8, 256, 2);
        AnsiConsole.MarkupLine($"Gemma 3 12B shapes, [bold]{layers}[/] layers, {tokens} tokens, {dtype} on [bold]{device}[/], CPU threads {TorchRuntime.NumThreads}");
        using var model = new Gemma3TextModel(config, new LtxLocal.Torch.NN.ModuleOptions(dtype, device));
        using (var scope = TorchRuntime.NewDisposeScope())
        {
            using var generator = new Generator(0, device);
            foreach (var (_, p) in model.NamedParameters()) p.Copy_(Tensor.Randn(p.Shape, generator, DType.Float32, device).Mul_(0.02));
        }
        using var ids = Tensor.Arange(tokens, DType.Int64, device).Remainder(1000).Unsqueeze(0);
        using var mask = Tensor.Ones([1, tokens], DType.Int64, device);
        var times = new List<double>();
        for (int i = 0; i <= repeats; i++)
        {
            using var scope = TorchRuntime.NewDisposeScope();
            var watch = Stopwatch.StartNew();
            using var output = model.Forward(ids, mask);
            output.LastHiddenState.Cpu();
            if (i > 0) times.Add(watch.Elapsed.TotalMilliseconds);
        }
        double median = times.Order().ElementAt(times.Count / 2);
        var table = new Table().AddColumns("measurement", "value");
        table.AddRow("encoder pass (ms, median)", $"{median:F0}");
        table.AddRow("per layer (ms)", $"{median / layers:F1}");
        table.AddRow("48-layer estimate (ms)", $"{median / layers * 48:F0}");
        AnsiConsole.Write(table);
        return 0;
    }
}
