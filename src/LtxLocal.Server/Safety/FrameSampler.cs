using LtxLocal.Inference;

namespace LtxLocal.Server.Safety;

/// <summary>
/// Passes every frame on to the encoder and keeps a copy of the ones the content check looks at: the first, the middle,
/// the last and one per second (frames 0, fps, 2 fps, ...), so a checker sees the whole clip without every frame.
/// </summary>
public sealed class FrameSampler(IFrameSink inner, IReadOnlySet<int> wanted) : IFrameSink
{
    private int _next;
    private byte[]? _latest;
    private readonly SortedDictionary<int, byte[]> _kept = [];

    /// <summary>The kept frames (RGB24) by index; the last frame written is among them even when the clip came out shorter than planned.</summary>
    public IReadOnlyDictionary<int, byte[]> Frames
    {
        get
        {
            if (_latest is not null && !_kept.ContainsKey(_next - 1)) _kept[_next - 1] = _latest.ToArray();
            return _kept;
        }
    }

    public static IReadOnlySet<int> Indices(int numFrames, double fps)
    {
        var set = new SortedSet<int>();
        if (numFrames <= 0) return set;
        set.Add(0);
        set.Add((numFrames - 1) / 2);
        set.Add(numFrames - 1);
        for (var second = 1; ; second++)
        {
            var index = (int)Math.Round(second * fps);
            if (index >= numFrames) break;
            set.Add(index);
        }
        return set;
    }

    public ValueTask WriteFrameAsync(ReadOnlyMemory<byte> rgb24, CancellationToken cancellationToken)
    {
        if (wanted.Contains(_next)) _kept[_next] = rgb24.ToArray();
        else
        {
            if (_latest?.Length != rgb24.Length) _latest = new byte[rgb24.Length];
            rgb24.CopyTo(_latest);
        }
        _next++;
        return inner.WriteFrameAsync(rgb24, cancellationToken);
    }

    public ValueTask WriteAudioAsync(ReadOnlyMemory<float> interleavedPcm, int sampleRate, int channels, CancellationToken cancellationToken) =>
        inner.WriteAudioAsync(interleavedPcm, sampleRate, channels, cancellationToken);
}
