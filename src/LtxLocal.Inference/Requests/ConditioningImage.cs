namespace LtxLocal.Inference.Requests;

/// <summary>
/// A decoded conditioning image: tightly packed RGB24 rows (Width * Height * 3 bytes), placed at
/// <see cref="FrameIndex"/> of the output (0 for image-to-video; keyframes elsewhere), held with
/// <see cref="Strength"/> in [0, 1] (ImageConditioningInput.strength: its tokens get denoise mask 1 − strength, so 1
/// keeps the image as given and 0 only hints at it).
/// </summary>
public sealed record ConditioningImage(byte[] Rgb, int Width, int Height, int FrameIndex, double Strength = 1.0)
{
    public double Strength { get; } = Strength is >= 0 and <= 1 ? Strength
        : throw new ArgumentOutOfRangeException(nameof(Strength), Strength, "image conditioning strength must be between 0 and 1");
}
