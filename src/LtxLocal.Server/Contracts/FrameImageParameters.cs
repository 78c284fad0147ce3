namespace LtxLocal.Server.Contracts;

/// <summary>A keyframe as it runs, echoed in <c>parameters.frame_images</c>: the output frame it pins and its strength.</summary>
public sealed record FrameImageParameters(int Frame, double Strength);
