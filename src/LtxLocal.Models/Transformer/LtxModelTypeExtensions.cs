namespace LtxLocal.Models.Transformer;

public static class LtxModelTypeExtensions
{
    public static bool HasVideo(this LtxModelType type) => type is LtxModelType.AudioVideo or LtxModelType.VideoOnly;

    public static bool HasAudio(this LtxModelType type) => type is LtxModelType.AudioVideo or LtxModelType.AudioOnly;
}
