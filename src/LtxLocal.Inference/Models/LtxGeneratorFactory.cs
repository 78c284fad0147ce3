using LtxLocal.Inference.Pipelines;
using LtxLocal.Torch;

namespace LtxLocal.Inference.Models;

/// <summary>
/// Creates <see cref="LtxVideoGenerator"/>s: finds the model's files (<see cref="ModelFiles"/>) and loads every network
/// onto the worker's device. A model the files cannot serve is reported through <see cref="Unavailable"/>.
/// </summary>
public sealed class LtxGeneratorFactory : IGeneratorFactory
{
    public string? Unavailable(ModelDescriptor model)
    {
        try
        {
            return ModelFiles.Locate(model.Directory, out var problem) is null ? problem : null;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return $"{model.Directory}: {e.Message}";
        }
    }

    public IVideoGenerator Create(ModelDescriptor model, ComputeDevice device)
    {
        var files = ModelFiles.Locate(model.Directory, out var problem) ?? throw new InvalidOperationException(problem);
        return new LtxVideoGenerator(LoadedModel.Load(files, ToDevice(device)));
    }

    public static Device ToDevice(ComputeDevice device) => device.IsCuda ? Device.Cuda(device.Index) : Device.Cpu;
}
