namespace LtxLocal.Inference.Requests;

/// <summary>
/// A conditioning image as asked: where it is (a file, or a caller's placeholder until it is stored), its decoded size, and
/// the frame it pins: <c>"first"</c>, <c>"last"</c> or a frame index (<see cref="Index"/>), and how strongly it holds
/// there (<see cref="ConditioningImage.Strength"/>, 0–1).
/// </summary>
public sealed record ImageAsk(string File, int Width, int Height, string Frame = "first", int? Index = null, double Strength = 1.0)
{
    /// <summary>The output frame this image pins in a video of <paramref name="frames"/> frames (an index past the end is not clamped here).</summary>
    public int FrameIn(int frames) => Frame switch { "first" => 0, "last" => frames - 1, _ => Index ?? 0 };
}
