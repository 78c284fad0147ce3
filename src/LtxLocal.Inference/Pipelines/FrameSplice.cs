using LtxLocal.Media;

namespace LtxLocal.Inference.Pipelines;

/// <summary>
/// How an extension's output is put together: the source frames <see cref="Before"/>, the decoded frames
/// [<see cref="Skip"/>, <see cref="Skip"/> + <see cref="Take"/>) (the new span), then the source frames <see cref="After"/>
/// (RGB24 at the request's size). The soundtrack follows the same cut: the source's (resampled to the decoder's rate;
/// silence when it has none) around the new span's decoded audio.
/// </summary>
public sealed record FrameSplice(IReadOnlyList<byte[]> Before, int Skip, int Take, IReadOnlyList<byte[]> After, DecodedAudio? SourceAudio)
{
    public int Frames => Before.Count + Take + After.Count;
}
