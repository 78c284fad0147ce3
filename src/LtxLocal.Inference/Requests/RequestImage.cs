namespace LtxLocal.Inference.Requests;

/// <summary>A conditioning image stored as a file, its decoded size, and the output frame it pins.</summary>
public sealed record RequestImage(string File, int FrameIndex, int Width, int Height);
