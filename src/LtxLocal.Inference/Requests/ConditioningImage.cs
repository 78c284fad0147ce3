namespace LtxLocal.Inference.Requests;

/// <summary>
/// A decoded conditioning image: tightly packed RGB24 rows (Width * Height * 3 bytes), placed at
/// <see cref="FrameIndex"/> of the output (0 for image-to-video; keyframes elsewhere).
/// </summary>
public sealed record ConditioningImage(byte[] Rgb, int Width, int Height, int FrameIndex);
