namespace LtxLocal.Models.Transformer;

/// <summary>Which streams an <see cref="LtxModel"/> has (the reference's <c>LTXModelType</c>).</summary>
public enum LtxModelType
{
    AudioVideo,
    VideoOnly,
    AudioOnly,
}
