namespace LtxLocal.Server.Inputs;

/// <summary>A validated source video (retake, extend): its bytes and what its container says of its video and sound.</summary>
public sealed record SourceVideo(byte[] Data, int Width, int Height, double Fps, int Frames, bool HasAudio)
{
    public double Duration => Frames / Fps;
}
