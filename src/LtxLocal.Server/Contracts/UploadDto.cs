namespace LtxLocal.Server.Contracts;

/// <summary>Extension: what happened to the PUT to upload_url.</summary>
public sealed record UploadDto(string Status, string? Message);
