namespace LtxLocal.Inference.Requests;

/// <summary>
/// A conditioning image stored as a file, its decoded size, the output frame it pins, its strength (0–1, see
/// <see cref="ConditioningImage.Strength"/>) and whether it came from <c>frame_images</c> (else it is image-to-video's image).
/// </summary>
public sealed record RequestImage(string File, int FrameIndex, int Width, int Height, double Strength = 1.0, bool Keyframe = false);
