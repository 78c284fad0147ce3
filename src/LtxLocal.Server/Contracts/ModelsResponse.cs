namespace LtxLocal.Server.Contracts;

public sealed record ModelsResponse(string Object, IReadOnlyList<ModelDto> Data);
