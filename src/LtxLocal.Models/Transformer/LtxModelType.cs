namespace LtxLocal.Models.Transformer;

/// <summary>Which streams an <see cref="LtxModel"/> has (the reference's <c>LTXModelType</c>).</summary>
public enum LtxModelType
{
    AudioVideo,
    VideoOnly,
    AudioOnly,
}

public static class LtxModelTypeExtensions
{
    public static bool HasVideo(this LtxModelType type) => type is LtxModelType.AudioVideo or LtxModelType.VideoOnly;

    public static bool HasAudio(this LtxModelType type) => type is LtxModelType.AudioVideo or LtxModelType.AudioOnly;
}

/// <summary>RoPE layouts: SPLIT (every release) and the legacy INTERLEAVED one.</summary>
public enum RopeType
{
    Split,
    Interleaved,
}
