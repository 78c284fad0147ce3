using LtxLocal.Inference.Pipelines;
using LtxLocal.Media;
using LtxLocal.Torch;

namespace LtxLocal.Inference.Catalog;

/// <summary>
/// Creates <see cref="LtxVideoGenerator"/>s: loads every network of the model's files (as the catalog found them) onto the
/// worker's device. Whether a model can run is the catalog's finding, so <see cref="Unavailable"/> reads no file.
/// </summary>
public sealed class LtxGeneratorFactory(FfmpegTools? ffmpeg = null) : IGeneratorFactory
{
    private readonly Lazy<FfmpegTools> _ffmpeg = new(() => ffmpeg ?? FfmpegTools.Locate());

    public string? Unavailable(ModelDescriptor model) =>
        model.Problem ?? (model.Files is null ? $"{model.Directory} holds no model weights (*.safetensors)" : null);

    public IVideoGenerator Create(ModelDescriptor model, ComputeDevice device)
    {
        var files = model.Files ?? throw new InvalidOperationException(Unavailable(model));
        return new LtxVideoGenerator(LoadedModel.Load(files, ToDevice(device), _ffmpeg.Value));
    }

    public static Device ToDevice(ComputeDevice device) => device.IsCuda ? Device.Cuda(device.Index) : Device.Cpu;
}
