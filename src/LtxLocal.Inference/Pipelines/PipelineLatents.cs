using LtxLocal.Media;

namespace LtxLocal.Inference.Pipelines;

/// <summary>What the denoising part of a pipeline hands to the decoders, how long each part took, and what ran.</summary>
public sealed record PipelineLatents(Tensor Video, Tensor? Audio, Dictionary<string, double> Timings, RanSettings Ran) : IDisposable
{
    /// <summary>The soundtrack written as it was given instead of decoding <see cref="Audio"/> (audio-to-video returns its input).</summary>
    public DecodedAudio? SourceAudio { get; init; }

    /// <summary>Source frames and sound placed around the decoded ones (extend); null writes the decoded clip as it is.</summary>
    public FrameSplice? Splice { get; init; }

    public void Dispose()
    {
        Video.Dispose();
        Audio?.Dispose();
    }
}
