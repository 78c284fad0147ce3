using LtxLocal.Inference.Requests;
using LtxLocal.Torch;

namespace LtxLocal.Inference.Pipelines;

/// <summary>What the denoising part of a pipeline hands to the decoders, how long each part took, and what ran.</summary>
public sealed record PipelineLatents(Tensor Video, Tensor? Audio, Dictionary<string, double> Timings, RanSettings Ran) : IDisposable
{
    public void Dispose()
    {
        Video.Dispose();
        Audio?.Dispose();
    }
}
