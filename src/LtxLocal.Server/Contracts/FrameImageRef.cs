namespace LtxLocal.Server.Contracts;

/// <summary>A keyframe as the body gives it: its image_uri and the frame it pins ("first", "last" or an index).</summary>
public sealed record FrameImageRef(string ImageUri, string Frame, int? Index);
