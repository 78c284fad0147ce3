using LtxLocal.Inference.Memory;
using LtxLocal.Inference.Pipelines;
using LtxLocal.Inference.Pipelines.Blocks;
using LtxLocal.Media;

namespace LtxLocal.Inference.Catalog;

/// <summary>
/// Creates <see cref="LtxVideoGenerator"/>s: loads every network of the model's files (as the catalog found them) onto the
/// worker's device. Whether a model can run is the catalog's finding, so <see cref="Unavailable"/> reads no file.
/// </summary>
/// <param name="promptCache">encoded prompts shared by every generator of the process; null: each job encodes its prompts</param>
/// <param name="kept">networks each generator keeps loaded between jobs whatever the plan (<c>Ltx:KeepResident</c>)</param>
public sealed class LtxGeneratorFactory(FfmpegTools? ffmpeg = null, PromptEmbeddingCache? promptCache = null, ResidentNetworks? kept = null) : IGeneratorFactory
{
    private readonly Lazy<FfmpegTools> _ffmpeg = new(() => ffmpeg ?? FfmpegTools.Locate());

    /// <summary>Sequential: loads nothing up front. A job that carries no plan runs under it; one that does switches the generator to its plan.</summary>
    public static readonly MemoryPlan InitialPlan = new(WeightPlacement.Sequential);

    public string? Unavailable(ModelDescriptor model) =>
        model.Problem ?? (model.Files is null ? $"{model.Directory} holds no model weights (*.safetensors)" : null);

    public IVideoGenerator Create(ModelDescriptor model, ComputeDevice device)
    {
        var files = model.Files ?? throw new InvalidOperationException(Unavailable(model));
        // Nothing is loaded until the first job: its memory plan (the resolver's choice) decides what goes where.
        return new LtxVideoGenerator(LoadedModel.Load(files, ToDevice(device), _ffmpeg.Value, InitialPlan, promptCache: promptCache, kept: kept));
    }

    public static Device ToDevice(ComputeDevice device) => device.IsCuda ? Device.Cuda(device.Index) : Device.Cpu;
}
