namespace LtxLocal.Server.Contracts;

public sealed record CheckDto(bool Ok, string Detail);
