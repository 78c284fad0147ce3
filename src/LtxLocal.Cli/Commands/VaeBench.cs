using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.VideoVae;
using LtxLocal.Torch;
using LtxLocal.Torch.NN;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Cli.Commands;

/// <summary>
/// `ltx-local bench vae`: tiled conv-VAE decode time and peak memory. On a GPU the default is the pipelines' size
/// (1280x704, 121 frames) with tiles chosen from free memory; on the CPU a reduced clip (256x160, 17 frames) with small
/// tiles, so that every axis is still tiled. With --weights the decoder of a released file is used; without, the
/// LTX-2.3 conv decoder layout with random weights (same compute, no download).
/// </summary>
public static class VaeBench
{
    // The LTX-2.3 / LTX-2.5-conv decoder layout (fixtures README, "Config differences between generations").
    private const string Ltx23DecoderConfig = """
        {"_class_name": "CausalVideoAutoencoder", "dims": 3, "in_channels": 3, "out_channels": 3, "latent_channels": 128,
         "decoder_blocks": [["res_x", {"num_layers": 4}], ["compress_space", {"multiplier": 2}], ["res_x", {"num_layers": 6}],
           ["compress_time", {"multiplier": 2}], ["res_x", {"num_layers": 4}], ["compress_all", {"multiplier": 1}],
           ["res_x", {"num_layers": 2}], ["compress_all", {"multiplier": 2}], ["res_x", {"num_layers": 2}]],
         "norm_layer": "pixel_norm", "patch_size": 4, "latent_log_var": "uniform", "causal_decoder": false,
         "timestep_conditioning": false, "decoder_base_channels": 128, "spatial_padding_mode": "zeros"}
        """;

    public static Command Create()
    {
        var device = new Option<string>("--device") { Description = "cpu or cuda:N", DefaultValueFactory = _ => "cpu" };
        var weights = new Option<string?>("--weights") { Description = "A released file with the conv video VAE (vae.decoder.* or decoder.*)" };
        var width = new Option<int?>("--width") { Description = "Pixels (default 1280 on a GPU, 256 on the CPU)" };
        var height = new Option<int?>("--height") { Description = "Pixels (default 704 on a GPU, 160 on the CPU)" };
        var frames = new Option<int?>("--frames") { Description = "8k+1 frames (default 121 on a GPU, 17 on the CPU)" };
        var tileSide = new Option<int?>("--tile-long-side") { Description = "Spatial tile (px, long side; overlap 64 or half); default from free memory" };
        var tileFrames = new Option<int?>("--tile-frames") { Description = "Temporal tile (frames; overlap 24 or half); default from free memory" };
        var dtype = new Option<string>("--dtype") { Description = "float32 or bfloat16", DefaultValueFactory = _ => "bfloat16" };
        var command = new Command("vae", "Tiled video VAE decode: time and peak memory") { device, weights, width, height, frames, tileSide, tileFrames, dtype };
        command.SetAction(r => Run(Device.Parse(r.GetValue(device)!), r.GetValue(weights), r.GetValue(width), r.GetValue(height), r.GetValue(frames),
            r.GetValue(tileSide), r.GetValue(tileFrames), r.GetValue(dtype) == "float32" ? DType.Float32 : DType.BFloat16));
        return command;
    }

    private static int Run(Device device, string? weightsPath, int? width, int? height, int? frames, int? tileSide, int? tileFrames, DType dtype)
    {
        bool gpu = device.IsCuda;
        int w = width ?? (gpu ? 1280 : 256), h = height ?? (gpu ? 704 : 160), f = frames ?? (gpu ? 121 : 17);
        // bf16 convolutions are emulated on the CPU: float32 there unless asked otherwise.
        if (!gpu && dtype == DType.BFloat16) dtype = DType.Float32;
        using var decoder = BuildDecoder(weightsPath, device, dtype, out var source);
        var scale = decoder.Scale;
        if ((f - 1) % scale.Time != 0 || h % scale.Height != 0 || w % scale.Width != 0)
            throw new ArgumentException($"size must be {scale.Width}k x {scale.Height}k x ({scale.Time}k+1), got {w}x{h}x{f}");
        TileSizeConfig tiling = tileSide is null && tileFrames is null
            ? gpu ? DecodeTilePlanner.Choose(decoder.Config, h, w, f, dtype, DecodeTilePlanner.FreeBytes(device))
                  : TileSizeConfig.FromLongSide(new AxisTiling(128, 64), h, w, scale, new AxisTiling(16, 8))
            : TileSizeConfig.FromLongSide(new AxisTiling(tileSide ?? 768, Math.Min(64, (tileSide ?? 768) / 2)), h, w, scale,
                new AxisTiling(tileFrames ?? 80, Math.Min(24, (tileFrames ?? 80) / 2)));

        using var generator = new Generator(0, device);
        using var latent = Tensor.Randn(new long[] { 1, decoder.Config.LatentChannels, (f - 1) / scale.Time + 1, h / scale.Height, w / scale.Width },
            generator, dtype, device);
        if (gpu) { Cuda.Synchronize(device.Index); Cuda.ResetPeakMemoryStats(device.Index); }
        var watch = Stopwatch.StartNew();
        long decodedFrames = 0;
        int chunks = 0;
        using (var scope = TorchRuntime.NewDisposeScope())
            foreach (var chunk in VideoTiling.TiledDecode(decoder, latent, tiling))
            {
                using var rgb = ConvVideoDecoder.ToRgb(chunk);
                decodedFrames += rgb.Size(0);
                chunks++;
                chunk.Dispose();
            }
        if (gpu) Cuda.Synchronize(device.Index);
        double seconds = watch.Elapsed.TotalSeconds;
        string peak = gpu
            ? $"{Cuda.MemoryStats(device.Index).PeakAllocated / 1048576.0:F0} MiB allocated (CUDA peak)"
            : $"{Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB (process peak RSS)";

        var table = new Table().AddColumns("measurement", "value");
        table.AddRow("decoder", Markup.Escape(source));
        table.AddRow("device / dtype", $"{device} / {dtype}");
        table.AddRow("video", $"{w}x{h}, {f} frames (latent {latent.Size(4)}x{latent.Size(3)}x{latent.Size(2)})");
        table.AddRow("tiling", Markup.Escape(tiling.ToString()));
        table.AddRow("decode time", $"{seconds:F2} s ({decodedFrames / seconds:F2} frames/s, {chunks} chunks)");
        table.AddRow("peak memory", peak);
        AnsiConsole.Write(table);
        return decodedFrames == f ? 0 : 1;
    }

    private static ConvVideoDecoder BuildDecoder(string? weightsPath, Device device, DType dtype, out string source)
    {
        if (weightsPath is not null)
        {
            using var file = SafetensorsFile.Open(weightsPath);
            source = weightsPath;
            return VideoVaeLoader.LoadDecoder(file, device, dtype);
        }
        source = "LTX-2.3 conv decoder layout, random weights (no --weights given)";
        using var document = JsonDocument.Parse(Ltx23DecoderConfig);
        var decoder = new ConvVideoDecoder(VideoVaeConfig.From(new ConfigReader(document.RootElement, "vae")), new ModuleOptions(dtype, device));
        using var generator = new Generator(1, device);
        foreach (var (name, tensor) in decoder.StateDict())
        {
            // Every temporary is disposed here: left to the GC, the unscaled noise alone held ~1.5 GB until the decode ended.
            if (name.EndsWith("std-of-means", StringComparison.Ordinal)) { using var ones = Tensor.OnesLike(tensor); tensor.Copy_(ones); }
            else if (name.EndsWith("mean-of-means", StringComparison.Ordinal)) { using var zeros = Tensor.ZerosLike(tensor); tensor.Copy_(zeros); }
            else
            {
                using var noise = Tensor.Randn(tensor.Shape, generator, dtype, device);
                using var scaled = noise * 0.02;
                tensor.Copy_(scaled);
            }
        }
        return decoder;
    }
}
