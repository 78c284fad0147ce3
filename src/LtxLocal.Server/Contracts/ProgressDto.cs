namespace LtxLocal.Server.Contracts;

public sealed record ProgressDto(string Stage, int Step, int TotalSteps, double Fraction);
