namespace LtxLocal.Server.Contracts;

/// <summary>A keyframe as the body gives it: its image_uri, the frame it pins ("first", "last" or an index) and its strength (0–1).</summary>
public sealed record FrameImageRef(string ImageUri, string Frame, int? Index, double Strength = 1.0);
