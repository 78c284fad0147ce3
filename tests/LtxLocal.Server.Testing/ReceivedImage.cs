namespace LtxLocal.Server.Testing;

/// <summary>One image of a check, decoded from its PNG: where it came from, the output frame index, its size and RGB pixels.</summary>
public sealed record ReceivedImage(string Name, int? Frame, int Width, int Height, byte[] Rgb);
