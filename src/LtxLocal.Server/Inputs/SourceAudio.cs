namespace LtxLocal.Server.Inputs;

/// <summary>A validated driving soundtrack (audio-to-video): its bytes and its length in seconds.</summary>
public sealed record SourceAudio(byte[] Data, double Duration);
