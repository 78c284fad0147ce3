using LtxLocal.Models.Transformer;
using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.Checkpoints;

/// <summary>How to materialise a transformer: device, compute dtype, and the fp8-cast storage option.</summary>
public sealed record TransformerLoadOptions
{
    public Device Device { get; init; } = Device.Cpu;

    /// <summary>Compute dtype of every tensor (bf16 for inference; float32 in tests).</summary>
    public DType DType { get; init; } = DType.BFloat16;

    /// <summary>fp8-cast: keep the block projections (to_q/k/v, to_out.0, ff) in float8 e4m3, upcast per call.</summary>
    public bool Fp8Cast { get; init; }

    /// <summary>Bytes loaded so far of the total, after each tensor.</summary>
    public IProgress<(long Loaded, long Total)>? Progress { get; init; }
}

/// <summary>
/// Builds an <see cref="LtxModel"/> on the meta device from a checkpoint's embedded config and fills it tensor by
/// tensor straight from the memory map onto the target device and dtype, so host memory never holds a second copy.
/// Every missing or unexpected transformer key is an error.
/// </summary>
public static class TransformerLoader
{
    public static LtxModel Load(ITensorSource source, LtxModelConfig config, TransformerLoadOptions options)
    {
        var meta = new ModuleOptions(options.DType, Device.Meta);
        var linear = options.Fp8Cast ? new ModuleOptions(DType.Float8E4M3FN, Device.Meta) : meta;
        var model = new LtxModel(config, meta, linear);
        try
        {
            var view = new KeyMappedSource(source, TransformerKeys.Prefix, name => TransformerKeys.Belongs(name, config.ModelType));
            Action<long, long>? progress = options.Progress is null ? null : (loaded, total) => options.Progress.Report((loaded, total));
            model.LoadStateDict(view, "", strict: true, options.Device, progress);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Reads the config from the file's metadata and loads the transformer of <paramref name="modelType"/>.</summary>
    public static LtxModel Load(string path, TransformerLoadOptions options, LtxModelType modelType = LtxModelType.AudioVideo)
    {
        using var source = LtxLocal.Torch.Safetensors.SafetensorsFile.Open(path);
        var config = LtxModelConfig.FromMetadata(source.Metadata, path, modelType);
        return Load(source, config, options);
    }
}
