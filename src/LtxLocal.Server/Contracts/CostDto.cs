namespace LtxLocal.Server.Contracts;

/// <summary>
/// result.cost when the request set include_cost: the device seconds the job used (measured around the generation on its
/// device), which device, and the amount at Ltx:Pricing:PerDeviceHour when the operator set a price (else both null).
/// </summary>
public sealed record CostDto(double GpuSeconds, string Device, double? Amount, string? Currency);
