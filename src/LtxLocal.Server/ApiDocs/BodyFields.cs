namespace LtxLocal.Server.ApiDocs;

/// <summary>
/// Endpoint metadata for the OpenAPI document: the fields a generation endpoint's body takes (the same
/// <see cref="KnownFields"/> lists its parser enforces, so the document cannot drift from what is accepted) and the
/// files it takes in multipart form; <see cref="BodyFieldSchemas"/> turns them into the request body.
/// </summary>
public sealed record BodyFields(IReadOnlyList<string> Fields, IReadOnlyList<string> Files);
