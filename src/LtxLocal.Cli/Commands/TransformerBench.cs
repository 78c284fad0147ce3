using System.CommandLine;
using System.Diagnostics;
using LtxLocal.Models.Transformer;
using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Cli.Commands;

/// <summary>
/// `ltx-local bench transformer`: one forward of the full-size 22B (LTX-2.3) transformer with random weights at the
/// token count of a 1280×704, 121-frame, 25 fps request. On the CPU only a few blocks are built (per-block time is
/// what matters); on a GPU all 48 in bf16, reporting seconds per step and TFLOP/s.
/// </summary>
public static class TransformerBench
{
    /// <summary>The released 22B sizes (architecture map §2.1; 2.3 switches).</summary>
    public static LtxModelConfig FullSizeConfig(int layers) => new()
    {
        NumLayers = layers, NumAttentionHeads = 32, AttentionHeadDim = 128, InChannels = 128, OutChannels = 128, CrossAttentionDim = 4096,
        AudioNumAttentionHeads = 32, AudioAttentionHeadDim = 64, AudioInChannels = 128, AudioOutChannels = 128, AudioCrossAttentionDim = 2048,
        AvCaTimestepScaleMultiplier = 1000, DoublePrecisionRope = true, ApplyGatedAttention = true, CrossAttentionAdaLn = true,
    };

    public static Command Create()
    {
        var device = new Option<string>("--device") { Description = "cpu or cuda:N", DefaultValueFactory = _ => "cpu" };
        var layers = new Option<int>("--layers") { Description = "Blocks to build (default: 48 on CUDA, 1 on the CPU)", DefaultValueFactory = _ => 0 };
        var dtype = new Option<string>("--dtype") { Description = "bf16 or f32 (default: bf16 on CUDA, f32 on the CPU)", DefaultValueFactory = _ => "" };
        var command = new Command("transformer", "One forward of the 22B transformer at 1280x704x121 @ 25 fps") { device, layers, dtype };
        command.SetAction(r => Run(Device.Parse(r.GetValue(device)!), r.GetValue(layers), r.GetValue(dtype)!));
        return command;
    }

    private static int Run(Device device, int layers, string dtypeText)
    {
        if (layers <= 0) layers = device.IsCuda ? 48 : 1;
        var dtype = dtypeText switch { "" => device.IsCuda ? DType.BFloat16 : DType.Float32, "bf16" => DType.BFloat16, "f32" => DType.Float32, _ => DTypeExtensions.Parse(dtypeText) };
        var config = FullSizeConfig(layers);
        // 1280×704, 121 frames: latent 16 × 22 × 40; audio round(121/25·25) = 121 frames; text 1024 tokens.
        var tools = VideoLatentTools.FromPixels(1, 128, 121, 704, 1280, 25.0);
        long audioFrames = new AudioPatchifier().LatentFrames(121, 25.0);
        AnsiConsole.MarkupLine($"device {device}, {dtype}, {layers} of 48 blocks, video tokens {tools.TokenCount}, audio tokens {audioFrames}, CPU threads {TorchRuntime.NumThreads}");

        using var generator = new Generator(0, device);
        var watch = Stopwatch.StartNew();
        using var model = new LtxModel(config, new ModuleOptions(dtype, Device.Meta));
        model.LoadStateDict(new RandomTensorSource(model.StateDict().ToDictionary(p => p.Key, p => p.Value.Shape), generator), "", true, device);
        AnsiConsole.MarkupLine($"random weights: {model.ParameterCount() / 1e9:F2} B parameters in {watch.Elapsed.TotalSeconds:F1} s");

        using var scope = TorchRuntime.NewDisposeScope();
        var video = tools.CreateInitialState(dtype, device);
        var videoInput = new Modality(Tensor.Randn(video.Latent.Shape, generator, dtype, device), Tensor.Full(new long[] { 1 }, 0.5, DType.Float32, device),
            Tensor.Full(new[] { 1, tools.TokenCount, 1 }, 0.5, DType.Float32, device), video.Positions,
            Tensor.Randn(new long[] { 1, 1024, 4096 }, generator, dtype, device));
        var audioInput = new Modality(Tensor.Randn(new[] { 1, audioFrames, 128 }, generator, dtype, device), Tensor.Full(new long[] { 1 }, 0.5, DType.Float32, device),
            Tensor.Full(new[] { 1, audioFrames, 1 }, 0.5, DType.Float32, device), new AudioPatchifier().Positions(1, audioFrames, device),
            Tensor.Randn(new long[] { 1, 1024, 2048 }, generator, dtype, device));
        if (device.IsCuda) { model.Forward(videoInput, audioInput); Cuda.Synchronize(); } // warm-up
        watch.Restart();
        var (v, a) = model.Forward(videoInput, audioInput);
        if (device.IsCuda) Cuda.Synchronize();
        double seconds = watch.Elapsed.TotalSeconds;
        double flops = BlockFlops(config, tools.TokenCount, audioFrames, 1024) * layers;
        var table = new Table().AddColumns("measurement", "value");
        table.AddRow("forward (s)", $"{seconds:F2}");
        table.AddRow("per block (s)", $"{seconds / layers:F2}");
        table.AddRow("estimated 48-block step (s)", $"{seconds / layers * 48:F1}");
        table.AddRow("achieved TFLOP/s (matmul + attention)", $"{flops / seconds / 1e12:F2}");
        table.AddRow("output finite", $"{v!.IsFinite().All().Item() != 0 && a!.IsFinite().All().Item() != 0}");
        AnsiConsole.Write(table);
        return 0;
    }

    /// <summary>Multiply-adds ×2 of one block's projections, FFNs and attention score/value products.</summary>
    public static double BlockFlops(LtxModelConfig c, long videoTokens, long audioTokens, long textTokens)
    {
        double d = c.InnerDim, da = c.AudioInnerDim, tv = videoTokens, ta = audioTokens, s = textTokens;
        double video = tv * (4 * d * d) + tv * 2 * d * d + s * 2 * c.CrossAttentionDim * d + tv * 8 * d * d + 2 * tv * tv * d + 2 * tv * s * d;
        double audio = ta * (4 * da * da) + ta * 2 * da * da + s * 2 * c.AudioCrossAttentionDim * da + ta * 8 * da * da + 2 * ta * ta * da + 2 * ta * s * da;
        double cross = tv * (d * da * 2) + ta * (da * d * 2) + ta * 2 * da * da + tv * 2 * da * da + 4 * tv * ta * da;
        return 2 * (video + audio + cross);
    }
}

/// <summary>Random N(0, 0.02²) tensors of given shapes, generated only when loaded (no host copy of a whole model).</summary>
internal sealed class RandomTensorSource(IReadOnlyDictionary<string, long[]> shapes, Generator generator, DType stored = DType.BFloat16) : ITensorSource
{
    public IReadOnlyCollection<string> Keys => shapes.Keys.ToList();

    public bool Contains(string name) => shapes.ContainsKey(name);

    public TensorInfo Info(string name) => new(name, stored, shapes[name]);

    public Tensor Load(string name, Device device, DType? dtype = null)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var t = Tensor.Randn(shapes[name], generator, DType.Float32, generator.Device).Mul_(0.02).To(device, dtype ?? stored);
        return scope.MoveToOuter(t);
    }
}
