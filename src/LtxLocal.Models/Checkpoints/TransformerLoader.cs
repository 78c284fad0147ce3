using LtxLocal.Models.Transformer;
using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.Checkpoints;

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
