namespace LtxLocal.Server.Playground;

/// <summary>One embedded playground file: its bytes, Content-Type and ETag (a prefix of its SHA-256).</summary>
public sealed record PlaygroundAsset(byte[] Bytes, string ContentType, string ETag);
